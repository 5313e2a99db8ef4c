"""Users, roles and the append-only audit trail."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a signed-in person may do. Citizens are anonymous and have no role."""

    PLANNER = "planner", _("Sozialplanung (Kreis)")
    KOMMUNE_EDITOR = "kommune_editor", _("Redaktion Kommune")
    OPERATOR = "operator", _("Träger")
    MODERATOR = "moderator", _("Moderation")
    REVIEWER = "reviewer", _("Gutachter:in (Fachamt)")
    AUDITOR = "auditor", _("Prüfung (nur lesen)")
    NONE = "none", _("ohne Rolle")


class User(AbstractUser):
    """A person who signs in. ``kommune`` binds municipal editors, ``organisation`` operators."""

    role = models.CharField(_("Rolle"), max_length=32, choices=Role.choices, default=Role.NONE)
    kommune = models.ForeignKey(
        "atlas.Area",
        verbose_name=_("Kommune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="editors",
        help_text=_("Nur für die Rolle Redaktion Kommune: die Kommune, deren Orte bearbeitet werden dürfen."),
    )
    organisation = models.ForeignKey(
        "places.Organisation",
        verbose_name=_("Organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        help_text=_("Nur für die Rolle Träger: die Organisation, deren Orte bearbeitet werden dürfen."),
    )

    class Meta:
        verbose_name = _("Benutzer:in")
        verbose_name_plural = _("Benutzer:innen")

    @property
    def is_planner(self) -> bool:
        return self.is_active and (self.role == Role.PLANNER or self.is_superuser)


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("audit events are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit events are append-only")


class AuditEvent(models.Model):
    """One recorded change: who, when, what. Append-only (no update, no delete)."""

    at = models.DateTimeField(_("Zeitpunkt"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Person"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    actor_label = models.CharField(_("Person (Text)"), max_length=200, blank=True)
    action = models.CharField(_("Aktion"), max_length=64)
    object_type = models.CharField(_("Objekttyp"), max_length=64)
    object_id = models.CharField(_("Objekt-ID"), max_length=64)
    object_label = models.CharField(_("Objekt"), max_length=300, blank=True)
    changes = models.JSONField(_("Änderungen"), default=dict, blank=True)
    note = models.TextField(_("Bemerkung"), blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "-at"])]
        verbose_name = _("Protokolleintrag")
        verbose_name_plural = _("Protokoll")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit events are append-only")



# The background-job progress record lives with its plumbing in core/jobs.py; imported here so Django sees it.
from .jobs import Job, JobStatus  # noqa: E402,F401
