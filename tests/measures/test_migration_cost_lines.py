"""Migration 0003_measures_cost_lines moves the former single cost estimate into one cost line (and back)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("measures", "0002_measures_funding_calls")]
AFTER = [("measures", "0003_measures_cost_lines")]


def _migrate(target: list[tuple[str, str]]):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@pytest.mark.django_db(transaction=True)
def test_single_estimate_becomes_one_line_and_back():
    old = _migrate(BEFORE)
    feld = old.get_model("measures", "Handlungsfeld").objects.create(slug="bildung", name="Bildung")
    measure_model = old.get_model("measures", "Measure")
    sheet_model = old.get_model("measures", "Werkzeugblatt")
    with_cost = sheet_model.objects.create(
        measure=measure_model.objects.create(handlungsfeld=feld, title="A"), cost_cents=1_250_050)
    sheet_model.objects.create(measure=measure_model.objects.create(handlungsfeld=feld, title="B"))
    try:
        new = _migrate(AFTER)
        lines = list(new.get_model("measures", "CostLine").objects.values_list("sheet_id", "kind", "amount"))
        assert lines == [(with_cost.pk, "other", Decimal("12500.50"))]
        back = _migrate(BEFORE)
        assert back.get_model("measures", "Werkzeugblatt").objects.get(pk=with_cost.pk).cost_cents == 1_250_050
    finally:
        _migrate(AFTER)
        new = _migrate(AFTER)
        new.get_model("measures", "Measure").objects.all().delete()
        new.get_model("measures", "Handlungsfeld").objects.all().delete()
