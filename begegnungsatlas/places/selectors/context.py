"""Reads for context layers (Kitas, Schulen, Spielplätze …): shown on maps beside the places, never as places."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from ..models import ContextFeature


def context_layers() -> list[dict[str, Any]]:
    """The layers with their display name and number of points, in name order."""
    rows = (ContextFeature.objects.values("layer", "layer_name").annotate(n=Count("id")).order_by("layer_name"))
    return [{"slug": r["layer"], "name": r["layer_name"], "count": r["n"]} for r in rows]


def context_points(*, layer: str) -> dict[str, Any]:
    """One layer as a GeoJSON FeatureCollection (EPSG:4326) with name, kind, address and source."""
    rows = ContextFeature.objects.filter(layer=layer).order_by("name", "id").values_list(
        "name", "kind", "street", "source", "lon", "lat", "layer_name"
    )
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {"name": name, "kind": kind, "street": street, "source": source, "layer": layer_name},
            }
            for name, kind, street, source, lon, lat, layer_name in rows
        ],
    }
