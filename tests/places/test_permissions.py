"""Every role's allowed and denied actions, as decisions and over HTTP (403 with reason, or login redirect)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from begegnungsatlas.atlas.models import Area
from begegnungsatlas.places import permissions as perm
from begegnungsatlas.places.models import Organisation, Place, PlaceActor

DUEREN = "053580008008"
JUELICH = "053580024024"


def _kommune(code):
    return Area.objects.only("id", "name").get(code=code, level__is_municipality=True)


@pytest.fixture
def org(db):
    return Organisation.objects.create(name="AWO Kreisverband", kind="wohlfahrtsverband")


@pytest.fixture
def operator(make_user, org):
    return make_user("operator", organisation=org, username="traeger")


@pytest.fixture
def places(db, org):
    own = Place.objects.create(name="Treff Düren", lon=6.4836, lat=50.8048, kommune=_kommune(DUEREN))
    foreign = Place.objects.create(name="Treff Jülich", lon=6.3594, lat=50.9220, kommune=_kommune(JUELICH))
    PlaceActor.objects.create(place=foreign, organisation=org, role="runs")
    funded = Place.objects.create(name="Nur finanziert", lon=6.36, lat=50.92, kommune=_kommune(JUELICH))
    PlaceActor.objects.create(place=funded, organisation=org, role="funds")
    return {"dueren": own, "juelich": foreign, "funded": funded}


def test_decisions_by_role(planner, editor_dueren, moderator, operator, make_user, places):
    auditor = make_user("auditor")
    reviewer = make_user("reviewer")
    d, j, f = places["dueren"], places["juelich"], places["funded"]
    assert perm.can_edit_place(planner, j).allowed
    assert perm.can_edit_place(editor_dueren, d).allowed
    denied = perm.can_edit_place(editor_dueren, j)
    assert not denied.allowed
    assert "eigenen Kommune" in denied.reason
    assert perm.can_edit_place(operator, j).allowed
    assert not perm.can_edit_place(operator, d).allowed
    assert not perm.can_edit_place(operator, f).allowed  # funding is not running
    assert not perm.can_edit_place(moderator, d).allowed
    assert not perm.can_edit_place(reviewer, d).allowed
    assert perm.can_delete_place(editor_dueren, d).allowed
    assert not perm.can_delete_place(operator, j).allowed
    assert perm.can_moderate(moderator).allowed
    assert perm.can_moderate(planner).allowed
    assert not perm.can_moderate(editor_dueren).allowed
    assert perm.can_view_history(auditor, d).allowed
    assert perm.can_view_history(operator, j).allowed
    assert not perm.can_view_history(operator, d).allowed
    assert not perm.can_view_history(reviewer, d).allowed


def test_anonymous_decisions_ask_to_sign_in(places):
    from django.contrib.auth.models import AnonymousUser

    anon = AnonymousUser()
    for decision in (perm.can_edit_place(anon, places["dueren"]), perm.can_delete_place(anon, places["dueren"]),
                     perm.can_moderate(anon), perm.can_view_history(anon, places["dueren"]),
                     perm.can_manage_places(anon), perm.can_create_place(anon)):
        assert not decision.allowed
        assert decision.reason == "Bitte melden Sie sich an."
    assert perm.can_suggest(anon).allowed


@pytest.mark.parametrize("name", ["places:mine", "places:create", "places:moderation"])
def test_anonymous_is_sent_to_login(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


@pytest.mark.parametrize("name", ["places:edit", "places:delete", "places:history"])
def test_anonymous_is_sent_to_login_for_a_place(client, places, name):
    response = client.get(reverse(name, args=[places["dueren"].pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_wrong_kommune_gets_403_with_the_reason(client, editor_dueren, places):
    client.force_login(editor_dueren)
    reasons = {
        "places:edit": "Sie dürfen nur Orte Ihrer eigenen Kommune bearbeiten.",
        "places:delete": "Nur die Sozialplanung oder die eigene Kommune darf Orte löschen.",
        "places:history": "Den Verlauf sehen nur die Redaktion dieses Ortes",
    }
    for name, reason in reasons.items():
        response = client.get(reverse(name, args=[places["juelich"].pk]))
        assert response.status_code == 403, name
        assert reason in response.content.decode(), name
    response = client.post(reverse("places:edit", args=[places["juelich"].pk]), {"name": "gekapert"})
    assert response.status_code == 403
    assert Place.objects.get(pk=places["juelich"].pk).name == "Treff Jülich"
    assert client.get(reverse("places:edit", args=[places["dueren"].pk])).status_code == 200


def test_operator_on_foreign_place_gets_403(client, operator, places):
    client.force_login(operator)
    response = client.get(reverse("places:edit", args=[places["dueren"].pk]))
    assert response.status_code == 403
    assert "bereitstellt oder bespielt" in response.content.decode()
    assert client.get(reverse("places:edit", args=[places["juelich"].pk])).status_code == 200
    delete = client.post(reverse("places:delete", args=[places["juelich"].pk]))
    assert delete.status_code == 403
    assert "Nur die Sozialplanung oder die eigene Kommune darf Orte löschen." in delete.content.decode()
    assert Place.objects.filter(pk=places["juelich"].pk).exists()


@pytest.mark.parametrize("role", ["none", "reviewer", "auditor", "kommune_editor", "operator"])
def test_moderation_queue_is_closed_to_other_roles(client, make_user, role, db):
    client.force_login(make_user(role))
    response = client.get(reverse("places:moderation"))
    assert response.status_code == 403
    assert "Nur die Moderation darf Vorschläge bearbeiten." in response.content.decode()


@pytest.mark.parametrize("role", ["none", "reviewer", "auditor", "moderator"])
def test_my_places_is_closed_to_roles_without_places(client, make_user, role, db):
    client.force_login(make_user(role))
    response = client.get(reverse("places:mine"))
    assert response.status_code == 403
    assert "Orte pflegen dürfen nur" in response.content.decode()
    assert client.get(reverse("places:create")).status_code == 403


def test_kommune_editor_without_kommune_cannot_create(client, make_user, db):
    client.force_login(make_user("kommune_editor"))
    response = client.get(reverse("places:create"))
    assert response.status_code == 403
    assert "keine Kommune zugeordnet" in response.content.decode()


def test_auditor_and_moderator_may_read_history_but_not_edit(client, make_user, moderator, places):
    for user in (make_user("auditor"), moderator):
        client.force_login(user)
        assert client.get(reverse("places:history", args=[places["dueren"].pk])).status_code == 200
        assert client.get(reverse("places:edit", args=[places["dueren"].pk])).status_code == 403


def test_my_places_shows_only_editable_places(client, editor_dueren, operator, planner, places):
    client.force_login(editor_dueren)
    assert [p.name for p in client.get(reverse("places:mine")).context["places"]] == ["Treff Düren"]
    client.force_login(operator)
    assert [p.name for p in client.get(reverse("places:mine")).context["places"]] == ["Treff Jülich"]
    client.force_login(planner)
    assert len(client.get(reverse("places:mine")).context["places"]) == 3
