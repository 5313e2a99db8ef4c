"""Demo loader: the bundled Zensus 2011 1 km grid (age classes, country of birth) for Kreis Düren and Dortmund."""

from __future__ import annotations

from collections.abc import Callable

from begegnungsatlas.atlas.models import Region

from .services.population import ZENSUS2011_BOXES, zensus2011_import


def load(*, out: Callable[[str], object] = print) -> None:
    for region in Region.objects.filter(slug__in=list(ZENSUS2011_BOXES)):
        summary = zensus2011_import(region=region)
        out(f"Versorgung: Zensus 2011 (1 km) für {region.name}: {summary.cells} Zellen, "
            f"{summary.in_areas} in Gebieten der Region")
