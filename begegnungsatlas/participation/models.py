"""Surveys (questions, anonymous responses) and citizens' reports on the map.

No IP address is stored anywhere: the rate limit keeps only a salted hash in the cache for an hour.
The reporter's e-mail address is the only personal datum; it is deleted after
``BEGEGNUNGSATLAS_REPORTER_DATA_DAYS`` (``participation.services.privacy``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Survey(models.Model):
    title = models.CharField(_("Titel"), max_length=300)
    description = models.TextField(_("Einleitung"), blank=True)
    area_level = models.ForeignKey("atlas.AreaLevel", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("Gebietsebene der Auswertung"))
    opens_at = models.DateTimeField(_("offen ab"), null=True, blank=True)
    closes_at = models.DateTimeField(_("offen bis"), null=True, blank=True)
    is_published = models.BooleanField(_("veröffentlicht"), default=False)
    results_public = models.BooleanField(_("Ergebnisse öffentlich"), default=False)
    is_example = models.BooleanField(_("Beispieldaten"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at", "-id"]
        verbose_name = _("Umfrage")
        verbose_name_plural = _("Umfragen")

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Einfachauswahl")
    MULTIPLE = "multiple", _("Mehrfachauswahl")
    SCALE = "scale", _("Skala")
    NUMBER = "number", _("Zahl")
    TEXT = "text", _("Freitext")
    LOCATION = "location", _("Ort auf der Karte")
    AREA = "area", _("Gebiet auswählen")


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    sort = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    text = models.CharField(_("Frage"), max_length=500)
    kind = models.CharField(_("Art"), max_length=10, choices=QuestionKind.choices)
    required = models.BooleanField(_("Pflichtfrage"), default=False)
    choices = models.JSONField(_("Antwortmöglichkeiten"), default=list, blank=True)
    scale_min = models.SmallIntegerField(_("Skala von"), default=1)
    scale_max = models.SmallIntegerField(_("Skala bis"), default=5)

    class Meta:
        ordering = ["sort", "id"]
        verbose_name = _("Frage")
        verbose_name_plural = _("Fragen")

    def __str__(self) -> str:
        return self.text

    @property
    def options(self) -> list[str]:
        """The answer options of choice and scale questions, as shown."""
        if self.kind == QuestionKind.SCALE:
            return [str(v) for v in range(self.scale_min, self.scale_max + 1)]
        return [str(c) for c in self.choices]


class Response(models.Model):
    """One anonymous set of answers; ``area`` is where the answer belongs (area or location question)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    submitted_on = models.DateField(_("eingegangen am"), auto_now_add=True)
    area = models.ForeignKey("atlas.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("Antwortbogen")
        verbose_name_plural = _("Antwortbögen")

    def __str__(self) -> str:
        return f"{self.survey_id}/{self.pk}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    options = models.JSONField(default=list, blank=True)  # indices into Question.options
    number = models.FloatField(null=True, blank=True)
    text = models.TextField(blank=True)
    lon = models.FloatField(null=True, blank=True)
    lat = models.FloatField(null=True, blank=True)
    area = models.ForeignKey("atlas.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="answer_once")]

    def __str__(self) -> str:
        return f"{self.response_id}/{self.question_id}"


class ReportKind(models.TextChoices):
    PROBLEM = "problem", _("Problem")
    IDEA = "idea", _("Idee")


class ReportCategory(models.Model):
    slug = models.SlugField(_("Kürzel"), unique=True)
    name = models.CharField(_("Name"), max_length=100)
    sort = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["sort", "name"]
        verbose_name = _("Kategorie")
        verbose_name_plural = _("Kategorien")

    def __str__(self) -> str:
        return self.name


class ReportStatus(models.TextChoices):
    NEW = "new", _("neu")
    IN_PROGRESS = "in_progress", _("in Bearbeitung")
    DONE = "done", _("erledigt")
    DECLINED = "declined", _("abgelehnt")


class Report(models.Model):
    """A citizen's problem report or idea; public only after moderation (``is_published``)."""

    kind = models.CharField(_("Art"), max_length=10, choices=ReportKind.choices, default=ReportKind.PROBLEM)
    category = models.ForeignKey(ReportCategory, on_delete=models.PROTECT, related_name="reports",
                                 verbose_name=_("Kategorie"))
    title = models.CharField(_("Kurzbeschreibung"), max_length=200)
    description = models.TextField(_("Beschreibung"), max_length=5000, blank=True)
    lon = models.FloatField(_("Längengrad"))
    lat = models.FloatField(_("Breitengrad"))
    kommune = models.ForeignKey("atlas.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    area = models.ForeignKey("atlas.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    photo = models.FileField(_("Foto"), upload_to="reports/", blank=True)
    reporter_email = models.EmailField(_("Ihre E-Mail (freiwillig)"), blank=True)
    email_deleted_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(_("Status"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.NEW,
                              db_index=True)
    public_answer = models.TextField(_("öffentliche Antwort"), blank=True)
    is_published = models.BooleanField(_("veröffentlicht"), default=False)
    is_example = models.BooleanField(_("Beispieldaten"), default=False)
    submitted_at = models.DateTimeField(auto_now_add=True)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    moderated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("Meldung")
        verbose_name_plural = _("Meldungen")

    def __str__(self) -> str:
        return self.title
