"""Background tasks of the gap analysis (run by the django-tasks database worker, see core/jobs.py)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from begegnungsatlas.atlas.models import AreaLevel
from begegnungsatlas.core.jobs import job_fail, job_finish, job_progress
from begegnungsatlas.core.models import User

from .errors import GapsError
from .models import PopulationGrid, WalkingNetwork
from .services.analysis import GapInputs
from .services.networks import network_build
from .services.scenarios import scenario_save


def inputs_from_json(data: dict[str, Any]) -> GapInputs:
    from datetime import datetime

    try:
        grid = PopulationGrid.objects.select_related("region").get(pk=data["grid"])
        level = AreaLevel.objects.get(pk=data["level"])
    except (PopulationGrid.DoesNotExist, AreaLevel.DoesNotExist) as exc:
        raise GapsError(_("Raster oder Gebietsebene gibt es nicht mehr.")) from exc
    network = None
    if data.get("network"):
        network = WalkingNetwork.objects.filter(pk=data["network"]).first()
        if network is None:
            raise GapsError(_("Das gewählte Wegenetz gibt es nicht mehr."))
    open_at = datetime.fromisoformat(data["open_at"]) if data.get("open_at") else None
    return GapInputs(grid=grid, group=data["group"], method=data["method"], radius=float(data["radius"]),
                     level=level, place_groups=tuple(data["place_groups"]), open_at=open_at, network=network)


@task()
def scenario_save_task(*, job_id: int, name: str, inputs: dict[str, Any], siting_p: int | None,
                       extra_candidates: list[dict[str, Any]] | None, actor_id: int,
                       siting_method: str = "mclp") -> None:
    try:
        job_progress(job_id, 10, _("Daten werden geladen …"))
        actor = User.objects.get(pk=actor_id)
        gap_inputs = inputs_from_json(inputs)
        job_progress(job_id, 30, _("Versorgung und Standorte werden berechnet …"))
        scenario = scenario_save(name=name, inputs=gap_inputs, siting_p=siting_p,
                                 extra_candidates=extra_candidates, actor=actor,
                                 siting_method=siting_method)
    except Exception as exc:  # the job record must say what happened, whatever it was
        job_fail(job_id, exc)
        return
    job_finish(job_id, result_url=reverse("gaps:scenario", args=[scenario.pk]),
               message=_("Szenario „%(name)s“ gespeichert.") % {"name": scenario.name})


@task()
def network_build_task(*, job_id: int, network_id: int) -> None:
    """Build the walking graph of an imported OSM extract (pyosmium + scipy; minutes for a whole Kreis)."""
    try:
        job_progress(job_id, 10, _("Wegenetz wird aus dem OSM-Auszug aufgebaut …"))
        network = WalkingNetwork.objects.get(pk=network_id)
        network = network_build(network)
    except Exception as exc:  # the job record must say what happened, whatever it was
        job_fail(job_id, exc)
        return
    job_finish(job_id, result_url=reverse("gaps:index") + "#h-networks",
               message=_("Wegenetz „%(name)s“ aufgebaut: %(message)s") % {"name": network.name,
                                                                          "message": network.message})
