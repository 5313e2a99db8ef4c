from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SuggestionKind(models.TextChoices):
    NEW_PLACE = "new_place", _("neuer Ort der Begegnung")
    POTENTIAL = "potential", _("Potenzialraum")
    CORRECTION = "correction", _("Korrektur zu einem Ort")


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", _("wartet auf Moderation")
    ACCEPTED = "accepted", _("angenommen")
    REJECTED = "rejected", _("abgelehnt")


class Suggestion(models.Model):
    """A citizen's suggestion. Nothing of it is public before a moderator accepts it."""

    kind = models.CharField(_("Art"), max_length=16, choices=SuggestionKind.choices)
    status = models.CharField(_("Status"), max_length=16, choices=SuggestionStatus.choices,
                              default=SuggestionStatus.PENDING, db_index=True)
    name = models.CharField(_("Name des Ortes"), max_length=300)
    description = models.TextField(_("Beschreibung"), max_length=5000, blank=True)
    street = models.CharField(_("Straße und Hausnummer"), max_length=200, blank=True)
    postcode = models.CharField(_("PLZ"), max_length=10, blank=True)
    city = models.CharField(_("Ort"), max_length=100, blank=True)
    lon = models.FloatField(_("Längengrad"), null=True, blank=True)
    lat = models.FloatField(_("Breitengrad"), null=True, blank=True)
    target_groups = models.ManyToManyField("places.TargetGroup", blank=True, verbose_name=_("Zielgruppen"))
    place = models.ForeignKey("places.Place", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="suggestions", verbose_name=_("betroffener/entstandener Ort"))
    submitter_name = models.CharField(_("Ihr Name (freiwillig)"), max_length=200, blank=True)
    submitter_email = models.EmailField(_("Ihre E-Mail (freiwillig)"), blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)
    client_hash = models.CharField(max_length=64, blank=True)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderation_note = models.TextField(_("Begründung der Moderation"), blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("Vorschlag")
        verbose_name_plural = _("Vorschläge")

    def __str__(self) -> str:
        return self.name
