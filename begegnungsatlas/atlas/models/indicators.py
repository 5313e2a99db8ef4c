"""Indicator catalogue and values per area and period.

A value row belongs to one indicator, one area and one period (a label such as ``"2024"`` or ``"2022-05-15"``).
Derived indicators (shares, rates, changes) store no values: they are computed when read
(``atlas.selectors.values``), so they can never disagree with their inputs.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .areas import Area, Region


class Polarity(models.IntegerChoices):
    HIGHER_BETTER = 1, _("höher ist besser")
    NEUTRAL = 0, _("neutral")
    HIGHER_WORSE = -1, _("höher ist schlechter")


class IndicatorKind(models.TextChoices):
    COUNT = "count", _("Anzahl (summierbar)")
    RATIO = "ratio", _("Anteil/Quote aus Zähler und Nenner")
    VALUE = "value", _("Wert wie veröffentlicht (nicht summierbar)")


class Derivation(models.TextChoices):
    NONE = "", _("erfasst (importiert)")
    SHARE = "share", _("berechnet: Zähler / Nenner")
    CHANGE = "change", _("berechnet: Veränderung zwischen zwei Zeitpunkten")


class Indicator(models.Model):
    """One indicator of the catalogue with the metadata a planner needs to read it correctly."""

    slug = models.SlugField(_("Kürzel"), max_length=80, unique=True)
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.CASCADE, related_name="indicators",
        verbose_name=_("Region"), help_text=_("leer = für alle Regionen"),
    )
    title = models.CharField(_("Titel"), max_length=200)
    definition = models.TextField(_("Definition"), blank=True)
    unit = models.CharField(_("Einheit"), max_length=60, blank=True)
    source = models.CharField(_("Quelle"), max_length=500, blank=True)
    licence = models.CharField(_("Lizenz"), max_length=200, blank=True)
    reference_date = models.CharField(_("Stichtag/Bezugszeit"), max_length=100, blank=True)
    kind = models.CharField(_("Art"), max_length=8, choices=IndicatorKind.choices, default=IndicatorKind.VALUE)
    derivation = models.CharField(_("Berechnung"), max_length=8, choices=Derivation.choices, default="", blank=True)
    numerator = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("Zähler"),
    )
    denominator = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("Nenner"),
    )
    decimals = models.PositiveSmallIntegerField(_("Nachkommastellen"), default=1)
    multiplier = models.FloatField(_("Faktor"), default=1.0, help_text=_("100 für Prozent, 1000 für je 1.000"))
    base = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("Ausgangsindikator (für Veränderungen)"),
    )
    period_from = models.CharField(_("von (Zeitpunkt)"), max_length=20, blank=True)
    period_to = models.CharField(_("bis (Zeitpunkt)"), max_length=20, blank=True)
    polarity = models.SmallIntegerField(_("Richtung"), choices=Polarity.choices, default=Polarity.NEUTRAL)
    interpretation = models.TextField(_("Lesehilfe"), blank=True)
    external_code = models.CharField(
        _("Code in der Quelle"), max_length=60, blank=True, help_text=_("z. B. GENESIS-Merkmal PRS018"),
    )
    is_internal = models.BooleanField(
        _("intern"), default=False, help_text=_("Nur für angemeldete Sozialplanung sichtbar."),
    )
    is_key = models.BooleanField(_("Kernindikator"), default=False, help_text=_("im Gebietsprofil zuerst gezeigt"))
    sort = models.PositiveIntegerField(_("Reihenfolge"), default=100)

    class Meta:
        ordering = ["sort", "title"]
        verbose_name = _("Indikator")
        verbose_name_plural = _("Indikatoren")

    def __str__(self) -> str:
        return self.title

    @property
    def is_derived(self) -> bool:
        return bool(self.derivation)


class ValueStatus(models.TextChoices):
    OK = "ok", _("vorhanden")
    MISSING = "missing", _("fehlt")
    SUPPRESSED = "suppressed", _("gesperrt/geheim")


class IndicatorValue(models.Model):
    """The value of one indicator for one area and period; ``value`` is NULL unless ``status`` is ok."""

    # No database-level FK constraints on this bulk fact table: PostgreSQL would check both keys row by row
    # (2 × 1.1 M trigger calls in the benchmark import). The importer resolves every key before writing, and
    # Django's collector still cascades deletes of indicators and areas.
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values", db_constraint=False,
                                  db_index=False)
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="indicator_values", db_constraint=False)
    period = models.CharField(_("Zeitpunkt"), max_length=20)
    value = models.FloatField(_("Wert"), null=True, blank=True)
    status = models.CharField(_("Status"), max_length=10, choices=ValueStatus.choices, default=ValueStatus.OK)
    flag = models.CharField(_("Zeichen der Quelle"), max_length=4, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period", "area"], name="indicatorvalue_unique"),
        ]
        verbose_name = _("Indikatorwert")
        verbose_name_plural = _("Indikatorwerte")

    def __str__(self) -> str:
        return f"{self.indicator_id}/{self.area_id}/{self.period}: {self.value}"
