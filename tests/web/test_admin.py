"""The admin for planners: places are validated like in the services and every change is audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from begegnungsatlas.core.models import AuditEvent
from begegnungsatlas.places.models import Place
from tests.conftest import place_admin_form


@pytest.fixture
def staff_planner(make_user):
    return make_user("planner", username="planung-admin", is_staff=True)



def test_planner_without_model_permissions_can_use_the_place_admin(client, staff_planner):
    client.force_login(staff_planner)
    assert client.get(reverse("admin:places_place_changelist")).status_code == 200
    assert client.get(reverse("admin:places_place_add")).status_code == 200
    assert client.get(reverse("admin:core_user_changelist")).status_code == 200
    assert client.get(reverse("admin:core_auditevent_changelist")).status_code == 200


def test_other_roles_cannot_enter_the_admin(client, make_user):
    client.force_login(make_user("kommune_editor", is_staff=False))
    response = client.get(reverse("admin:places_place_changelist"))
    assert response.status_code == 302
    assert "/verwaltung/login/" in response["Location"]
    client.force_login(make_user("moderator", is_staff=True))
    assert client.get(reverse("admin:places_place_changelist")).status_code == 403


def test_admin_create_assigns_kommune_and_audits(client, staff_planner):
    client.force_login(staff_planner)
    response = client.post(reverse("admin:places_place_add"), place_admin_form())
    assert response.status_code == 302, response.content.decode()[:3000]
    place = Place.objects.get(name="Admin-Ort")
    assert place.kommune.code == "053580008008"
    event = AuditEvent.objects.get(object_type="places.place", object_id=str(place.pk))
    assert (event.action, event.actor, event.note) == ("place.create", staff_planner, "Verwaltung")
    assert event.changes["new"]["target_groups"] == ["kinder"]

    response = client.post(reverse("admin:places_place_change", args=[place.pk]),
                           place_admin_form(name="Admin-Ort 2", opening_hours="Mo-Fr 10:00-12:00"))
    assert response.status_code == 302
    update = AuditEvent.objects.filter(action="place.update").get()
    assert update.changes["name"] == ["Admin-Ort", "Admin-Ort 2"]
    assert update.changes["opening_hours"] == ["Mo 10:00-12:00", "Mo-Fr 10:00-12:00"]


def test_admin_refuses_bad_hours_and_points(client, staff_planner):
    client.force_login(staff_planner)
    response = client.post(reverse("admin:places_place_add"), place_admin_form(opening_hours="immer"))
    assert response.status_code == 200
    assert "OpenStreetMap-Format" in response.content.decode()
    response = client.post(reverse("admin:places_place_add"), place_admin_form(lon="13.4", lat="52.5"))
    assert "außerhalb der Gebiete" in response.content.decode()
    assert not Place.objects.exists()


def test_admin_delete_goes_through_the_service(client, staff_planner):
    place = Place.objects.create(name="Weg", lon=6.48, lat=50.80)
    client.force_login(staff_planner)
    response = client.post(reverse("admin:places_place_delete", args=[place.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Place.objects.filter(pk=place.pk).exists()
    assert AuditEvent.objects.filter(action="place.delete", object_id=str(place.pk)).exists()
