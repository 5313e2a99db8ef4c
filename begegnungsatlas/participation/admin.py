"""Participation in ``/verwaltung/``: read-only overview for planners.

Surveys are built and published, reports moderated on the app's own pages (``/beteiligung/``) through
``participation.services`` with the audit trail, so the admin offers no second write path. Anonymous answers
are not listed at all; reports are shown without the reporter's e-mail address and photo.
"""

from __future__ import annotations

from django.contrib import admin

from begegnungsatlas.core.admin import PlannerAccessMixin, ReadOnlyAdminMixin
from begegnungsatlas.core.typing import ModelAdmin, TabularInline

from .models import Question, Report, ReportCategory, Survey


class _QuestionInline(ReadOnlyAdminMixin, PlannerAccessMixin, TabularInline[Question, Survey]):
    model = Question
    fields = ("sort", "text", "kind", "required")


@admin.register(Survey)
class SurveyAdmin(ReadOnlyAdminMixin, PlannerAccessMixin, ModelAdmin[Survey]):
    list_display = ("title", "is_published", "opens_at", "closes_at", "results_public", "is_example")
    list_filter = ("is_published", "results_public", "is_example")
    search_fields = ("title", "description")
    inlines = (_QuestionInline,)


@admin.register(ReportCategory)
class ReportCategoryAdmin(ReadOnlyAdminMixin, PlannerAccessMixin, ModelAdmin[ReportCategory]):
    list_display = ("name", "slug", "sort")


@admin.register(Report)
class ReportAdmin(ReadOnlyAdminMixin, PlannerAccessMixin, ModelAdmin[Report]):
    list_display = ("title", "kind", "category", "status", "is_published", "kommune", "submitted_at", "is_example")
    list_filter = ("status", "kind", "category", "is_published", "is_example")
    list_select_related = ("category", "kommune")
    search_fields = ("title", "description", "public_answer")
    exclude = ("reporter_email", "photo")  # personal data and private uploads stay out of the admin
