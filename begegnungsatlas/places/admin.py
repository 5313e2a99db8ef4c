"""Django admin for planners (``/verwaltung/``).

Admin writes of places are not model saves: the form validates with ``place_clean`` (the rules of every write
path, point-in-polygon must find a Kommune), and the place with its inline actors and offers is written by one
call of ``place_save`` (Kommune and area by point, audit with the note "Verwaltung", feature text), deletes by
``place_delete``. Nothing of the service is re-implemented here.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from begegnungsatlas.api.services import place_features_refresh
from begegnungsatlas.core.admin import PlannerAccessMixin, municipalities
from begegnungsatlas.core.typing import ModelAdmin, ModelForm, StackedInline, TabularInline

from . import opening_hours
from .errors import PlaceError
from .forms import https_urls
from .models import ContextFeature, Offer, Organisation, Place, PlaceActor, Quality, Suggestion, TargetGroup
from .services.offers import OFFER_FIELDS
from .services.places import SCALAR_FIELDS, place_clean, place_delete, place_save

ADMIN_NOTE = "Verwaltung"


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
        if self.errors:
            return cleaned  # the field errors first; place_clean needs every field
        try:
            place_clean(data={f: cleaned[f] for f in SCALAR_FIELDS if f in cleaned})
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


class PlaceActorInline(PlannerAccessMixin, TabularInline[PlaceActor, Place]):
    model = PlaceActor
    extra = 1
    autocomplete_fields = ("organisation",)


class OfferInline(PlannerAccessMixin, StackedInline[Offer, Place]):
    model = Offer
    form = OfferAdminForm
    extra = 0
    autocomplete_fields = ("organisation",)
    filter_horizontal = ("target_groups",)


def _inline_actors(formset: Any) -> list[tuple[Organisation, str]] | None:
    """The actors rows of the inline as ``place_save`` takes them (all of them: the service replaces the set)."""
    if formset is None:
        return None
    return [(f.cleaned_data["organisation"], f.cleaned_data["role"]) for f in formset.forms
            if f.cleaned_data.get("organisation") and not f.cleaned_data.get("DELETE")]


def _inline_offers(formset: Any) -> list[dict[str, Any]] | None:
    """The changed, new and deleted offers of the inline as ``offers_sync`` items."""
    if formset is None:
        return None
    items = []
    for f in formset.forms:
        existing = f.instance.pk if f.instance is not None and f.instance.pk else None
        if not f.cleaned_data or (existing is None and (f.cleaned_data.get("DELETE") or not f.has_changed())):
            continue
        cd = f.cleaned_data
        items.append({"id": existing, "delete": bool(cd.get("DELETE")),
                      "data": {k: cd[k] for k in OFFER_FIELDS if k in cd},
                      "target_groups": list(cd.get("target_groups") or []), "organisation": cd.get("organisation")})
    return items


class KommuneFilter(admin.SimpleListFilter):
    title = _("Kommune")
    parameter_name = "kommune"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[Any, Any]]:
        return [(a.pk, a.name) for a in municipalities()]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        return queryset.filter(kommune_id=self.value()) if self.value() else queryset


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
        """Nothing yet: the place is written with its inlines in ``save_related`` (one service call)."""

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        by_prefix = {fs.prefix: fs for fs in formsets}
        data = {f: form.cleaned_data[f] for f in SCALAR_FIELDS if f in form.cleaned_data}
        try:
            saved = place_save(
                actor=request.user, place=form.instance if change else None, data=data,
                target_groups=form.cleaned_data.get("target_groups", []),
                qualities=form.cleaned_data.get("qualities", []),
                actors=_inline_actors(by_prefix.get("place_actors")),
                offers=_inline_offers(by_prefix.get("offers")), note=ADMIN_NOTE,
            )
        except PlaceError as exc:  # the form checked with place_clean; this is a permission or relation rule
            raise PermissionDenied(str(exc)) from exc
        # The admin's redirect and log entry need the saved row; its change message reads what formsets saved.
        form.instance.pk, form.instance.kommune, form.instance.area = saved.pk, saved.kommune, saved.area
        for fs in formsets:
            fs.new_objects, fs.changed_objects, fs.deleted_objects = [], [], []

    def delete_model(self, request: HttpRequest, obj: Place) -> None:
        place_delete(actor=request.user, place=obj, note=ADMIN_NOTE)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for place in queryset:
            place_delete(actor=request.user, place=place, note=ADMIN_NOTE)


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
