"""Werkzeugkatalog: Handlungsfelder with their Zukunftsbild, measures ("Werkzeuge"), Werkzeugblätter.

A measure is *existing* ("blau": already done somewhere, to be extended) or *new* ("grün": to be created).
A measure is part of the *Werkstattplan* when it has a Werkzeugblatt (``Measure.sheet``): the sheet plans it
in small steps with dates and owners, resources, costs, indicators of success, status and progress notes.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Handlungsfeld(models.Model):
    """A field of action of the catalogue with its Zukunftsbild (the picture of the future aimed at)."""

    slug = models.SlugField(_("Kürzel"), unique=True)
    name = models.CharField(_("Name"), max_length=200)
    zukunftsbild = models.TextField(_("Zukunftsbild"), blank=True)
    sort = models.PositiveSmallIntegerField(_("Reihenfolge"), default=100)
    is_example = models.BooleanField(_("Beispieldaten"), default=False)

    class Meta:
        ordering = ["sort", "name"]
        verbose_name = _("Handlungsfeld")
        verbose_name_plural = _("Handlungsfelder")

    def __str__(self) -> str:
        return self.name


class MeasureKind(models.TextChoices):
    EXISTING = "existing", _("bestehendes Werkzeug (blau)")
    NEW = "new", _("neues Werkzeug (grün)")


class Measure(models.Model):
    """One measure ("Werkzeug") of the catalogue."""

    handlungsfeld = models.ForeignKey(Handlungsfeld, on_delete=models.PROTECT, related_name="measures",
                                      verbose_name=_("Handlungsfeld"))
    number = models.CharField(_("Nummer"), max_length=20, blank=True, help_text=_("z. B. B-07"))
    title = models.CharField(_("Titel"), max_length=300)
    kind = models.CharField(_("Art"), max_length=10, choices=MeasureKind.choices, default=MeasureKind.NEW)
    description = models.TextField(_("Beschreibung"), blank=True)
    target_groups = models.ManyToManyField("places.TargetGroup", blank=True, related_name="measures",
                                           verbose_name=_("Zielgruppen"))
    areas = models.ManyToManyField("atlas.Area", blank=True, related_name="measures",
                                   verbose_name=_("betroffene Gebiete"))
    places = models.ManyToManyField("places.Place", blank=True, related_name="measures",
                                    verbose_name=_("betroffene Orte"))
    responsible_office = models.CharField(_("federführendes Amt"), max_length=300, blank=True)
    partner_kommunen = models.ManyToManyField("atlas.Area", blank=True, related_name="partner_measures",
                                              verbose_name=_("beteiligte Kommunen"))
    partner_organisations = models.ManyToManyField("places.Organisation", blank=True, related_name="measures",
                                                   verbose_name=_("beteiligte Organisationen"))
    funding_calls = models.ManyToManyField("funding.Call", blank=True, related_name="measures",
                                           verbose_name=_("finanziert durch Förderaufrufe"))
    is_published = models.BooleanField(_("veröffentlicht"), default=False)
    is_example = models.BooleanField(_("Beispieldaten"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["handlungsfeld__sort", "number", "title"]
        verbose_name = _("Werkzeug (Maßnahme)")
        verbose_name_plural = _("Werkzeuge (Maßnahmen)")

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()


class MeasureLink(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="links")
    title = models.CharField(_("Bezeichnung"), max_length=200)
    url = models.URLField(_("Adresse"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("Link")
        verbose_name_plural = _("Links")

    def __str__(self) -> str:
        return self.title


class SheetStatus(models.TextChoices):
    PLANNED = "planned", _("geplant")
    ACTIVE = "active", _("in Umsetzung")
    PAUSED = "paused", _("ruht")
    DONE = "done", _("abgeschlossen")


class Werkzeugblatt(models.Model):
    """The plan of one measure of the Werkstattplan."""

    measure = models.OneToOneField(Measure, on_delete=models.CASCADE, related_name="sheet",
                                   verbose_name=_("Werkzeug"))
    goals = models.TextField(_("Ziele"), blank=True)
    resources = models.TextField(_("Ressourcen"), blank=True)
    status = models.CharField(_("Status"), max_length=10, choices=SheetStatus.choices, default=SheetStatus.PLANNED)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Werkzeugblatt")
        verbose_name_plural = _("Werkzeugblätter")

    def __str__(self) -> str:
        return str(self.measure)

    @property
    def cost_total(self) -> Decimal | None:
        """The sum of the cost lines (``None`` without lines); uses prefetched lines when there are any."""
        lines = list(self.cost_lines.all())
        return sum((line.amount for line in lines), Decimal(0)) if lines else None

    @property
    def cost_total_display(self) -> str:
        return euro_display(self.cost_total)


def euro_display(amount: Decimal | None) -> str:
    """An amount in euros in German notation (``12.500,00 €``); empty for ``None``."""
    if amount is None:
        return ""
    text = f"{amount.quantize(Decimal('0.01')):,.2f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".") + " €"


class CostKind(models.TextChoices):
    STAFF = "staff", _("Personal")
    MATERIAL = "material", _("Sachkosten")
    ROOM = "room", _("Raum")
    TRAVEL = "travel", _("Fahrt- und Reisekosten")
    FEES = "fees", _("Honorare")
    OTHER = "other", _("Sonstiges")


class CostLine(models.Model):
    """One line of the resources and costs of a Werkzeugblatt."""

    sheet = models.ForeignKey(Werkzeugblatt, on_delete=models.CASCADE, related_name="cost_lines")
    item = models.CharField(_("Posten"), max_length=200)
    kind = models.CharField(_("Art"), max_length=10, choices=CostKind.choices, default=CostKind.OTHER)
    amount = models.DecimalField(_("Betrag (Euro)"), max_digits=12, decimal_places=2)
    note = models.CharField(_("Anmerkung"), max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("Kostenposten")
        verbose_name_plural = _("Ressourcen und Kosten")

    def __str__(self) -> str:
        return self.item

    @property
    def amount_display(self) -> str:
        return euro_display(self.amount)


class Step(models.Model):
    sheet = models.ForeignKey(Werkzeugblatt, on_delete=models.CASCADE, related_name="steps")
    title = models.CharField(_("Schritt"), max_length=300)
    owner = models.CharField(_("verantwortlich"), max_length=200, blank=True)
    start = models.DateField(_("Beginn"))
    end = models.DateField(_("Ende"))
    is_done = models.BooleanField(_("erledigt"), default=False)

    class Meta:
        ordering = ["start", "end", "id"]
        verbose_name = _("Schritt")
        verbose_name_plural = _("Schritte")

    def __str__(self) -> str:
        return self.title


class SuccessIndicator(models.Model):
    """How success is measured; optionally an indicator of the atlas (so its values can be followed there)."""

    sheet = models.ForeignKey(Werkzeugblatt, on_delete=models.CASCADE, related_name="success_indicators")
    description = models.CharField(_("Erfolgsindikator"), max_length=300)
    indicator = models.ForeignKey("atlas.Indicator", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("Indikator im Atlas"))
    target = models.CharField(_("Zielwert"), max_length=100, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("Erfolgsindikator")
        verbose_name_plural = _("Erfolgsindikatoren")

    def __str__(self) -> str:
        return self.description


class ProgressNote(models.Model):
    sheet = models.ForeignKey(Werkzeugblatt, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    author_label = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(auto_now_add=True)
    text = models.TextField(_("Fortschritt"), max_length=5000)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("Fortschrittsnotiz")
        verbose_name_plural = _("Fortschrittsnotizen")

    def __str__(self) -> str:
        return self.text[:60]
