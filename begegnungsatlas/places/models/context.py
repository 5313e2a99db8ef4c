from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContextFeature(models.Model):
    """A point of a context layer (Kitas, schools, playgrounds …): shown on maps, not a place of encounter."""

    layer = models.SlugField(_("Ebene"))
    layer_name = models.CharField(_("Ebenenname"), max_length=100)
    name = models.CharField(_("Name"), max_length=300)
    kind = models.CharField(_("Art"), max_length=100, blank=True)
    street = models.CharField(_("Adresse"), max_length=200, blank=True)
    lon = models.FloatField()
    lat = models.FloatField()
    area = models.ForeignKey("atlas.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    source = models.CharField(_("Quelle"), max_length=200, blank=True)
    properties = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["layer", "name"]
        indexes = [models.Index(fields=["layer"])]
        verbose_name = _("Kontextobjekt")
        verbose_name_plural = _("Kontextobjekte")

    def __str__(self) -> str:
        return f"{self.layer_name}: {self.name}"
