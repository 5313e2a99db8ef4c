"""Sozialraum fixtures: Kreis Düren's 15 Kommunen with Zensus 2022 population as base units."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def dueren(db: Any) -> dict[str, Any]:
    from begegnungsatlas.atlas import demo
    from begegnungsatlas.atlas.models import AreaLevel, Indicator

    demo.indicators_kreis_dueren(out=lambda *_a: None)
    return {
        "kommune": AreaLevel.objects.get(region__slug="kreis-dueren", slug="kommune"),
        "population": Indicator.objects.get(slug="einwohner_zensus2022"),
        "density": Indicator.objects.get(slug="einwohner_dichte_zensus2022"),
        "area": Indicator.objects.get(slug="flaeche_km2"),
        "period": "2022-05-15",
    }


@pytest.fixture
def proposal(dueren: dict[str, Any], planner: Any) -> Any:
    from begegnungsatlas.sozialraum.services.propose import ProposalInputs, proposal_create

    inputs = ProposalInputs(base_level=dueren["kommune"], method="maxp", period=dueren["period"],
                            indicators=[(dueren["density"], 1.0)], population_indicator=dueren["population"],
                            min_population=40_000)
    return proposal_create(inputs=inputs, name="Dichte, 40.000", actor=planner)


@pytest.fixture
def draft(proposal: Any, planner: Any) -> Any:
    from begegnungsatlas.sozialraum.services.versions import sozialraum_create_from_proposal

    return sozialraum_create_from_proposal(proposal=proposal, series="Sozialräume Kreis Düren", actor=planner)


@pytest.fixture(autouse=True)
def worker_keeps_the_test_connection(monkeypatch: Any) -> None:
    """The view tests run the database worker in-process (``db_worker --batch``) inside the test's transaction;
    the worker's ``close_old_connections`` would close that connection on PostgreSQL (as in tests/gaps)."""
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)


@pytest.fixture
def zensus2011(dueren: dict[str, Any]) -> Any:
    """The bundled Zensus 2011 1 km grid imported for Kreis Düren (as the gap analysis does) and the NRW
    Kreise with their Fortschreibung by age group (the later count for the Kreis)."""
    from begegnungsatlas.atlas import demo
    from begegnungsatlas.gaps.services.population import zensus2011_import

    demo.load_nrw(out=lambda *_a: None)
    return zensus2011_import(region=dueren["kommune"].region).grid
