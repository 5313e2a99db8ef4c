"""Save, publish and delete scenarios; the results are always computed here, never taken from the browser."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from begegnungsatlas.core.permissions import signed_in
from begegnungsatlas.core.services import audit_record

from ..errors import GapsError
from ..models import Scenario
from .analysis import GapInputs, run_gap_analysis, run_siting

if TYPE_CHECKING:
    from begegnungsatlas.core.permissions import Actor



def data_versions(inputs: GapInputs) -> dict[str, Any]:
    grid = inputs.grid
    versions: dict[str, Any] = {"grid": {"id": grid.pk, "name": grid.name, "data_year": grid.data_year,
                                         "source": grid.source, "imported": grid.created_at.isoformat(),
                                         "kind": grid.kind, "derivation": grid.derivation}}
    net = inputs.network
    if net is not None:
        versions["network"] = {"id": net.pk, "name": net.name, "source": net.source, "licence": net.licence,
                               "data_date": net.data_date, "sha256": net.sha256,
                               "imported": net.created_at.isoformat()}
    return versions


@transaction.atomic
def scenario_save(*, name: str, inputs: GapInputs, siting_p: int | None = None,
                  extra_candidates: list[dict[str, Any]] | None = None, actor: Actor,
                  siting_method: str = "mclp") -> Scenario:
    """Run the analysis (and, with ``siting_p`` or LSCP, the siting) and store inputs, data versions and
    results."""
    name = name.strip()
    if not name:
        raise GapsError(_("Bitte dem Szenario einen Namen geben."))
    if len(name) > 200:
        raise GapsError(_("Der Name ist zu lang (höchstens 200 Zeichen)."))
    results: dict[str, Any] = {"gaps": run_gap_analysis(inputs)}
    if siting_p or siting_method == "lscp":
        results["siting"] = run_siting(inputs, p=siting_p, extra_candidates=extra_candidates,
                                       method=siting_method)
    scenario = Scenario.objects.create(
        region=inputs.grid.region, name=name, inputs={**inputs.as_json(), "siting_p": siting_p,
                                                     "siting_method": siting_method},
        data_versions=data_versions(inputs), results=results,
        created_by=signed_in(actor),
    )
    audit_record(actor=actor, action="gaps.scenario_save", obj=scenario, changes={"inputs": scenario.inputs})
    return scenario


@transaction.atomic
def scenario_publish(*, scenario: Scenario, published: bool, actor: Actor) -> Scenario:
    scenario.is_published = published
    scenario.save(update_fields=["is_published"])
    audit_record(actor=actor, action="gaps.scenario_publish" if published else "gaps.scenario_unpublish",
                 obj=scenario)
    return scenario
