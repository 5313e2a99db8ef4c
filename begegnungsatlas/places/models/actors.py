from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    KOMMUNE = "kommune", _("Kommune")
    KREIS = "kreis", _("Kreis")
    VEREIN = "verein", _("Verein")
    WOHLFAHRTSVERBAND = "wohlfahrtsverband", _("Wohlfahrtsverband")
    KIRCHE = "kirche", _("Kirche / Religionsgemeinschaft")
    INITIATIVE = "initiative", _("Initiative")
    UNTERNEHMEN = "unternehmen", _("Unternehmen")
    STIFTUNG = "stiftung", _("Stiftung")
    SONSTIGE = "sonstige", _("Sonstige")


class Organisation(models.Model):
    """An actor (Akteur): Kommune, Träger, Verein, Wohlfahrtsverband, Kirche, Initiative …"""

    name = models.CharField(_("Name"), max_length=300)
    kind = models.CharField(_("Art"), max_length=32, choices=OrganisationKind.choices, default=OrganisationKind.SONSTIGE)
    kommune = models.ForeignKey(
        "atlas.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="organisations",
        verbose_name=_("Sitz-Kommune"),
    )
    website = models.URLField(_("Website"), blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=64, blank=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    is_example = models.BooleanField(_("Beispieldaten"), default=False)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name", "kind"], name="organisation_unique_name_kind")]
        verbose_name = _("Organisation")
        verbose_name_plural = _("Organisationen")

    def __str__(self) -> str:
        return self.name
