"""The funding call (Förderaufruf) and what it publishes: budget lines, cost types, criteria."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CallStatus(models.TextChoices):
    DRAFT = "draft", _("in Vorbereitung")
    PUBLISHED = "published", _("veröffentlicht")
    CLOSED = "closed", _("geschlossen")


class Call(models.Model):
    title = models.CharField(_("Titel"), max_length=300)
    text = models.TextField(_("Aufruftext"))
    eligibility = models.TextField(_("Wer kann sich bewerben?"))
    opens_at = models.DateTimeField(_("Bewerbung ab"))
    deadline = models.DateTimeField(_("Bewerbungsfrist"), help_text=_("Letzter zulässiger Zeitpunkt (Ortszeit)."))
    number_of_grants = models.PositiveSmallIntegerField(_("Zahl der Förderungen"), default=2)
    status = models.CharField(_("Status"), max_length=16, choices=CallStatus.choices, default=CallStatus.DRAFT)
    scale_max = models.PositiveSmallIntegerField(
        _("Bewertungsskala bis"), default=5, help_text=_("Punkte je Kriterium von 0 bis zu diesem Wert."))
    region = models.ForeignKey("atlas.Region", null=True, blank=True, on_delete=models.PROTECT,
                               verbose_name=_("Region"), related_name="+")
    is_example = models.BooleanField(_("Beispieldaten"), default=False)
    is_historical = models.BooleanField(_("historischer Aufruf"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-deadline"]
        verbose_name = _("Förderaufruf")
        verbose_name_plural = _("Förderaufrufe")

    def __str__(self) -> str:
        return self.title

    @property
    def grant_total_cents(self) -> int:
        return sum(line.amount_cents for line in self.budget_lines.all())

    def is_open(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.status == CallStatus.PUBLISHED and self.opens_at <= now <= self.deadline


class CallBudgetLine(models.Model):
    """A budget line each grant receives (e.g. 1.500 € Sachmittel)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="budget_lines")
    name = models.CharField(_("Haushaltsposition"), max_length=200)
    amount_cents = models.PositiveBigIntegerField(_("Betrag je Förderung (Cent)"))
    sort = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort", "id"]
        verbose_name = _("Haushaltsposition des Aufrufs")
        verbose_name_plural = _("Haushaltspositionen des Aufrufs")

    def __str__(self) -> str:
        return self.name


class CostType(models.Model):
    """A cost type; eligible ones belong to one budget line, ineligible ones (Bau, Ausstattung …) to none."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="cost_types")
    name = models.CharField(_("Kostenart"), max_length=200)
    eligible = models.BooleanField(_("förderfähig"), default=True)
    budget_line = models.ForeignKey(CallBudgetLine, null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="cost_types", verbose_name=_("Haushaltsposition"))
    sort = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-eligible", "sort", "id"]
        verbose_name = _("Kostenart")
        verbose_name_plural = _("Kostenarten")

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("Kriterium"), max_length=300)
    description = models.TextField(_("Erläuterung"), blank=True)
    weight = models.PositiveSmallIntegerField(_("Gewicht"), default=1)
    is_spatial = models.BooleanField(
        _("räumliches Kriterium"), default=False,
        help_text=_("Wird zusätzlich bei der Auswahl über die räumliche Verteilung berücksichtigt."))
    sort = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort", "id"]
        verbose_name = _("Auswahlkriterium")
        verbose_name_plural = _("Auswahlkriterien")

    def __str__(self) -> str:
        return self.name


class DeadlineExtension(models.Model):
    """A documented, individual extension of the deadline for one applicant Kommune."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="extensions")
    kommune = models.ForeignKey("atlas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("Kommune"))
    until = models.DateTimeField(_("verlängert bis"))
    reason = models.TextField(_("Begründung"))
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["call", "kommune"], name="extension_unique_call_kommune")]
        verbose_name = _("Fristverlängerung")
        verbose_name_plural = _("Fristverlängerungen")

    def __str__(self) -> str:
        return f"{self.call_id} / {self.kommune_id}: {self.until:%Y-%m-%d %H:%M}"
