"""Atlas fixtures: the Dortmund and Kreis Düren demo indicators, loaded once per session (like the areas)."""

from __future__ import annotations

from typing import Any

import pytest


def _silent(*_a: Any) -> None:
    return None


def ensure_indicators() -> None:
    from begegnungsatlas.atlas import demo
    from begegnungsatlas.atlas.models import IndicatorValue

    if not IndicatorValue.objects.filter(indicator__slug="unemployed_pct").exists():
        demo.indicators_dortmund(out=_silent)
    if not IndicatorValue.objects.filter(indicator__slug="einwohner_zensus2022").exists():
        demo.indicators_kreis_dueren(out=_silent)


@pytest.fixture(scope="session")
def _atlas_session_data(django_db_setup: Any, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        ensure_indicators()


@pytest.fixture
def atlas_data(_atlas_session_data: Any, db: Any) -> None:
    """Dortmund 2018/2024 indicators and Kreis Düren Zensus population (reloaded if a flush removed them)."""
    ensure_indicators()
