"""place_create / place_update / place_delete / place_save: validation, Kommune by point, audit diff."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from begegnungsatlas.core.models import AuditEvent
from begegnungsatlas.places.errors import PlaceError
from begegnungsatlas.places.models import Offer, Organisation, Place, PlaceActor
from begegnungsatlas.places.services.places import place_create, place_delete, place_save, place_update

DUEREN = {"lon": 6.4836, "lat": 50.8048}
JUELICH = {"lon": 6.3594, "lat": 50.9220}
DORTMUND = {"lon": 7.4653, "lat": 51.5136}


def _events(place_id):
    return AuditEvent.objects.filter(object_type="places.place", object_id=str(place_id)).order_by("id")


def test_create_assigns_kommune_and_area_by_point_and_records_audit(planner):
    place = place_create(actor=planner, data={"name": "Bürgertreff", **DORTMUND, "opening_hours": "Mo-Fr 10:00-18:00"},
                         target_groups=["familien"], qualities=["offen"])
    assert place.kommune.code == "059130000000"
    assert place.area is not None
    assert place.area.level.slug == "unterbezirk"
    event = _events(place.pk).get()
    assert event.action == "place.create"
    assert event.actor == planner
    assert event.changes["new"]["name"] == "Bürgertreff"
    assert event.changes["new"]["target_groups"] == ["familien"]


def test_update_records_field_by_field_diff(planner):
    place = place_create(actor=planner, data={"name": "Treff", **DUEREN})
    place_update(actor=planner, place=place, data={"name": "Treff am Markt", "opening_hours": "Sa 10:00-12:00"},
                 target_groups=["senioren"])
    event = _events(place.pk).last()
    assert event.action == "place.update"
    assert event.changes["name"] == ["Treff", "Treff am Markt"]
    assert event.changes["opening_hours"] == ["", "Sa 10:00-12:00"]
    assert event.changes["target_groups"] == [[], ["senioren"]]
    assert "city" not in event.changes


def test_invalid_opening_hours_german_message_and_nothing_saved(planner):
    with pytest.raises(PlaceError, match="nicht im OpenStreetMap-Format lesbar"):
        place_create(actor=planner, data={"name": "Kaputt", **DUEREN, "opening_hours": "Montag bis Freitag 9-17"})
    assert not Place.objects.filter(name="Kaputt").exists()
    assert not AuditEvent.objects.filter(object_label="Kaputt").exists()


def test_invalid_opening_hours_on_update_leaves_place_unchanged(planner):
    place = place_create(actor=planner, data={"name": "Stabil", **DUEREN, "opening_hours": "Mo 10:00-12:00"})
    with pytest.raises(PlaceError, match="OpenStreetMap"):
        place_update(actor=planner, place=place, data={"name": "Neu", "opening_hours": "Mo 25:00-26:99"})
    place.refresh_from_db()
    assert (place.name, place.opening_hours) == ("Stabil", "Mo 10:00-12:00")


@pytest.mark.parametrize(("lon", "lat"), [(13.4, 52.5), (50.8, 6.48)])  # Berlin; lat/lon swapped
def test_coordinates_outside_the_region_are_refused(planner, lon, lat):
    with pytest.raises(PlaceError, match="außerhalb der Gebiete"):
        place_create(actor=planner, data={"name": "Weit weg", "lon": lon, "lat": lat})
    assert not Place.objects.filter(name="Weit weg").exists()


def test_physical_place_needs_a_point(planner):
    with pytest.raises(PlaceError, match="braucht eine Lage"):
        place_create(actor=planner, data={"name": "Ohne Punkt", "lon": None, "lat": None})


def test_kommune_editor_cannot_create_outside_own_kommune(editor_dueren):
    with pytest.raises(PlaceError, match="liegt in Jülich.*eigenen Kommune"):
        place_create(actor=editor_dueren, data={"name": "Fremd", **JUELICH})
    place = place_create(actor=editor_dueren, data={"name": "Eigen", **DUEREN})
    assert place.kommune == editor_dueren.kommune


def test_kommune_editor_cannot_move_place_into_other_kommune(editor_dueren):
    place = place_create(actor=editor_dueren, data={"name": "Eigen", **DUEREN})
    with pytest.raises(PlaceError, match="liegt in Jülich"):
        place_update(actor=editor_dueren, place=place, data=JUELICH)
    place.refresh_from_db()
    assert place.lon == DUEREN["lon"]


def test_kommune_editor_virtual_place_belongs_to_own_kommune(editor_dueren):
    place = place_create(actor=editor_dueren, data={"name": "Online-Treff", "kind": "virtual", "lon": None,
                                                    "lat": None, "virtual_url": "https://example.org/treff"})
    assert place.kommune == editor_dueren.kommune


def test_operator_place_is_run_by_own_organisation_and_cannot_drop_it(make_user):
    org = Organisation.objects.create(name="AWO Test", kind="wohlfahrtsverband")
    other = Organisation.objects.create(name="Kirchengemeinde", kind="kirche")
    operator = make_user("operator", organisation=org)
    place = place_create(actor=operator, data={"name": "AWO-Treff", **DORTMUND}, actors=[(other, "provides")])
    roles = set(PlaceActor.objects.filter(place=place).values_list("organisation__name", "role"))
    assert roles == {("AWO Test", "runs"), ("Kirchengemeinde", "provides")}
    with pytest.raises(PlaceError, match="weiterhin bereitstellen oder bespielen"):
        place_update(actor=operator, place=place, data={}, actors=[(other, "provides")])
    assert PlaceActor.objects.filter(place=place, organisation=org).exists()


def test_operator_cannot_update_foreign_place(make_user, planner):
    org = Organisation.objects.create(name="Verein A", kind="verein")
    operator = make_user("operator", organisation=org)
    place = place_create(actor=planner, data={"name": "Fremder Ort", **DORTMUND})
    with pytest.raises(PermissionDenied, match="Ihre Organisation"):
        place_update(actor=operator, place=place, data={"name": "gekapert"})


def test_delete_records_snapshot_and_is_denied_for_operator(planner, make_user):
    org = Organisation.objects.create(name="Verein B", kind="verein")
    operator = make_user("operator", organisation=org)
    place = place_create(actor=planner, data={"name": "Weg damit", **DUEREN}, actors=[(org, "runs")])
    with pytest.raises(PermissionDenied):
        place_delete(actor=operator, place=place)
    pk = place.pk
    place_delete(actor=planner, place=place)
    assert not Place.objects.filter(pk=pk).exists()
    event = _events(pk).last()
    assert event.action == "place.delete"
    assert event.changes["old"]["name"] == "Weg damit"


def test_place_save_with_offers_is_all_or_nothing(planner):
    with pytest.raises(PlaceError, match="Termine des Angebots „Sprachcafé“"):
        place_save(actor=planner, place=None, data={"name": "Mit Angebot", **DUEREN},
                   offers=[{"data": {"title": "Sprachcafé", "schedule": "jeden Mittwoch"}}])
    assert not Place.objects.filter(name="Mit Angebot").exists()

    place = place_save(actor=planner, place=None, data={"name": "Mit Angebot", **DUEREN},
                       offers=[{"data": {"title": "Sprachcafé", "schedule": "We 15:00-17:00", "is_free": True},
                                "target_groups": ["neuzugewanderte"]}])
    offer = Offer.objects.get(place=place)
    assert list(offer.target_groups.values_list("slug", flat=True)) == ["neuzugewanderte"]
    place_save(actor=planner, place=place, data={},
               offers=[{"id": offer.pk, "data": {"title": "Sprachcafé", "schedule": "We 16:00-18:00"}}])
    update = _events(place.pk).filter(action="offer.update").get()
    assert update.changes["schedule"] == ["We 15:00-17:00", "We 16:00-18:00"]
    place_save(actor=planner, place=place, data={}, offers=[{"id": offer.pk, "delete": True}])
    assert not Offer.objects.filter(place=place).exists()
    assert _events(place.pk).filter(action="offer.delete").exists()
