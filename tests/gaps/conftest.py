"""Gap-analysis fixtures: the bundled Zensus 2011 grid for Kreis Düren and a few places in Düren."""

from __future__ import annotations

from typing import Any

import pytest


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
