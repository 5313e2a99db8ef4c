"""History of indicator value imports: who imported what, what changed, and what is needed to undo it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .areas import AreaLevel


class ValueImport(models.Model):
    """One finished import of indicator values.

    ``written`` holds the keys the import wrote as ``{"<indicator id>|<period>": [area ids]}``; ``previous`` the rows
    that were there before at those keys and the rows a full replacement deleted, as
    ``[indicator id, area id, period, value, status, flag]``. Undo deletes the written keys and restores
    ``previous`` (see ``atlas.services.values_history``).
    """

    created_at = models.DateTimeField(_("Zeitpunkt"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("importiert von"))
    file_name = models.CharField(_("Datei"), max_length=200, blank=True)
    level = models.ForeignKey(AreaLevel, on_delete=models.CASCADE, related_name="value_imports",
                              verbose_name=_("Gebietsebene"))
    indicators = models.JSONField(_("Indikatoren"), default=list)
    periods = models.JSONField(_("Zeitpunkte"), default=list)
    replace_all = models.BooleanField(_("vollständig ersetzt"), default=False)
    n_written = models.PositiveIntegerField(_("geschrieben"), default=0)
    n_created = models.PositiveIntegerField(_("neu"), default=0)
    n_updated = models.PositiveIntegerField(_("überschrieben"), default=0)
    n_deleted = models.PositiveIntegerField(_("gelöscht"), default=0)
    n_kept = models.PositiveIntegerField(_("unverändert behalten"), default=0)
    written = models.JSONField(default=dict)
    previous = models.JSONField(default=list)
    undone_at = models.DateTimeField(_("rückgängig gemacht am"), null=True, blank=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("rückgängig gemacht von"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("Werte-Import")
        verbose_name_plural = _("Werte-Importe")

    def __str__(self) -> str:
        return f"{self.file_name or '–'} ({self.created_at:%d.%m.%Y %H:%M})"
