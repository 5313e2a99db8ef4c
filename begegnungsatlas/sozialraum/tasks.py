"""Background tasks of the Sozialraum app (run by the django-tasks database worker, see core/jobs.py)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from begegnungsatlas.core.jobs import job_fail, job_finish, job_progress
from begegnungsatlas.core.models import User


@task()
def proposal_create_task(*, job_id: int, name: str, inputs: dict[str, Any], actor_id: int) -> None:
    from .services.propose import inputs_from_json, proposal_create

    try:
        job_progress(job_id, 10, _("Bausteine und Nachbarschaften werden geladen …"))
        actor = User.objects.get(pk=actor_id)
        proposal_inputs = inputs_from_json(inputs)
        job_progress(job_id, 30, _("Sozialräume werden berechnet …"))
        proposal = proposal_create(inputs=proposal_inputs, name=name, actor=actor)
    except Exception as exc:  # the job record must say what happened, whatever it was
        job_fail(job_id, exc)
        return
    job_finish(job_id, result_url=reverse("sozialraum:proposal", args=[proposal.pk]),
               message=_("Vorschlag „%(name)s“ berechnet: %(n)s Sozialräume.")
               % {"name": proposal.name, "n": proposal.quality.get("n_regions")})


@task()
def report_task(*, job_id: int, report_kind: str, options: dict[str, Any], actor_id: int) -> None:
    from .reports import report_create

    try:
        actor = User.objects.get(pk=actor_id)
        report = report_create(kind=report_kind, options=options, actor=actor,
                               progress=lambda pct, msg: job_progress(job_id, pct, msg))
    except Exception as exc:  # the job record must say what happened, whatever it was
        job_fail(job_id, exc)
        return
    job_finish(job_id, result_url=reverse("sozialraum:report", args=[report.pk]),
               message=_("Bericht „%(title)s“ erstellt.") % {"title": report.title})
