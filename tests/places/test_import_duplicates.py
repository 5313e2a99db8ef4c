"""Duplicate detection: similar name within a distance, against existing places and within the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from begegnungsatlas.core.models import AuditEvent
from begegnungsatlas.places.models import Place
from begegnungsatlas.places.services.imports import import_file
from begegnungsatlas.places.services.imports.duplicates import similar_names

pytestmark = pytest.mark.django_db
HEADER = "Name;Breite;Länge;Öffnungszeiten;Zielgruppen\n"


def _csv(tmp_path: Path, rows: str) -> Path:
    path = tmp_path / "d.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


@pytest.fixture
def existing() -> Place:
    return Place.objects.create(name="AWO Begegnungsstätte Sölde", lon=7.587432, lat=51.4923, street="Sölder Straße 148")


def test_similar_names() -> None:
    assert similar_names("AWO Begegnungsstätte Sölde", "Awo Begegnungsstätte  Sölde e.V.")
    assert similar_names("Seniorenbüro Brackel", "Seniorenbüro Dortmund Brackel")
    assert not similar_names("Stadtteilbibliothek Huckarde", "Städtisches Begegnungszentrum Huckarde")
    assert not similar_names("Treff", "Treff Persebeck")  # a one-word name is not contained loosely


def test_existing_place_nearby_is_skipped(tmp_path: Path, existing: Place) -> None:
    # 0.0002° latitude ≈ 22 m
    path = _csv(tmp_path, "AWO Begegnungsstätte Sölde e.V.;51,4925;7,587432;Mo 10:00-12:00;senioren\n")
    before = Place.objects.count()
    result = import_file(path, actor=None)
    assert Place.objects.count() == before
    row = result.skipped_rows[0]
    assert row.existing_id == existing.pk
    assert not row.is_error
    assert "Dublette des vorhandenen Ortes „AWO Begegnungsstätte Sölde“ (ähnlicher Name, 22 m entfernt)" in row.reason


def test_same_name_far_away_is_not_a_duplicate(tmp_path: Path, existing: Place) -> None:
    path = _csv(tmp_path, "AWO Begegnungsstätte Sölde;51,4950;7,587432;;\n")  # ≈ 300 m
    assert import_file(path, actor=None).created == 1


def test_distance_is_configurable(tmp_path: Path, existing: Place) -> None:
    path = _csv(tmp_path, "AWO Begegnungsstätte Sölde;51,4950;7,587432;;\n")
    result = import_file(path, actor=None, dry_run=True, duplicate_distance_m=500)
    assert result.skipped == 1


def test_update_action_changes_the_existing_place(tmp_path: Path, existing: Place, planner) -> None:
    path = _csv(tmp_path, "AWO Begegnungsstätte Sölde;51,4925;7,587432;Mo 10:00-12:00;senioren\n")
    before = Place.objects.count()
    result = import_file(path, actor=planner, duplicate_action="update")
    assert result.updated == 1
    assert Place.objects.count() == before
    existing.refresh_from_db()
    assert existing.opening_hours == "Mo 10:00-12:00"
    assert existing.street == "Sölder Straße 148"  # not in the file: kept
    assert existing.kommune.code == "059130000000"
    assert list(existing.target_groups.values_list("slug", flat=True)) == ["senioren"]
    event = AuditEvent.objects.get(action="place.import", object_id=str(existing.pk))
    assert event.changes["opening_hours"] == ["", "Mo 10:00-12:00"]


def test_duplicates_within_the_file(tmp_path: Path) -> None:
    path = _csv(tmp_path, "Treff am Markt;50,8040;6,4820;;\nTreff am Markt;50,80405;6,48205;;\nTreff am Bahnhof;50,8040;6,4821;;\n")
    result = import_file(path, actor=None)
    assert (result.created, result.skipped) == (2, 1)
    row = result.skipped_rows[0]
    assert row.row == 3
    assert "Dublette von Zeile 2 „Treff am Markt“ in derselben Datei" in row.reason
