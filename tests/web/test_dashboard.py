"""The signed-in dashboard shows per role what the person can do; base navigation and error pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from begegnungsatlas.places.models import Organisation, Place, Suggestion


def test_dashboard_needs_login(client, db):
    response = client.get(reverse("web:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_planner_sees_places_moderation_and_import(client, planner):
    Suggestion.objects.create(kind="new_place", name="Offen")
    Place.objects.create(name="Ort", lon=6.48, lat=50.80)
    client.force_login(planner)
    html = client.get(reverse("web:dashboard")).content.decode()
    assert reverse("places:mine") in html
    assert "Meine Orte (1 Ort)" in html
    assert reverse("places:create") in html
    assert "Moderation: 1 offener Vorschlag" in html


def test_moderator_sees_the_queue_but_not_my_places(client, moderator):
    client.force_login(moderator)
    html = client.get(reverse("web:dashboard")).content.decode()
    assert "Moderation: 0 offene Vorschläge" in html
    assert reverse("places:mine") not in html


def test_kommune_editor_and_operator(client, editor_dueren, make_user):
    client.force_login(editor_dueren)
    html = client.get(reverse("web:dashboard")).content.decode()
    assert "Zuständig für Düren, Stadt." in html
    assert reverse("places:create") in html
    assert reverse("places:moderation") not in html
    operator = make_user("operator", organisation=Organisation.objects.create(name="Caritas Düren", kind="verein"))
    client.force_login(operator)
    html = client.get(reverse("web:dashboard")).content.decode()
    assert "Für Caritas Düren." in html
    assert reverse("places:mine") in html


@pytest.mark.parametrize("role", ["reviewer", "auditor", "none"])
def test_roles_without_places_see_no_place_tools(client, make_user, role):
    client.force_login(make_user(role))
    html = client.get(reverse("web:dashboard")).content.decode()
    assert reverse("places:mine") not in html
    assert reverse("places:moderation") not in html


def test_home_redirects_to_the_map_and_nav_links_it(client, db):
    response = client.get(reverse("web:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("places:map")
    html = client.get(reverse("places:map")).content.decode()
    assert f'<a href="{reverse("places:map")}" aria-current="page">Orte</a>' in html
    assert 'class="skip-link" href="#main"' in html


def test_error_pages_are_german_without_traces(client, db):
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    assert "Traceback" not in response.content.decode()
