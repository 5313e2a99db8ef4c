"""The editor UI: create/edit with offers and actors, only allowed choices, clear messages, nothing half-written."""

from __future__ import annotations

import pytest
from django.urls import reverse

from begegnungsatlas.core.models import AuditEvent
from begegnungsatlas.places.models import Offer, Organisation, Place, PlaceActor, TargetGroup

DUEREN_POINT = {"lon": "6.4836", "lat": "50.8048"}
JUELICH_POINT = {"lon": "6.3594", "lat": "50.9220"}


def form_data(**overrides):
    data = {
        "name": "Familientreff", "description": "", "kind": "physical", "status": "existing",
        "street": "Markt 1", "postcode": "52349", "city": "Düren", **DUEREN_POINT, "virtual_url": "",
        "shared_building": "kita", "shared_building_note": "", "contact_name": "Frau Muster",
        "contact_email": "", "contact_phone": "", "opening_hours": "Mo-Fr 09:00-17:00; PH off",
        "wheelchair": "limited", "wheelchair_description": "Rampe am Seiteneingang", "capacity": "",
        "website": "", "target_groups": [str(TargetGroup.objects.get(slug="familien").pk)],
        "angebote-TOTAL_FORMS": "1", "angebote-INITIAL_FORMS": "0", "angebote-MIN_NUM_FORMS": "0",
        "angebote-MAX_NUM_FORMS": "1000",
        "angebote-0-title": "", "angebote-0-category": "other", "angebote-0-schedule": "",
        "angebote-0-description": "", "angebote-0-cost_note": "",
        "akteure-TOTAL_FORMS": "1", "akteure-INITIAL_FORMS": "0", "akteure-MIN_NUM_FORMS": "0",
        "akteure-MAX_NUM_FORMS": "1000", "akteure-0-organisation": "", "akteure-0-role": "",
    }
    data.update(overrides)
    return data


def test_create_form_only_shows_allowed_fields(client, editor_dueren, planner):
    client.force_login(editor_dueren)
    html = client.get(reverse("places:create")).content.decode()
    assert "Sie können nur Orte in Düren, Stadt anlegen" in html
    assert 'name="kommune"' not in html  # assigned by point-in-polygon, never picked
    assert 'name="is_published"' not in html
    assert 'name="is_example"' not in html
    assert 'data-map="picker"' in html
    client.force_login(planner)
    assert 'name="is_published"' in client.get(reverse("places:create")).content.decode()


def test_kommune_editor_creates_place_with_offer(client, editor_dueren):
    org = Organisation.objects.create(name="Caritas", kind="wohlfahrtsverband")
    client.force_login(editor_dueren)
    data = form_data(**{
        "angebote-0-title": "Familienbüro", "angebote-0-schedule": "Tu 10:00-12:00", "angebote-0-is_free": "on",
        "angebote-0-category": "counselling",
        "angebote-0-target_groups": [str(TargetGroup.objects.get(slug="alleinerziehende").pk)],
        "akteure-0-organisation": str(org.pk), "akteure-0-role": "runs",
    })
    response = client.post(reverse("places:create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    place = Place.objects.get(name="Familientreff")
    assert response["Location"] == reverse("places:detail", args=[place.pk])
    assert place.kommune == editor_dueren.kommune
    assert place.shared_building == "kita"
    offer = Offer.objects.get(place=place)
    assert (offer.title, offer.schedule, offer.category) == ("Familienbüro", "Tu 10:00-12:00", "counselling")
    assert list(offer.target_groups.values_list("slug", flat=True)) == ["alleinerziehende"]
    assert PlaceActor.objects.filter(place=place, organisation=org, role="runs").exists()
    actions = set(AuditEvent.objects.filter(object_id=str(place.pk), object_type="places.place")
                  .values_list("action", flat=True))
    assert actions == {"place.create", "offer.create"}


def test_point_outside_own_kommune_is_refused_with_clear_message(client, editor_dueren):
    client.force_login(editor_dueren)
    response = client.post(reverse("places:create"), form_data(**JUELICH_POINT))
    assert response.status_code == 400
    assert "Der Punkt liegt in Jülich, Stadt. Sie dürfen Orte nur innerhalb Ihrer eigenen Kommune anlegen." in \
        response.content.decode()
    assert not Place.objects.filter(name="Familientreff").exists()


def test_invalid_opening_hours_show_the_parser_message(client, editor_dueren):
    client.force_login(editor_dueren)
    response = client.post(reverse("places:create"), form_data(opening_hours="werktags 9 bis 17"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "sind nicht im OpenStreetMap-Format lesbar" in html
    assert "Traceback" not in html
    assert not Place.objects.exists() or not Place.objects.filter(name="Familientreff").exists()


def test_invalid_offer_schedule_saves_nothing(client, editor_dueren):
    client.force_login(editor_dueren)
    response = client.post(reverse("places:create"), form_data(**{"angebote-0-title": "Sprachcafé",
                                                                 "angebote-0-schedule": "mittwochs"}))
    assert response.status_code == 400
    assert "OpenStreetMap-Format" in response.content.decode()
    assert not Place.objects.filter(name="Familientreff").exists()
    assert not Offer.objects.filter(title="Sprachcafé").exists()


@pytest.mark.parametrize(("lon", "lat"), [("13.40", "52.52"), ("abc", "50.8"), ("6.48", "")])
def test_bad_coordinates_give_a_german_message(client, planner, lon, lat):
    client.force_login(planner)
    response = client.post(reverse("places:create"), form_data(lon=lon, lat=lat))
    assert response.status_code == 400
    html = response.content.decode()
    assert any(msg in html for msg in ("außerhalb der Gebiete", "Bitte geben Sie", "Zahl"))
    assert not Place.objects.filter(name="Familientreff").exists()


def test_operator_creates_place_run_by_own_organisation(client, make_user):
    org = Organisation.objects.create(name="Diakonie", kind="wohlfahrtsverband")
    operator = make_user("operator", organisation=org)
    client.force_login(operator)
    html = client.get(reverse("places:create")).content.decode()
    assert "Diakonie als bespielender Organisation" in html
    response = client.post(reverse("places:create"), form_data())
    assert response.status_code == 302
    place = Place.objects.get(name="Familientreff")
    assert PlaceActor.objects.filter(place=place, organisation=org, role="runs").exists()
    assert client.get(reverse("places:edit", args=[place.pk])).status_code == 200


def test_edit_updates_and_deletes_offer(client, planner):
    client.force_login(planner)
    client.post(reverse("places:create"), form_data(**{"angebote-0-title": "Nähcafé",
                                                       "angebote-0-schedule": "Th 14:00-16:00"}))
    place = Place.objects.get(name="Familientreff")
    offer = place.offers.get()
    data = form_data(name="Familientreff am Markt", **{
        "angebote-TOTAL_FORMS": "2", "angebote-INITIAL_FORMS": "1",
        "angebote-0-id": str(offer.pk), "angebote-0-place": str(place.pk), "angebote-0-title": "Nähcafé",
        "angebote-0-schedule": "Th 14:00-16:00", "angebote-0-DELETE": "on",
        "angebote-1-title": "", "angebote-1-category": "other",
    })
    response = client.post(reverse("places:edit", args=[place.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    place.refresh_from_db()
    assert place.name == "Familientreff am Markt"
    assert not place.offers.exists()


def test_delete_by_kommune_editor(client, editor_dueren):
    client.force_login(editor_dueren)
    client.post(reverse("places:create"), form_data())
    place = Place.objects.get(name="Familientreff")
    assert client.get(reverse("places:delete", args=[place.pk])).status_code == 200
    response = client.post(reverse("places:delete", args=[place.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("places:mine")
    assert not Place.objects.filter(pk=place.pk).exists()


def test_editor_escapes_stored_text(client, planner):
    client.force_login(planner)
    client.post(reverse("places:create"), form_data(name="<script>alert(1)</script>"))
    place = Place.objects.get(name="<script>alert(1)</script>")
    html = client.get(reverse("places:edit", args=[place.pk])).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
