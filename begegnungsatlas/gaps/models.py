"""Population grids (need) and saved scenarios of the gap analysis.

A *population grid* is one imported data set of counts per grid cell (e.g. Zensus 2011, 1 km) with its data year
and source; each *cell* keeps its INSPIRE id, its centre (EPSG:4326 for the map, EPSG:25832 for distances), the
Kommune and smallest area that contain its centre, and its counts per column (``{"ab65": 120, ...}``).
A *scenario* is a saved run: the inputs, the data versions used and the results, with a name; planners publish
a scenario to make it visible to everybody.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class GridKind(models.TextChoices):
    GRID = "grid", _("Bevölkerungsraster")
    AREA_TABLE = "area_table", _("aus Gebietstabelle verteilt")


class PopulationGrid(models.Model):
    """A need source: counts per cell. ``kind`` *grid*: an imported population grid. ``kind`` *area_table*: counts
    per area (a table, e.g. persons 65+ per Kommune) spread onto points inside the areas
    (``services/area_tables.py``); ``derivation`` keeps how (level, weighting grid, spacing, areas per method)."""

    region = models.ForeignKey("atlas.Region", on_delete=models.CASCADE, related_name="population_grids",
                               verbose_name=_("Region"))
    name = models.CharField(_("Name"), max_length=200)
    data_year = models.PositiveSmallIntegerField(_("Datenstand (Jahr)"))
    cell_size_m = models.PositiveIntegerField(_("Zellgröße (m)"))
    source = models.CharField(_("Quelle"), max_length=300)
    licence = models.CharField(_("Lizenz"), max_length=300, blank=True)
    note = models.TextField(_("Hinweis"), blank=True)
    columns = models.JSONField(_("Spalten"), default=list)
    kind = models.CharField(_("Art"), max_length=12, choices=GridKind.choices, default=GridKind.GRID)
    derivation = models.JSONField(_("Herleitung"), default=dict, blank=True,
                                  help_text="area tables: level, weighting grid, spacing, areas per method")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["region", "-data_year", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="gaps_grid_unique_name")]
        verbose_name = _("Bevölkerungsraster")
        verbose_name_plural = _("Bevölkerungsraster")

    def __str__(self) -> str:
        return f"{self.name} ({self.data_year})"

    @property
    def need_label(self) -> str:
        """How the need was made, for every result: empty for a plain grid."""
        if self.kind != GridKind.AREA_TABLE:
            return ""
        return str(self.derivation.get("label", ""))


class PopulationCell(models.Model):
    grid = models.ForeignKey(PopulationGrid, on_delete=models.CASCADE, related_name="cells")
    cell_id = models.CharField(_("Zellen-ID"), max_length=40)
    x_3035 = models.FloatField(help_text="lower-left corner, EPSG:3035")
    y_3035 = models.FloatField(help_text="lower-left corner, EPSG:3035")
    lon = models.FloatField(help_text="centre, EPSG:4326")
    lat = models.FloatField(help_text="centre, EPSG:4326")
    x = models.FloatField(help_text="centre, EPSG:25832")
    y = models.FloatField(help_text="centre, EPSG:25832")
    kommune = models.ForeignKey("atlas.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    area = models.ForeignKey("atlas.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["grid", "cell_id"]
        constraints = [models.UniqueConstraint(fields=["grid", "cell_id"], name="gaps_cell_unique_id")]
        verbose_name = _("Rasterzelle")
        verbose_name_plural = _("Rasterzellen")

    def __str__(self) -> str:
        return self.cell_id


class Scenario(models.Model):
    region = models.ForeignKey("atlas.Region", on_delete=models.CASCADE, related_name="gap_scenarios",
                               verbose_name=_("Region"))
    name = models.CharField(_("Name"), max_length=200)
    inputs = models.JSONField(_("Eingaben"), default=dict)
    data_versions = models.JSONField(_("Datenstände"), default=dict)
    results = models.JSONField(_("Ergebnisse"), default=dict)
    is_published = models.BooleanField(_("veröffentlicht"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Szenario")
        verbose_name_plural = _("Szenarien")

    def __str__(self) -> str:
        return self.name


class NetworkStatus(models.TextChoices):
    PENDING = "pending", _("wird aufgebaut")
    READY = "ready", _("bereit")
    FAILED = "failed", _("fehlgeschlagen")


OSM_ATTRIBUTION = "© OpenStreetMap-Mitwirkende, Open Database License (ODbL) 1.0"


class WalkingNetwork(models.Model):
    """An imported OSM walking network of a region: the uploaded extract and the graph built from it.

    Both files live in the default storage (``PRIVATE_MEDIA_ROOT``, outside the web root) under random names;
    deleting the record deletes them (``services/networks.py::network_delete``). The graph is built in the
    background (``tasks.network_build_task``); only networks with status *ready* can be chosen for an analysis.
    """

    region = models.ForeignKey("atlas.Region", on_delete=models.CASCADE, related_name="walking_networks",
                               verbose_name=_("Region"))
    name = models.CharField(_("Name"), max_length=200)
    source = models.CharField(_("Quelle"), max_length=300)
    licence = models.CharField(_("Lizenz / Namensnennung"), max_length=300, default=OSM_ATTRIBUTION)
    data_date = models.CharField(_("Datenstand"), max_length=60, blank=True)
    file = models.FileField(_("OSM-Datei"), max_length=300)
    kind = models.CharField(_("Dateiart"), max_length=10)
    original_name = models.CharField(_("Dateiname"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    graph_file = models.FileField(_("Wegegraph"), max_length=300, blank=True)
    status = models.CharField(_("Status"), max_length=10, choices=NetworkStatus.choices,
                              default=NetworkStatus.PENDING)
    message = models.CharField(_("Meldung"), max_length=500, blank=True)
    nodes = models.PositiveIntegerField(_("Knoten"), default=0)
    edges = models.PositiveIntegerField(_("Kanten"), default=0)
    length_km = models.FloatField(_("Wegelänge (km)"), default=0)
    extent = models.JSONField(_("Ausdehnung"), default=list, blank=True,
                              help_text="[min lon, min lat, max lon, max lat] of the graph's nodes")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["region", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="gaps_network_unique_name")]
        verbose_name = _("Wegenetz")
        verbose_name_plural = _("Wegenetze")

    def __str__(self) -> str:
        return self.name
