"""The application (Bewerbung) of a Kommune to a call, its actors and its frozen revisions."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from begegnungsatlas.places.models import OrganisationKind

from ..workflow import State


class PlaceMode(models.TextChoices):
    REGISTER = "register", _("ein Ort aus dem Register")
    POTENTIAL = "potential", _("ein Potenzialraum aus dem Register")
    NEW = "new", _("ein neuer Ort")


class Decision(models.TextChoices):
    NONE = "", _("offen")
    SELECTED = "selected", _("ausgewählt")
    REJECTED = "rejected", _("nicht ausgewählt")
    INELIGIBLE = "ineligible", _("nicht förderfähig")


class Application(models.Model):
    call = models.ForeignKey("funding.Call", on_delete=models.PROTECT, related_name="applications",
                             verbose_name=_("Förderaufruf"))
    kommune = models.ForeignKey("atlas.Area", on_delete=models.PROTECT, related_name="funding_applications",
                                verbose_name=_("antragstellende Kommune"))
    partner = models.ForeignKey("places.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="funding_applications",
                                verbose_name=_("Partnerorganisation (stellt im Auftrag der Kommune)"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("Status"), max_length=16, choices=State.choices, default=State.DRAFT, db_index=True)
    reference = models.CharField(_("Aktenzeichen"), max_length=32, blank=True)
    is_example = models.BooleanField(_("Beispieldaten"), default=False)

    title = models.CharField(_("Name des Ortes der Begegnung"), max_length=300, blank=True)
    place_mode = models.CharField(_("Der geplante Ort ist"), max_length=16, choices=PlaceMode.choices,
                                  default=PlaceMode.NEW)
    place = models.ForeignKey("places.Place", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="funding_applications", verbose_name=_("Ort im Register"))
    location = models.TextField(_("Lage und Adresse"), blank=True)
    concept = models.TextField(_("Konzept"), blank=True)
    target_groups = models.ManyToManyField("places.TargetGroup", blank=True, verbose_name=_("Zielgruppen"))
    target_groups_note = models.TextField(_("Zielgruppen – Erläuterung"), blank=True)
    staff_hours_per_week = models.PositiveIntegerField(_("Personaleinsatz (Stunden pro Woche)"), null=True,
                                                       blank=True)
    own_funds_cents = models.PositiveBigIntegerField(_("eigener Finanzeinsatz (Cent)"), null=True, blank=True)
    volunteers = models.PositiveIntegerField(_("ehrenamtlich Engagierte (Zahl)"), null=True, blank=True)
    organisation_note = models.TextField(_("Organisation – Erläuterung"), blank=True)
    contact_name = models.CharField(_("feste Ansprechperson"), max_length=200, blank=True)
    contact_email = models.EmailField(_("E-Mail der Ansprechperson"), blank=True)
    contact_phone = models.CharField(_("Telefon der Ansprechperson"), max_length=64, blank=True)

    screening_complete = models.BooleanField(_("vollständig (Vorprüfung)"), null=True, blank=True)
    screening_eligible = models.BooleanField(_("förderfähig (Vorprüfung)"), null=True, blank=True)
    screening_note = models.TextField(_("Vermerk der Vorprüfung"), blank=True)
    decision = models.CharField(_("Entscheidung"), max_length=16, choices=Decision.choices, blank=True, default="")
    decision_reason = models.TextField(_("Begründung der Entscheidung"), blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("eingereicht am"), null=True, blank=True)
    decided_at = models.DateTimeField(_("entschieden am"), null=True, blank=True)

    class Meta:
        ordering = ["call", "reference", "id"]
        verbose_name = _("Bewerbung")
        verbose_name_plural = _("Bewerbungen")

    def __str__(self) -> str:
        return f"{self.reference or self.pk} – {self.kommune.name}"


class ActorStatus(models.TextChoices):
    CURRENT = "current", _("bereits beteiligt")
    TARGETED = "targeted", _("soll beteiligt werden")


class ApplicationActor(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="actors")
    name = models.CharField(_("Name"), max_length=300)
    kind = models.CharField(_("Art"), max_length=32, choices=OrganisationKind.choices)
    status = models.CharField(_("Beteiligung"), max_length=16, choices=ActorStatus.choices)
    role = models.CharField(_("Aufgabe"), max_length=300, blank=True)

    class Meta:
        ordering = ["status", "id"]
        verbose_name = _("Akteur der Bewerbung")
        verbose_name_plural = _("Akteure der Bewerbung")

    def __str__(self) -> str:
        return self.name


class ApplicationRevision(models.Model):
    """A frozen copy of the application as submitted. Each (re-)submission adds one; none is ever changed."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveSmallIntegerField(_("Fassung"))
    data = models.JSONField(_("Inhalt"))
    created_at = models.DateTimeField(_("eingereicht am"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["application", "-number"]
        constraints = [models.UniqueConstraint(fields=["application", "number"], name="revision_unique_number")]
        verbose_name = _("Fassung der Bewerbung")
        verbose_name_plural = _("Fassungen der Bewerbung")

    def __str__(self) -> str:
        return f"{self.application_id} / {self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("submitted revisions are frozen")
        super().save(*args, **kwargs)
