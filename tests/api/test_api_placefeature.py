"""``PlaceFeature`` (precomputed OGC feature text) stays equal to what the ORM gives, after every kind of write.

After each write path (services, editor-style save with offers, import create/update, admin, suggestion
acceptance, target-group edits, Kommune rename, delete) the items computed from the stored text must be the
same bytes as the plain dict path over the ORM (``selectors.places_in_bbox_page`` + ``ogc.items``), for the
whole collection and for a bbox, with paging; and the view must serve the same document. SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from begegnungsatlas.api import ogc, selectors
from begegnungsatlas.api.models import PlaceFeature
from begegnungsatlas.api.services import place_features_refresh
from begegnungsatlas.atlas.models import Area
from begegnungsatlas.places.models import Place, Suggestion, TargetGroup
from begegnungsatlas.places.services.imports.service import import_file
from begegnungsatlas.places.services.places import place_create, place_delete, place_save, place_update
from begegnungsatlas.places.services.suggestions import suggestion_accept
from tests.conftest import place_admin_form

ITEMS = "/api/ogc/collections/places/items"
BASE = "http://testserver/api/ogc/"
DUEREN_BOX = (6.40, 50.75, 6.55, 50.85)
PAGES = ((1000, 0), (2, 0), (2, 1), (3, 50))


def dict_items(bbox: Any, limit: int, offset: int) -> str:
    page = selectors.places_in_bbox_page(bbox=bbox, limit=limit, offset=offset)
    return ogc.dumps(ogc.items(BASE, "places", page, limit=limit, offset=offset, query={}, timestamp="T"))


def stored_items(bbox: Any, limit: int, offset: int) -> str:
    got = selectors.place_features_text(bbox=bbox, limit=limit, offset=offset)
    return ogc.places_items_json_from_text(BASE, got.text, returned=got.returned, total=got.total, limit=limit,
                                           offset=offset, query={}, timestamp="T")


def assert_in_step(client: Any) -> dict[str, Any]:
    """Stored text == ORM for every page case; the view serves the same. Returns the whole collection."""
    shown = Place.objects.filter(is_published=True, lon__isnull=False, lat__isnull=False)
    assert set(PlaceFeature.objects.values_list("place_id", flat=True)) == set(shown.values_list("pk", flat=True))
    for bbox in (None, DUEREN_BOX):
        for limit, offset in PAGES:
            assert stored_items(bbox, limit, offset) == dict_items(bbox, limit, offset), (bbox, limit, offset)
    doc = client.get(ITEMS, {"limit": 1000}).json()
    doc["timeStamp"] = "T"
    assert json.dumps(doc, ensure_ascii=False) == json.dumps(json.loads(dict_items(None, 1000, 0)),
                                                              ensure_ascii=False)
    return doc


def names(doc: dict[str, Any]) -> list[str]:
    return [f["properties"]["name"] for f in doc["features"]]


def feature(doc: dict[str, Any], name: str) -> dict[str, Any]:
    return next(f for f in doc["features"] if f["properties"]["name"] == name)


DATA = {"name": 'Treff "Am Markt" \\ Düren', "street": "Markt 1", "postcode": "52349", "city": "Düren",
        "lon": 6.4830, "lat": 50.8040, "opening_hours": "Mo-Fr 09:00-12:00", "status": "existing"}


def test_service_writes_keep_the_text_in_step(client: Any, planner: Any, regions: Any) -> None:
    assert_in_step(client)
    a = place_create(actor=planner, data=DATA, target_groups=["senioren", "kinder"])
    b = place_create(actor=planner, data={**DATA, "name": "Zweiter Ort", "lon": 6.49, "lat": 50.80})
    doc = assert_in_step(client)
    assert feature(doc, DATA["name"])["properties"]["kommune"] == "053580008008"
    assert feature(doc, DATA["name"])["properties"]["target_groups"] == ["kinder", "senioren"]

    place_update(actor=planner, place=a, data={"name": "Umbenannt", "wheelchair": "yes"}, target_groups=["familien"])
    doc = assert_in_step(client)
    assert feature(doc, "Umbenannt")["properties"]["target_groups"] == ["familien"]
    # moved to Dortmund: another Kommune, out of the Düren bbox
    place_update(actor=planner, place=a, data={"lon": 7.4650, "lat": 51.5140})
    doc = assert_in_step(client)
    assert feature(doc, "Umbenannt")["properties"]["kommune"] == "059130000000"
    place_update(actor=planner, place=b, data={"is_published": False})
    assert "Zweiter Ort" not in names(assert_in_step(client))
    place_update(actor=planner, place=b, data={"is_published": True})
    assert "Zweiter Ort" in names(assert_in_step(client))
    place_save(actor=planner, place=b, data={"name": "Mit Angebot"}, offers=[
        {"data": {"title": "Sprachcafé", "schedule": "Th 15:00-17:00"}}])
    assert "Mit Angebot" in names(assert_in_step(client))
    place_delete(actor=planner, place=Place.objects.get(pk=b.pk))
    assert "Mit Angebot" not in names(assert_in_step(client))


def test_import_create_and_update_keep_the_text_in_step(client: Any, planner: Any, regions: Any,
                                                        tmp_path: Path) -> None:
    header = "Name;Status;Straße;PLZ;Ort;Breite;Länge;Öffnungszeiten;Zielgruppen\n"
    csv = tmp_path / "orte.csv"
    csv.write_text(header + "Importtreff;besteht;Weg 1;52349;Düren;50,8040;6,4820;Mo 10:00-12:00;Kinder\n"
                   "Zweiter Importtreff;besteht;Weg 2;52428;Jülich;50,9222;6,3597;;Familien\n", encoding="utf-8")
    result = import_file(csv, actor=planner, source="Testliste")
    assert result.written
    doc = assert_in_step(client)
    assert {"Importtreff", "Zweiter Importtreff"} <= set(names(doc))
    csv.write_text(header + "Importtreff;besteht;Weg 1;52349;Düren;50,8040;6,4820;Mo-Fr 10:00-12:00;Senioren\n",
                   encoding="utf-8")
    result = import_file(csv, actor=planner, source="Testliste", duplicate_action="update")
    assert result.written
    doc = assert_in_step(client)
    props = feature(doc, "Importtreff")["properties"]
    assert props["opening_hours"] == "Mo-Fr 10:00-12:00"
    assert props["target_groups"] == ["kinder", "senioren"]


def test_suggestion_acceptance_keeps_the_text_in_step(client: Any, moderator: Any, regions: Any) -> None:
    suggestion = Suggestion.objects.create(kind="new_place", name="Vorgeschlagener Treff", lon=6.48, lat=50.80,
                                           submitter_email="buerger@example.org")
    suggestion_accept(actor=moderator, suggestion=suggestion, target_groups=list(
        TargetGroup.objects.filter(slug="senioren")))
    assert feature(assert_in_step(client), "Vorgeschlagener Treff")["properties"]["target_groups"] == ["senioren"]



def test_admin_and_vocabulary_edits_keep_the_text_in_step(client: Any, make_user: Any, regions: Any) -> None:
    admin = logged_in(make_user("planner", username="planung-admin", is_staff=True))
    assert admin.post(reverse("admin:places_place_add"), place_admin_form()).status_code == 302
    place = Place.objects.get(name="Admin-Ort")
    assert "Admin-Ort" in names(assert_in_step(client))
    assert admin.post(reverse("admin:places_place_change", args=[place.pk]),
                      place_admin_form(name="Admin-Ort 2", target_groups=[
                          str(TargetGroup.objects.get(slug="senioren").pk)])).status_code == 302
    assert feature(assert_in_step(client), "Admin-Ort 2")["properties"]["target_groups"] == ["senioren"]

    # the target group's slug and order are part of the text
    group = TargetGroup.objects.get(slug="senioren")
    form = {"name_de": group.name_de, "name_en": group.name_en, "slug": "aeltere-menschen", "sort": group.sort}
    assert admin.post(reverse("admin:places_targetgroup_change", args=[group.pk]), form).status_code == 302
    assert feature(assert_in_step(client), "Admin-Ort 2")["properties"]["target_groups"] == ["aeltere-menschen"]
    assert admin.post(reverse("admin:places_targetgroup_delete", args=[group.pk]), {"post": "yes"}).status_code == 302
    assert feature(assert_in_step(client), "Admin-Ort 2")["properties"]["target_groups"] == []

    assert admin.post(reverse("admin:places_place_delete", args=[place.pk]), {"post": "yes"}).status_code == 302
    assert "Admin-Ort 2" not in names(assert_in_step(client))


def logged_in(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_kommune_rename_needs_no_refresh(client: Any, planner: Any, regions: Any) -> None:
    place_create(actor=planner, data=DATA)
    # Kommune code and name are joined when reading (awkward characters: the SQL escaping equals json.dumps)
    Area.objects.filter(code="053580008008").update(name='Dü"ren \\ neu\n\tß 🙂 \x01', code="05358\u20280008")
    doc = assert_in_step(client)
    assert feature(doc, DATA["name"])["properties"]["kommune_name"] == 'Dü"ren \\ neu\n\tß 🙂 \x01'


def test_full_refresh_rebuilds_the_table(client: Any, planner: Any, regions: Any) -> None:
    place_create(actor=planner, data=DATA)
    Place.objects.create(name="Am Dienst vorbei", lon=6.47, lat=50.81)  # a raw write: missing until refreshed
    assert not PlaceFeature.objects.filter(place__name="Am Dienst vorbei").exists()
    PlaceFeature.objects.filter(place__name=DATA["name"]).update(head="kaputt")
    assert place_features_refresh() == 2
    assert "Am Dienst vorbei" in names(assert_in_step(client))


@pytest.mark.parametrize("ids", [[], [10**9]])
def test_refresh_of_unknown_ids_writes_nothing(db: Any, ids: list[int]) -> None:
    assert place_features_refresh(place_ids=ids) == 0


def test_refresh_command_rebuilds_the_table(planner, capsys):
    from django.core.management import call_command

    from begegnungsatlas.api.models import PlaceFeature
    from begegnungsatlas.places.services.places import place_create

    place = place_create(actor=planner, data={"name": "Treff am Markt", "lon": 7.4653, "lat": 51.5136})
    PlaceFeature.objects.all().delete()
    call_command("refresh_place_features")
    assert "für die OGC-API aufbereitet" in capsys.readouterr().out
    assert PlaceFeature.objects.filter(place=place).count() == 1
