"""Review: reviewers assigned to applications, conflicts of interest, scores per criterion."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReviewAssignment(models.Model):
    application = models.ForeignKey("funding.Application", on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_assignments",
                                 verbose_name=_("Gutachter:in"))
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)
    conflict_declared = models.BooleanField(_("befangen"), default=False)
    conflict_note = models.TextField(_("Grund der Befangenheit"), blank=True)
    submitted_at = models.DateTimeField(_("Bewertung abgegeben am"), null=True, blank=True)

    class Meta:
        ordering = ["application", "id"]
        constraints = [models.UniqueConstraint(fields=["application", "reviewer"], name="assignment_unique")]
        verbose_name = _("Begutachtung")
        verbose_name_plural = _("Begutachtungen")

    def __str__(self) -> str:
        return f"{self.application} – {self.reviewer}"


class Score(models.Model):
    assignment = models.ForeignKey(ReviewAssignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey("funding.Criterion", on_delete=models.PROTECT, related_name="scores")
    points = models.PositiveSmallIntegerField(_("Punkte"))
    reason = models.TextField(_("Begründung"))

    class Meta:
        ordering = ["criterion__sort", "criterion_id"]
        constraints = [models.UniqueConstraint(fields=["assignment", "criterion"], name="score_unique")]
        verbose_name = _("Bewertung")
        verbose_name_plural = _("Bewertungen")

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.points}"
