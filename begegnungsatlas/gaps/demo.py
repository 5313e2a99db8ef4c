"""Demo loader: the bundled Zensus 2011 1 km grid (age classes, country of birth) for Kreis Düren and Dortmund, the
Zensus 2022 persons per Gemeinde as an area table for Kreis Düren (spread by the 2011 grid), and the bundled OSM walking network of Dortmund-Aplerbeck (``data/osm/``, ODbL) as a walking network of Dortmund."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from begegnungsatlas.atlas.models import Region

from .models import OSM_ATTRIBUTION, WalkingNetwork
from .services.area_tables import zensus2022_table_import
from .services.networks import network_build, network_import
from .services.population import ZENSUS2011_BOXES, zensus2011_import

OSM_DIR = Path(__file__).resolve().parent.parent / "data" / "osm"
#: Bundled extracts per region slug: (file, name, source, data date). See data/osm/README.md.
DEMO_NETWORKS = {
    "dortmund": (
        "dortmund_aplerbeck_osr_testdata.osm.pbf", "OSM Dortmund-Aplerbeck (Ausschnitt)",
        "OpenStreetMap-Ausschnitt Dortmund-Aplerbeck (lon 7,527–7,574, lat 51,487–51,509), Testdaten des Projekts "
        "motis-project/osr (test/aplerbeck.osm.pbf)", "2026-06",
    ),
}


def load(*, out: Callable[[str], object] = print) -> None:
    for region in Region.objects.filter(slug__in=list(ZENSUS2011_BOXES)):
        summary = zensus2011_import(region=region)
        out(f"Versorgung: Zensus 2011 (1 km) für {region.name}: {summary.cells} Zellen, "
            f"{summary.in_areas} in Gebieten der Region")
        if region.slug == "kreis-dueren":  # Dortmund is one Gemeinde: a Gemeinde table says nothing inside it
            table = zensus2022_table_import(region=region, weight_grid=summary.grid)
            out(f"Versorgung: {table.grid.need_label}: {table.areas} Kommunen, {table.cells} Zellen")
    load_networks(out=out)


def load_networks(*, out: Callable[[str], object] = print) -> None:
    """Import and build the bundled walking networks (idempotent: an existing network of that name is kept)."""
    for slug, (filename, name, source, data_date) in DEMO_NETWORKS.items():
        region = Region.objects.filter(slug=slug).first()
        path = OSM_DIR / filename
        if region is None or not path.exists() or WalkingNetwork.objects.filter(region=region, name=name).exists():
            continue
        network = network_build(network_import(region=region, name=name, source=source, content=path.read_bytes(),
                                               original_name=filename, licence=OSM_ATTRIBUTION, data_date=data_date))
        out(f"Versorgung: Wegenetz „{name}“ für {region.name}: {network.message}")
