"""Sozialraum versions, proposals and the edit history.

A *Sozialraum level* is an atlas ``AreaLevel`` whose areas are built from units of another level (Kommunen, grid
cells, Unterbezirke) across any border (``AreaLevel.composed_of``; membership in ``atlas.AreaMembership``).
Each version is its own level: a new version copies the layout of its predecessor into a new draft level, so an
adopted version is never changed and stays readable with its values (time series remain comparable).
``SozialraumLevel`` holds what the atlas does not need: status, adoption date, version number, the population
indicator and floor used for the checks.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Status(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    ADOPTED = "adopted", _("beschlossen")


class Method(models.TextChoices):
    MAXP = "maxp", _("max-p (größte Zahl Sozialräume über der Mindestgröße)")
    SKATER = "skater", _("SKATER (Baum schneiden, feste Zahl)")
    WARD = "ward", _("Ward mit Nachbarschaft (feste Zahl)")


class SozialraumLevel(models.Model):
    level = models.OneToOneField("atlas.AreaLevel", on_delete=models.CASCADE, related_name="sozialraum",
                                 verbose_name=_("Gebietsebene"))
    series = models.CharField(_("Reihe"), max_length=100,
                              help_text=_("Alle Fassungen derselben Sozialraumgliederung tragen denselben Namen."))
    version = models.PositiveSmallIntegerField(_("Fassung"), default=1)
    predecessor = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="successors", verbose_name=_("Vorgängerfassung"))
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    adopted_on = models.DateField(_("beschlossen am"), null=True, blank=True)
    population_indicator = models.ForeignKey("atlas.Indicator", null=True, blank=True, on_delete=models.PROTECT,
                                             related_name="+", verbose_name=_("Einwohnerindikator"))
    population_period = models.CharField(_("Zeitpunkt der Einwohnerzahl"), max_length=20, blank=True)
    min_population = models.FloatField(_("Mindestzahl Einwohner"), null=True, blank=True)
    min_units = models.PositiveIntegerField(_("Mindestzahl Bausteine"), null=True, blank=True)
    is_example = models.BooleanField(_("Beispiel"), default=False,
                                     help_text=_("Vorführdaten, kein Beschluss eines Gremiums."))
    note = models.TextField(_("Hinweis"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["series", "-version"]
        constraints = [models.UniqueConstraint(fields=["series", "version"], name="sozialraum_unique_version")]
        verbose_name = _("Sozialraumgliederung")
        verbose_name_plural = _("Sozialraumgliederungen")

    def __str__(self) -> str:
        return f"{self.series} ({self.version})"

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT


class Proposal(models.Model):
    """One computed proposal: the inputs, the units in order, their labels and the quality figures."""

    region = models.ForeignKey("atlas.Region", on_delete=models.CASCADE, related_name="+")
    base_level = models.ForeignKey("atlas.AreaLevel", on_delete=models.CASCADE, related_name="+",
                                   verbose_name=_("Bausteine"))
    name = models.CharField(_("Name"), max_length=200)
    method = models.CharField(_("Verfahren"), max_length=10, choices=Method.choices)
    params = models.JSONField(default=dict)
    unit_ids = models.JSONField(default=list)
    labels = models.JSONField(default=list)
    quality = models.JSONField(default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        # Context: a computed Sozialraum proposal, not a citizen's suggestion (places.Suggestion, "Suggestion").
        verbose_name = pgettext_lazy("Sozialraum", "Vorschlag")
        verbose_name_plural = pgettext_lazy("Sozialraum", "Vorschläge")

    def __str__(self) -> str:
        return self.name


class EditStep(models.Model):
    """One hand edit of a draft: the layout before it (for undo) and what was done."""

    sozialraum = models.ForeignKey(SozialraumLevel, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("Aktion"), max_length=20)
    description = models.CharField(_("Beschreibung"), max_length=300)
    before = models.JSONField(default=list)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    undone = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("Bearbeitungsschritt")
        verbose_name_plural = _("Bearbeitungsschritte")

    def __str__(self) -> str:
        return self.description


class Report(models.Model):
    """A generated PDF (Sozialraumbericht or Datencheck) with the choices it was made from."""

    KINDS = [("sozialraumbericht", _("Sozialraumbericht")), ("datencheck", _("Datencheck"))]

    sozialraum = models.ForeignKey(SozialraumLevel, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(_("Art"), max_length=20, choices=KINDS)
    title = models.CharField(_("Titel"), max_length=200)
    options = models.JSONField(default=dict)
    pdf = models.BinaryField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Bericht")
        verbose_name_plural = _("Berichte")

    def __str__(self) -> str:
        return self.title
