"""The Werkzeugkatalog in ``/verwaltung/``: read-only for planners.

Measures, Handlungsfelder and Werkzeugblätter are edited on the app's own pages (``/werkzeugkatalog/``) through
``measures.services`` with the audit trail; editing here would be a second write path, so the admin only lists.
"""

from __future__ import annotations

from django.contrib import admin

from begegnungsatlas.core.admin import PlannerAccessMixin, ReadOnlyAdminMixin
from begegnungsatlas.core.typing import ModelAdmin, TabularInline

from .models import CostLine, Handlungsfeld, Measure, Step, SuccessIndicator, Werkzeugblatt


@admin.register(Handlungsfeld)
class HandlungsfeldAdmin(ReadOnlyAdminMixin, PlannerAccessMixin, ModelAdmin[Handlungsfeld]):
    list_display = ("name", "slug", "sort", "is_example")


@admin.register(Measure)
class MeasureAdmin(ReadOnlyAdminMixin, PlannerAccessMixin, ModelAdmin[Measure]):
    list_display = ("number", "title", "handlungsfeld", "kind", "is_published", "is_example", "updated_at")
    list_filter = ("handlungsfeld", "kind", "is_published", "is_example")
    list_select_related = ("handlungsfeld",)
    search_fields = ("number", "title", "description", "responsible_office")


class _StepInline(ReadOnlyAdminMixin, PlannerAccessMixin, TabularInline[Step, Werkzeugblatt]):
    model = Step
    fields = ("title", "owner", "start", "end", "is_done")


class _CostInline(ReadOnlyAdminMixin, PlannerAccessMixin, TabularInline[CostLine, Werkzeugblatt]):
    model = CostLine
    fields = ("item", "kind", "amount", "note")


class _IndicatorInline(ReadOnlyAdminMixin, PlannerAccessMixin, TabularInline[SuccessIndicator, Werkzeugblatt]):
    model = SuccessIndicator
    fields = ("description", "indicator", "target")


@admin.register(Werkzeugblatt)
class WerkzeugblattAdmin(ReadOnlyAdminMixin, PlannerAccessMixin, ModelAdmin[Werkzeugblatt]):
    list_display = ("measure", "status", "cost_total_display", "updated_at")
    list_filter = ("status",)
    list_select_related = ("measure",)
    search_fields = ("measure__title", "measure__number")
    inlines = (_CostInline, _StepInline, _IndicatorInline)
