"""Django admin for planners (``/verwaltung/``).

Admin writes of places are not raw model saves: the form validates opening hours and the point with the same
rules as the services (point-in-polygon must find a Kommune), ``save_model`` assigns Kommune and area by point,
``save_related`` records an audit event with the same field-by-field diff as ``place_update`` (including the
inline actors and offers), and deletes go through ``place_delete``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from begegnungsatlas.api.services import place_features_refresh
from begegnungsatlas.core.admin import PlannerAccessMixin, municipalities
from begegnungsatlas.core.services import audit_record, diff_fields
from begegnungsatlas.core.typing import ModelAdmin, ModelForm, StackedInline, TabularInline

from . import opening_hours
from .errors import PlaceError
from .forms import https_urls
from .models import ContextFeature, Offer, Organisation, Place, PlaceActor, Quality, Suggestion, TargetGroup
from .services.places import _jsonable, place_delete, place_point_areas, place_snapshot


def _validate_hours(value: str) -> str:
    try:
        return opening_hours.validate(value or "")
    except opening_hours.OpeningHoursError as exc:
        raise forms.ValidationError(str(exc)) from exc


class PlaceAdminForm(ModelForm[Place]):
    class Meta:
        model = Place
        fields = [
            "name", "description", "kind", "status", "is_published", "is_example", "street", "postcode", "city",
            "lon", "lat", "virtual_url", "shared_building", "shared_building_note", "contact_name", "contact_email",
            "contact_phone", "website", "target_groups", "qualities", "opening_hours", "wheelchair",
            "wheelchair_description", "open_for_groups", "capacity", "source", "source_id",
        ]
        formfield_callback = https_urls

    def clean_opening_hours(self) -> str:
        return _validate_hours(self.cleaned_data.get("opening_hours", ""))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        try:
            self.assigned: tuple[Any, Any] = place_point_areas(lon=cleaned.get("lon"), lat=cleaned.get("lat"))
        except PlaceError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return cleaned


class OfferAdminForm(ModelForm[Offer]):
    class Meta:
        model = Offer
        fields = ["title", "category", "description", "schedule", "target_groups", "is_free", "cost_note",
                  "organisation"]

    def clean_schedule(self) -> str:
        return _validate_hours(self.cleaned_data.get("schedule", ""))


URL_HTTPS: dict[Any, dict[str, Any]] = {models.URLField: {"assume_scheme": "https"}}


class PlaceActorInline(TabularInline[PlaceActor, Place]):
    model = PlaceActor
    extra = 1
    autocomplete_fields = ("organisation",)


class OfferInline(StackedInline[Offer, Place]):
    model = Offer
    form = OfferAdminForm
    extra = 0
    autocomplete_fields = ("organisation",)
    filter_horizontal = ("target_groups",)


class KommuneFilter(admin.SimpleListFilter):
    title = _("Kommune")
    parameter_name = "kommune"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[Any, Any]]:
        return [(a.pk, a.name) for a in municipalities()]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        return queryset.filter(kommune_id=self.value()) if self.value() else queryset


def _admin_snapshot(place: Place) -> dict[str, Any]:
    data = _jsonable(place_snapshot(place))
    data["offers"] = sorted(f"{o.title} ({o.schedule})" for o in place.offers.all())
    return data


@admin.register(Place)
class PlaceAdmin(PlannerAccessMixin, ModelAdmin[Place]):
    form = PlaceAdminForm
    formfield_overrides = URL_HTTPS
    list_display = ("name", "kommune", "status", "kind", "is_published", "is_example", "updated_at")
    list_filter = ("status", "kind", "is_published", "is_example", "wheelchair", "open_for_groups",
                   "shared_building", KommuneFilter, "target_groups")
    search_fields = ("name", "city", "street", "description", "source_id")
    list_select_related = ("kommune",)
    readonly_fields = ("kommune", "area", "created_at", "updated_at")
    filter_horizontal = ("target_groups", "qualities")
    inlines = (PlaceActorInline, OfferInline)
    fieldsets = (
        (None, {"fields": ("name", "description", "kind", "status", "is_published", "is_example")}),
        (_("Adresse und Lage"), {"fields": ("street", "postcode", "city", "lon", "lat", "kommune", "area",
                                            "virtual_url")}),
        (_("Gebäude und Kontakt"), {"fields": ("shared_building", "shared_building_note", "contact_name",
                                               "contact_email", "contact_phone", "website")}),
        (_("Zielgruppen, Qualitäten, Zugang"), {"fields": (
            "target_groups", "qualities", "opening_hours", "wheelchair", "wheelchair_description",
            "open_for_groups", "capacity")}),
        (_("Herkunft"), {"fields": ("source", "source_id", "created_at", "updated_at")}),
    )

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).defer(
            "kommune__geometry", "kommune__geometry_web", "area__geometry", "area__geometry_web")

    def save_model(self, request: HttpRequest, obj: Place, form: Any, change: bool) -> None:
        request._place_before = (  # type: ignore[attr-defined]
            _admin_snapshot(Place.objects.get(pk=obj.pk)) if change and obj.pk else None)
        obj.kommune, obj.area = getattr(form, "assigned", (obj.kommune, obj.area))
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        place = form.instance
        place_features_refresh(place_ids=[place.pk])  # the OGC feature text, in the admin's transaction
        after = _admin_snapshot(place)
        before = getattr(request, "_place_before", None)
        if before is None:
            audit_record(actor=request.user, action="place.create", obj=place, changes={"new": after},
                         note="Verwaltung")
        else:
            changes = diff_fields(before, after)
            if changes:
                audit_record(actor=request.user, action="place.update", obj=place, changes=changes,
                             note="Verwaltung")

    def delete_model(self, request: HttpRequest, obj: Place) -> None:
        place_delete(actor=request.user, place=obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for place in queryset:
            place_delete(actor=request.user, place=place)


@admin.register(Organisation)
class OrganisationAdmin(PlannerAccessMixin, ModelAdmin[Organisation]):
    formfield_overrides = URL_HTTPS
    list_display = ("name", "kind", "kommune", "is_example")
    list_filter = ("kind", "is_example")
    search_fields = ("name", "description")

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("kommune").defer(
            "kommune__geometry", "kommune__geometry_web")

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "kommune":
            kwargs["queryset"] = municipalities()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(TargetGroup)
class TargetGroupAdmin(PlannerAccessMixin, ModelAdmin[TargetGroup]):
    list_display = ("name_de", "name_en", "slug", "sort")
    list_editable = ("sort",)
    search_fields = ("name_de", "name_en", "slug")
    prepopulated_fields = {"slug": ("name_de",)}

    # Slug and order of the vocabulary are part of the OGC feature text of every place of the group.
    def save_model(self, request: HttpRequest, obj: TargetGroup, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        place_features_refresh(place_ids=Place.objects.filter(target_groups=obj).values_list("pk", flat=True))

    def delete_model(self, request: HttpRequest, obj: TargetGroup) -> None:
        ids = list(Place.objects.filter(target_groups=obj).values_list("pk", flat=True))
        super().delete_model(request, obj)
        place_features_refresh(place_ids=ids)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        ids = list(Place.objects.filter(target_groups__in=queryset).values_list("pk", flat=True))
        super().delete_queryset(request, queryset)
        place_features_refresh(place_ids=ids)


@admin.register(Quality)
class QualityAdmin(PlannerAccessMixin, ModelAdmin[Quality]):
    list_display = ("name_de", "name_en", "slug", "sort")
    list_editable = ("sort",)
    prepopulated_fields = {"slug": ("name_de",)}


@admin.register(Suggestion)
class SuggestionAdmin(PlannerAccessMixin, ModelAdmin[Suggestion]):
    """Read-only: moderation happens in the moderation queue (``/orte/moderation/``) with its audit trail."""

    list_display = ("name", "kind", "status", "submitted_at", "moderated_by", "place")
    list_filter = ("status", "kind")
    search_fields = ("name", "description", "city")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ContextFeature)
class ContextFeatureAdmin(PlannerAccessMixin, ModelAdmin[ContextFeature]):
    list_display = ("name", "layer_name", "kind", "street")
    list_filter = ("layer_name",)
    search_fields = ("name", "street", "kind")
    exclude = ("area",)
