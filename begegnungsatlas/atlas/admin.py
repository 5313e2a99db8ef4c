from django.contrib import admin

from begegnungsatlas.core.typing import ModelAdmin

from .models import Area, AreaLevel, Indicator, IndicatorValue, Region


@admin.register(Region)
class RegionAdmin(ModelAdmin[Region]):
    list_display = ["name", "slug", "ars", "is_reference"]


@admin.register(AreaLevel)
class AreaLevelAdmin(ModelAdmin[AreaLevel]):
    list_display = ["region", "rank", "name", "is_municipality"]


@admin.register(Area)
class AreaAdmin(ModelAdmin[Area]):
    list_display = ["name", "code", "level", "region", "valid_from", "valid_to"]
    list_filter = ["region", "level"]
    search_fields = ["name", "code"]
    raw_id_fields = ["parent"]
    exclude = ["geometry", "geometry_web"]


@admin.register(Indicator)
class IndicatorAdmin(ModelAdmin[Indicator]):
    list_display = ["title", "slug", "region", "kind", "derivation", "polarity", "is_internal"]
    list_filter = ["region", "kind", "derivation", "is_internal"]
    search_fields = ["title", "slug"]
    raw_id_fields = ["numerator", "denominator", "base"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(ModelAdmin[IndicatorValue]):
    list_display = ["indicator", "area", "period", "value", "status", "flag"]
    list_filter = ["indicator", "status"]
    raw_id_fields = ["indicator", "area"]
