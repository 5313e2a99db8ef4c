"""Background jobs for long runs: one progress record per job, a task queue on the database, a polled page.

Any app can run a function in the background:

1. define a task with ``django_tasks.task`` whose first argument is ``job_id`` and that reports through
   :func:`job_progress` and ends with :func:`job_finish` (or raises: the job is then marked failed with the
   error's message if it is a ``ValueError`` — domain errors carry German messages — else a generic one);
2. call :func:`job_enqueue` with the task, the owner and JSON-ready keyword arguments;
3. send the user to ``core:job`` (the page polls ``core:job_status`` with htmx every second and links to the
   job's result URL when it is done).

The queue is the django-tasks backport with the ``django_tasks_db`` database backend (settings ``TASKS``),
so SQLite and PostgreSQL both work without another server. A worker runs with
``python -m django db_worker``; ``begegnungsatlas demo`` starts one beside the web server.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from .permissions import Decision, allow, deny, rule, signed_in

if TYPE_CHECKING:
    from begegnungsatlas.core.permissions import Actor

logger = logging.getLogger(__name__)


class JobStatus(models.TextChoices):
    QUEUED = "queued", _l("wartet")
    RUNNING = "running", _l("läuft")
    DONE = "done", _l("fertig")
    FAILED = "failed", _l("fehlgeschlagen")


class Job(models.Model):
    kind = models.CharField(_l("Art"), max_length=60)
    label = models.CharField(_l("Bezeichnung"), max_length=200)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs")
    task_id = models.CharField(max_length=64, blank=True)
    status = models.CharField(_l("Status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_l("Fortschritt (%)"), default=0)
    message = models.CharField(_l("Meldung"), max_length=500, blank=True)
    result_url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "core"
        ordering = ["-created_at"]
        verbose_name = _l("Hintergrundauftrag")
        verbose_name_plural = _l("Hintergrundaufträge")

    def __str__(self) -> str:
        return self.label

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)


def job_enqueue(*, task: Any, kind: str, label: str, owner: Any, **kwargs: Any) -> Job:
    """Create the progress record and put the task in the queue once the surrounding transaction commits."""
    job = Job.objects.create(kind=kind, label=label[:200], owner=owner)

    def _enqueue() -> None:
        result = task.enqueue(job_id=job.pk, **kwargs)
        Job.objects.filter(pk=job.pk).update(task_id=str(result.id))

    transaction.on_commit(_enqueue)
    return job


def job_progress(job_id: int, progress: int, message: str = "") -> None:
    Job.objects.filter(pk=job_id).update(status=JobStatus.RUNNING, progress=max(0, min(100, int(progress))),
                                         message=message[:500])


def job_finish(job_id: int, *, result_url: str = "", message: str = "") -> None:
    Job.objects.filter(pk=job_id).update(status=JobStatus.DONE, progress=100, result_url=result_url,
                                         message=message[:500])


def job_fail(job_id: int, error: BaseException) -> None:
    if isinstance(error, ValueError):
        text = str(error)
    else:
        logger.exception("background job %s failed", job_id, exc_info=error)
        text = _("Unerwarteter Fehler; der Auftrag wurde abgebrochen.")
    Job.objects.filter(pk=job_id).update(status=JobStatus.FAILED, message=text[:500])


@rule("core.view_job")
def can_view_job(user: Actor, job: Job) -> Decision:
    u = signed_in(user)
    if u is None:
        return deny(_l("Bitte melden Sie sich an."))
    if job.owner_id == u.pk or u.is_superuser:
        return allow()
    return deny(_l("Dieser Auftrag gehört einer anderen Person."))


def job_page(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(Job, pk=pk)
    can_view_job(request.user, job).enforce()
    return render(request, "core/job.html", {"job": job})


def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment the job page polls."""
    job = get_object_or_404(Job, pk=pk)
    can_view_job(request.user, job).enforce()
    return render(request, "core/_job_status.html", {"job": job})


def start_worker_process() -> subprocess.Popen[bytes]:
    """Start ``db_worker`` in a child process with this process's settings (used by ``begegnungsatlas demo``)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "begegnungsatlas.settings")}
    return subprocess.Popen([sys.executable, "-m", "django", "db_worker", "--interval", "0.5"], env=env)
