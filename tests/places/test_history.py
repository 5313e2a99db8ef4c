"""The history page: who, when, what changed field by field."""

from __future__ import annotations

from django.urls import reverse

from begegnungsatlas.places.services.places import place_create, place_save, place_update


def test_history_lists_changes_field_by_field(client, planner, editor_dueren):
    place = place_create(actor=planner, data={"name": "Treff", "lon": 6.4836, "lat": 50.8048,
                                              "opening_hours": "Mo 10:00-12:00"})
    place_update(actor=editor_dueren, place=place, data={"opening_hours": "Mo-Fr 10:00-12:00; PH off"})
    place_save(actor=editor_dueren, place=place, data={},
               offers=[{"data": {"title": "Spieletreff", "schedule": "Fr 15:00-17:00"}}])
    client.force_login(editor_dueren)
    response = client.get(reverse("places:history", args=[place.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "editor-dueren" in html
    assert "planner" in html
    assert "place.update" in html
    assert "place.create" in html
    assert "offer.create" in html
    # field-by-field row with the verbose field name, old and new value
    assert "<th scope=\"row\">Öffnungszeiten</th><td>Mo 10:00-12:00</td><td>Mo-Fr 10:00-12:00; PH off</td>" in html
    assert "Spieletreff" in html
    events = response.context["events"]
    assert [e["event"].action for e in events] == ["offer.create", "place.update", "place.create"]


def test_history_link_only_for_allowed_people(client, planner, make_user):
    place = place_create(actor=planner, data={"name": "Treff", "lon": 6.4836, "lat": 50.8048})
    url = reverse("places:detail", args=[place.pk])
    history = reverse("places:history", args=[place.pk])
    assert history not in client.get(url).content.decode()
    client.force_login(make_user("reviewer"))
    assert history not in client.get(url).content.decode()
    assert client.get(history).status_code == 403
    client.force_login(make_user("auditor"))
    assert history in client.get(url).content.decode()
    client.force_login(planner)
    html = client.get(url).content.decode()
    assert history in html
    assert reverse("places:edit", args=[place.pk]) in html
