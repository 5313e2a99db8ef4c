"""Regions and their hierarchy of areas (Kreis → Kommune → Ortsteil; Stadt → Stadtbezirk → … → Unterbezirk).

Geometries are GeoJSON in EPSG:4326 (no GeoDjango: it needs system GDAL). Bounding boxes are stored as
plain columns so that map and API queries can filter with ordinary indexes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """A planning region served by one installation: a Kreis (Kreis Düren) or a city (Dortmund)."""

    slug = models.SlugField(_("Kürzel"), unique=True)
    name = models.CharField(_("Name"), max_length=200)
    ars = models.CharField(_("Regionalschlüssel"), max_length=12, blank=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    is_reference = models.BooleanField(
        _("Vergleichsregion"), default=False,
        help_text=_("Nur für Vergleiche und Karten (z. B. alle NRW-Kreise); Orte werden ihr nicht zugeordnet."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("Region")
        verbose_name_plural = _("Regionen")

    def __str__(self) -> str:
        return self.name


class AreaLevel(models.Model):
    """A level of the area hierarchy of one region; ``rank`` 0 is the whole region."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="levels", verbose_name=_("Region"))
    slug = models.SlugField(_("Kürzel"))
    name = models.CharField(_("Name"), max_length=100)
    name_plural = models.CharField(_("Name (Mehrzahl)"), max_length=100, blank=True)
    rank = models.PositiveSmallIntegerField(_("Ebene"), help_text=_("0 = ganze Region, größere Zahlen = kleinere Gebiete"))
    is_municipality = models.BooleanField(
        _("Ebene der Kommunen"), default=False,
        help_text=_("Gebiete dieser Ebene sind Kommunen (Zuständigkeit der kommunalen Redaktion)."),
    )
    grid_size_m = models.PositiveIntegerField(
        _("Rasterweite (m)"), null=True, blank=True,
        help_text=_("Nur für Rasterebenen: Kantenlänge der Zellen im INSPIRE-Raster (EPSG:3035)."),
    )
    composed_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="composites",
        verbose_name=_("zusammengesetzt aus"),
        help_text=_("Gebiete dieser Ebene bestehen aus Gebieten jener Ebene, über alle Grenzen hinweg "
                    "(z. B. Sozialräume aus Kommunen, Rasterzellen oder Unterbezirken)."),
    )
    is_draft = models.BooleanField(
        _("Entwurf"), default=False, help_text=_("Entwürfe sieht nur die Sozialplanung."),
    )

    class Meta:
        ordering = ["region", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["region", "slug"], name="arealevel_unique_slug"),
            models.UniqueConstraint(fields=["region", "rank"], name="arealevel_unique_rank"),
        ]
        verbose_name = _("Gebietsebene")
        verbose_name_plural = _("Gebietsebenen")

    def __str__(self) -> str:
        return f"{self.region.name}: {self.name}"


GEOMETRY_FIELDS = ("geometry", "geometry_web")
GEOMETRY_FIELDS_SET = frozenset(GEOMETRY_FIELDS)


def related_geometry(*paths: str) -> tuple[str, ...]:
    """Field names for ``.defer()`` that keep the polygons of areas joined by ``select_related(*paths)`` unloaded."""
    return tuple(f"{p}__{g}" for p in paths for g in GEOMETRY_FIELDS)


class AreaQuerySet(models.QuerySet["Area"]):
    """Every ORM write of a polygon stamps ``geometry_changed_at`` here, whoever writes it (admin, import, shell),
    so that the per-process caches (point-in-polygon index, map payloads) notice in-place changes."""

    def with_geometry(self) -> AreaQuerySet:
        """Load the polygons too (they are deferred by default: megabytes of JSON per Kommune)."""
        return self.defer(None)

    def geometry_stamp(self) -> tuple[Any, ...]:
        """One cheap aggregate that changes whenever an area of this queryset is added, removed, closed or has
        its geometry rewritten: the key of every geometry cache."""
        agg = self.aggregate(n=models.Count("id"), last=models.Max("id"),
                             current=models.Count("id", filter=models.Q(valid_to__isnull=True)),
                             changed=models.Max("geometry_changed_at"))
        return (agg["n"], agg["last"], agg["current"], agg["changed"])

    def update(self, **kwargs: Any) -> int:
        if GEOMETRY_FIELDS_SET & set(kwargs):
            kwargs.setdefault("geometry_changed_at", timezone.now())
        return super().update(**kwargs)

    def bulk_update(self, objs: Iterable[Area], fields: Iterable[str], batch_size: int | None = None) -> int:
        objs, names = list(objs), list(fields)
        if GEOMETRY_FIELDS_SET & set(names):
            now = timezone.now()
            for obj in objs:
                obj.geometry_changed_at = now
            names.append("geometry_changed_at")
        return super().bulk_update(objs, names, batch_size=batch_size)

    def bulk_create(self, objs: Iterable[Area], *args: Any, **kwargs: Any) -> list[Area]:
        objs = list(objs)
        now = timezone.now()
        for obj in objs:
            if obj.geometry_changed_at is None:
                obj.geometry_changed_at = now
        return super().bulk_create(objs, *args, **kwargs)


class AreaManager(models.Manager["Area"]):
    """Defers the polygons by default, also for related access (``place.kommune``), which uses this manager."""

    def get_queryset(self) -> AreaQuerySet:
        return AreaQuerySet(self.model, using=self._db).defer(*GEOMETRY_FIELDS)

    def with_geometry(self) -> AreaQuerySet:
        return self.get_queryset().with_geometry()

    def geometry_stamp(self) -> tuple[Any, ...]:
        return self.get_queryset().geometry_stamp()

    def filter(self, *args: Any, **kwargs: Any) -> AreaQuerySet:
        return self.get_queryset().filter(*args, **kwargs)


class Area(models.Model):
    """One area (Gebiet) of a level, keyed by an official code where one exists.

    ``geometry`` and ``geometry_web`` are deferred by default (``Area.objects``, ``place.kommune``): read them with
    ``Area.objects.with_geometry()``, ``.only(..., "geometry")`` or ``.values_list(..., "geometry")``.
    """

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="areas", verbose_name=_("Region"))
    level = models.ForeignKey(AreaLevel, on_delete=models.PROTECT, related_name="areas", verbose_name=_("Ebene"))
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
        verbose_name=_("übergeordnetes Gebiet"),
    )
    code = models.CharField(_("Schlüssel"), max_length=32, help_text=_("AGS/ARS oder städtische Gebietsnummer"))
    name = models.CharField(_("Name"), max_length=200)
    geometry = models.JSONField(_("Geometrie (GeoJSON, EPSG:4326)"), null=True, blank=True)
    geometry_web = models.JSONField(_("vereinfachte Geometrie"), null=True, blank=True)
    min_lon = models.FloatField(null=True, blank=True)
    min_lat = models.FloatField(null=True, blank=True)
    max_lon = models.FloatField(null=True, blank=True)
    max_lat = models.FloatField(null=True, blank=True)
    centroid_lon = models.FloatField(null=True, blank=True)
    centroid_lat = models.FloatField(null=True, blank=True)
    area_km2 = models.FloatField(_("Fläche (km²)"), null=True, blank=True)
    valid_from = models.DateField(_("gültig ab"), null=True, blank=True)
    valid_to = models.DateField(_("gültig bis"), null=True, blank=True)
    source = models.CharField(_("Quelle"), max_length=300, blank=True)
    geometry_changed_at = models.DateTimeField(
        _("Geometrie geändert"), null=True, blank=True, editable=False, db_index=True,
        help_text=_("Zeitpunkt der letzten Änderung der Geometrie (Schlüssel der Karten- und Lage-Caches)."),
    )

    objects = AreaManager()

    class Meta:
        base_manager_name = "objects"
        ordering = ["level__rank", "name"]
        constraints = [
            models.UniqueConstraint(fields=["level", "code", "valid_from"], name="area_unique_code_per_level"),
        ]
        indexes = [
            models.Index(fields=["region", "level"]),
            models.Index(fields=["min_lon", "max_lon", "min_lat", "max_lat"]),
        ]
        verbose_name = _("Gebiet")
        verbose_name_plural = _("Gebiete")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        loaded = not (GEOMETRY_FIELDS_SET & self.get_deferred_fields())
        touched = update_fields is None or bool(GEOMETRY_FIELDS_SET & set(update_fields))
        if loaded and touched:  # saving with the polygons loaded may have changed them
            self.geometry_changed_at = timezone.now()
            if update_fields is not None:
                kwargs["update_fields"] = [*update_fields, "geometry_changed_at"]
        super().save(*args, **kwargs)


class AreaMembership(models.Model):
    """One unit (an area of the level's ``composed_of`` level) belongs to one area of a composite level.

    Written only by the Sozialraum services (``sozialraum/services``); the atlas reads it to aggregate values.
    """

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("Gebiet"))
    unit = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+", verbose_name=_("Baustein"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["area", "unit"], name="areamembership_unique")]
        verbose_name = _("Zugehörigkeit")
        verbose_name_plural = _("Zugehörigkeiten")

    def __str__(self) -> str:
        return f"{self.unit_id} → {self.area_id}"
