"""Gap-analysis fixtures: the bundled Zensus 2011 grid for Kreis Düren and a few places in Düren."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest


def core_inputs(grid: Any, places: list[Any], group: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """What the analysis core gets for ``grid`` and ``places``, built by hand: cell xy, demand of ``group``,
    place xy (EPSG:25832) and capacities (default 1)."""
    from begegnungsatlas.gaps.services.analysis import demand_of, metric_xy

    cells = list(grid.cells.order_by("id"))
    return (np.array([[c.x, c.y] for c in cells]), np.array([demand_of(c, group) for c in cells]),
            metric_xy([(p.lon, p.lat) for p in places]), np.array([float(p.capacity or 1) for p in places]))


def core_cell_values(method: str, xy: np.ndarray, demand: np.ndarray, supply: np.ndarray, capacity: np.ndarray,
                     radius: float) -> np.ndarray:
    """The per-cell value of ``method`` from the analysis core called directly (2SFCA per 1,000 persons)."""
    from begegnungsatlas.analysis.accessibility import coverage, enhanced_two_step_fca, nearest, two_step_fca

    if method == "nearest":
        return nearest(xy, supply).distance
    if method == "coverage":
        return coverage(xy, supply, radius, weights=demand).covered.astype(float)
    fca = {"2sfca": two_step_fca, "e2sfca": enhanced_two_step_fca}[method]
    return 1000 * fca(xy, demand, supply, capacity, radius)


@pytest.fixture
def dueren_grid(db: Any) -> Any:
    from begegnungsatlas.atlas.models import Region
    from begegnungsatlas.gaps.services.population import zensus2011_import

    return zensus2011_import(region=Region.objects.get(slug="kreis-dueren")).grid


@pytest.fixture
def dueren_places(planner: Any) -> list[Any]:
    """Three places for older people in the town of Düren and in Jülich; one planned site; one Potenzialraum."""
    from begegnungsatlas.places.services.places import place_create

    def make(name: str, lon: float, lat: float, status: str = "existing", groups: tuple[str, ...] = ("senioren",),
             **extra: Any) -> Any:
        return place_create(actor=planner, data={"name": name, "lon": lon, "lat": lat, "status": status, **extra},
                            target_groups=list(groups))

    return [
        make("Seniorentreff Düren Mitte", 6.4830, 50.8035, capacity=40),
        make("Begegnung Birkesdorf", 6.4790, 50.8270),
        make("Seniorencafé Jülich", 6.3610, 50.9220, opening_hours="Mo-Fr 09:00-17:00"),
        make("Geplanter Treff Kreuzau", 6.4900, 50.7470, status="planned"),
        make("Potenzialraum Nideggen", 6.4830, 50.6890, status="potential"),
    ]


@pytest.fixture
def save_scenario(client: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any) -> Any:
    """POST the save form, then let the real database worker run the queued job (as in production).

    The test runs inside one transaction; the worker's ``close_old_connections`` would close that connection on
    PostgreSQL (autocommit is off inside it), so it is a no-op here.
    """
    from django.core.management import call_command
    from django.urls import reverse

    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)

    def save(data: dict[str, Any]) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            resp = client.post(reverse("gaps:scenario_create"), data)
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
        return resp

    return save


OSM_DIR = __import__("pathlib").Path(__file__).resolve().parents[2] / "begegnungsatlas" / "data" / "osm"
APLERBECK = OSM_DIR / "dortmund_aplerbeck_osr_testdata.osm.pbf"


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    """Stored files go to a temporary folder (the default storage is re-created when STORAGES changes)."""
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    return tmp_path


@pytest.fixture
def dortmund_grid(db: Any) -> Any:
    from begegnungsatlas.atlas.models import Region
    from begegnungsatlas.gaps.services.population import zensus2011_import

    return zensus2011_import(region=Region.objects.get(slug="dortmund")).grid


@pytest.fixture
def aplerbeck_network(db: Any, media: Any, planner: Any) -> Any:
    """The bundled real OSM extract of Dortmund-Aplerbeck, imported and built as a walking network."""
    from begegnungsatlas.atlas.models import Region
    from begegnungsatlas.gaps.services.networks import network_build, network_import

    network = network_import(region=Region.objects.get(slug="dortmund"), name="Aplerbeck", source="OSM (Test)",
                             content=APLERBECK.read_bytes(), original_name=APLERBECK.name, actor=planner)
    return network_build(network)


@pytest.fixture
def aplerbeck_places(planner: Any) -> list[Any]:
    """Two places for older people inside the Aplerbeck extract, one outside it (Dortmund city centre), a planned
    site and a Potenzialraum inside, one Potenzialraum outside."""
    from begegnungsatlas.places.services.places import place_create

    def make(name: str, lon: float, lat: float, status: str = "existing") -> Any:
        return place_create(actor=planner, data={"name": name, "lon": lon, "lat": lat, "status": status},
                            target_groups=["senioren"])

    return [
        make("Seniorentreff Aplerbeck Markt", 7.5560, 51.4930),
        make("Begegnung Aplerbeck Nord", 7.5575, 51.4950),
        make("Seniorenbüro Innenstadt", 7.4650, 51.5140),
        make("Geplanter Treff Aplerbeck Ost", 7.5585, 51.4940, status="planned"),
        make("Potenzialraum Aplerbeck West", 7.5545, 51.4925, status="potential"),
        make("Potenzialraum Hörde", 7.4950, 51.4820, status="potential"),
    ]


@pytest.fixture
def aplerbeck_grid(db: Any) -> Any:
    """A 100 m grid over the Aplerbeck network (8 × 9 cells) with SYNTHETIC counts (test only, not real data):
    the bundled real 1 km Zensus grid has a single cell centre inside the small extract."""
    from begegnungsatlas.atlas.models import Region
    from begegnungsatlas.gaps.services.population import population_grid_import

    rows = [{"cell_id": f"100mN{n}E{e}", "ab65": str((e * 7 + n * 3) % 13 + 1)}
            for e in range(41510, 41518) for n in range(31561, 31570)]
    return population_grid_import(region=Region.objects.get(slug="dortmund"), name="Test 100 m (synthetisch)",
                                  data_year=2024, source="Test", rows=rows).grid
