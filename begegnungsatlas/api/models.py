"""Precomputed GeoJSON text of the places, for the OGC items hot path (``api.selectors.place_features_text``).

One row per place that the OGC ``places`` collection shows (published, with a point), holding the feature's
JSON text in two pieces around the Kommune: ``head`` ends with ``"kommune":`` and ``tail`` starts with
``,"wheelchair":``. The Kommune's code and name are joined from ``atlas.Area`` when reading, so renaming an
area never leaves stale text. Rows are written only by ``api.services.place_features_refresh``, which every
write path of places calls inside its transaction.
"""

from __future__ import annotations

from django.db import models

from begegnungsatlas.atlas.models import Area
from begegnungsatlas.places.models import Place


class PlaceFeature(models.Model):
    place = models.OneToOneField(Place, on_delete=models.CASCADE, primary_key=True, related_name="+")
    # Mirrors Place.kommune (PROTECT there, so the area cannot vanish while the place points to it).
    kommune = models.ForeignKey(Area, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False,
                                related_name="+")
    lon = models.FloatField()
    lat = models.FloatField()
    head = models.TextField()
    tail = models.TextField()

    class Meta:
        indexes = [models.Index(fields=["lon", "lat"], name="api_placefeature_lonlat")]

    def __str__(self) -> str:
        return f"PlaceFeature({self.place_id})"
