"""One write path for places: the admin and the importer go through ``places.services.places``.

The admin's save is one ``place_save`` call (inline actors and offers included), the importer's write is
``places_write_bulk``; both share ``place_clean`` (with the model's ``full_clean``), the history snapshot, the audit
trail and the refresh of the OGC feature text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from begegnungsatlas.api.models import PlaceFeature
from begegnungsatlas.core.models import AuditEvent
from begegnungsatlas.places import admin as places_admin
from begegnungsatlas.places.errors import PlaceError
from begegnungsatlas.places.models import Organisation, Place
from begegnungsatlas.places.services import places as services
from begegnungsatlas.places.services.imports import import_file
from tests.conftest import place_admin_form

pytestmark = pytest.mark.django_db



@pytest.fixture
def staff_planner(make_user: Any) -> Any:
    return make_user("planner", username="planung-admin", is_staff=True)


def test_admin_save_is_one_call_of_place_save(client: Any, staff_planner: Any, monkeypatch: Any) -> None:
    calls: list[dict[str, Any]] = []
    real = services.place_save

    def spy(**kwargs: Any) -> Place:
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(places_admin, "place_save", spy)
    org = Organisation.objects.create(name="Träger Admin", kind="verein")
    client.force_login(staff_planner)
    response = client.post(reverse("admin:places_place_add"), place_admin_form(**{
        "place_actors-TOTAL_FORMS": "1", "place_actors-0-organisation": str(org.pk), "place_actors-0-role": "runs",
        "offers-TOTAL_FORMS": "1", "offers-0-title": "Spieletreff", "offers-0-category": "leisure",
        "offers-0-description": "", "offers-0-schedule": "We 15:00-17:00", "offers-0-cost_note": "",
        "offers-0-organisation": "", "offers-0-is_free": "on",
    }))
    assert response.status_code == 302, [str(e) for e in response.context["inline_admin_formsets"]
                                         for e in e.formset.errors] + [str(response.context["errors"])]
    assert len(calls) == 1
    assert calls[0]["note"] == "Verwaltung"
    place = Place.objects.get(name="Admin-Ort")
    assert [(a.organisation, a.role) for a in place.place_actors.all()] == [(org, "runs")]
    assert list(place.offers.values_list("title", "schedule")) == [("Spieletreff", "We 15:00-17:00")]
    # the service's audit (with the admin's note), also for the offer, and its feature text
    events = AuditEvent.objects.filter(object_id=str(place.pk)).order_by("id")
    assert [(e.action, e.note) for e in events] == [("place.create", "Verwaltung"), ("offer.create", "Verwaltung")]
    assert events[0].changes["new"] == services._jsonable(services.place_snapshot(place))
    assert PlaceFeature.objects.filter(place=place).exists()


def test_admin_refuses_what_the_model_refuses(client: Any, staff_planner: Any) -> None:
    client.force_login(staff_planner)
    # A physical place needs a point, as in the editor: the shared place_clean says so in the admin too.
    response = client.post(reverse("admin:places_place_add"), place_admin_form(lon="", lat=""))
    assert response.status_code == 200
    assert "Ein Ort vor Ort braucht eine Lage" in response.content.decode()
    assert not Place.objects.exists()
    assert not AuditEvent.objects.filter(object_type="places.place").exists()


def test_place_clean_runs_the_models_full_clean() -> None:
    with pytest.raises(PlaceError, match="Kapazität"):
        services.place_clean(data={"name": "Groß", "capacity": -3, "lon": 6.4836, "lat": 50.8048})
    with pytest.raises(PlaceError, match="Art"):
        services.place_clean(data={"name": "Seltsam", "kind": "unterirdisch", "lon": 6.4836, "lat": 50.8048})
    place = services.place_clean(data={"name": "  Treff  ", "lon": 6.4836, "lat": 50.8048})
    assert place.name == "Treff"
    assert place.kommune is not None
    assert place.pk is None


def test_service_refuses_invalid_model_values(planner: Any) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(PlaceError, match="Website"):
        services.place_create(actor=planner, data={"name": "Treff", "lon": 6.4836, "lat": 50.8048,
                                                   "website": "kein link"})
    assert not Place.objects.exists()
    assert AuditEvent.objects.count() == before


def _csv(tmp_path: Path, rows: str) -> Path:
    path = tmp_path / "w.csv"
    path.write_text("Name;Breite;Länge;Zielgruppen;Kapazität;Träger\n" + rows, encoding="utf-8")
    return path


def test_import_writes_through_the_bulk_service(tmp_path: Path, planner: Any, monkeypatch: Any) -> None:
    from begegnungsatlas.places.services.imports import service as import_service

    calls: list[int] = []
    real = services.places_write_bulk

    def spy(**kwargs: Any) -> list[int]:
        calls.append(len(kwargs["items"]))
        return real(**kwargs)

    monkeypatch.setattr(import_service, "places_write_bulk", spy)
    result = import_file(_csv(tmp_path, "Treff am Markt;50,8040;6,4820;kinder;12;AWO Import\n"), actor=planner)
    assert result.created == 1
    assert calls == [1]
    place = Place.objects.get(name="Treff am Markt")
    event = AuditEvent.objects.get(action="place.import", object_id=str(place.pk))
    # the same snapshot as every other write of a place (not a shape of the importer's own)
    assert event.changes["new"] == services._jsonable(services.place_snapshot(place))
    assert event.changes["new"]["actors"] == ["AWO Import (runs)"]
    assert PlaceFeature.objects.filter(place=place).exists()


def test_import_row_the_model_refuses_is_a_row_error(tmp_path: Path) -> None:
    # The source name is checked by the model (200 characters), not by the row reader: without the shared
    # validation the row would reach the database (an error on PostgreSQL, silently kept on SQLite).
    path = _csv(tmp_path, "Treff;50,8040;6,4820;;;\n")
    result = import_file(path, actor=None, source="Q" * 201)
    (bad,) = result.errors
    assert bad.row == 2
    assert "Quelle" in bad.reason
    assert not Place.objects.exists()
    assert import_file(path, actor=None, source="Q" * 200).created == 1
