"""Moderation: accept (creates a published place, Potenzialraum status), reject with reason, audit events."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from begegnungsatlas.core.models import AuditEvent
from begegnungsatlas.places.models import Place, Suggestion, TargetGroup
from begegnungsatlas.places.services.suggestions import (
    SuggestionError,
    suggestion_accept,
    suggestion_reject,
    suggestion_submit,
)


def submit(**data):
    base = {"kind": "new_place", "name": "Bürgergarten", "lon": 6.4836, "lat": 50.8048, "city": "Düren"}
    base.update(data)
    return suggestion_submit(data=base, target_groups=TargetGroup.objects.filter(slug="kinder"), client="t")


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.BEGEGNUNGSATLAS_SUGGESTION_RATE = 1000


def test_queue_lists_pending_suggestions_with_count(client, moderator):
    submit(name="Eins")
    submit(name="Zwei")
    client.force_login(moderator)
    html = client.get(reverse("places:moderation")).content.decode()
    assert "2 offene Vorschläge" in html
    assert "Eins" in html
    assert "Zwei" in html


def test_accept_with_moderator_edits_publishes_a_place(client, moderator):
    suggestion = submit()
    client.force_login(moderator)
    url = reverse("places:moderation_detail", args=[suggestion.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {
        "action": "accept", "name": "Bürgergarten Nord", "description": "geprüft", "street": "Gartenweg 2",
        "postcode": "52351", "city": "Düren", "lon": "6.4836", "lat": "50.8048", "kind": "physical",
        "target_groups": [str(TargetGroup.objects.get(slug="senioren").pk)], "note": "passt",
    })
    assert response.status_code == 302
    suggestion.refresh_from_db()
    place = suggestion.place
    assert suggestion.status == "accepted"
    assert suggestion.moderated_by == moderator
    assert (place.name, place.status, place.is_published, place.kommune.code) == (
        "Bürgergarten Nord", "existing", True, "053580008008")
    assert list(place.target_groups.values_list("slug", flat=True)) == ["senioren"]
    assert AuditEvent.objects.filter(action="suggestion.accept", object_id=str(suggestion.pk)).exists()
    assert AuditEvent.objects.filter(action="place.create_from_suggestion", object_id=str(place.pk),
                                     actor=moderator).exists()
    assert "Bürgergarten Nord" in client.get(reverse("places:map")).content.decode()


def test_potenzialraum_becomes_status_potential(moderator):
    suggestion = suggestion_accept(actor=moderator, suggestion=submit(kind="potential", name="Alte Kapelle"))
    assert suggestion.place.status == "potential"
    assert list(suggestion.place.target_groups.values_list("slug", flat=True)) == ["kinder"]


def test_reject_needs_a_reason_and_is_audited(client, moderator):
    suggestion = submit()
    client.force_login(moderator)
    url = reverse("places:moderation_detail", args=[suggestion.pk])
    response = client.post(url, {"action": "reject", "reason": ""})
    assert response.status_code == 400
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()
    response = client.post(url, {"action": "reject", "reason": "Doppelt gemeldet"})
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.moderation_note) == ("rejected", "Doppelt gemeldet")
    assert AuditEvent.objects.get(action="suggestion.reject").note == "Doppelt gemeldet"
    assert not Place.objects.exists()


def test_accept_without_point_needs_one_and_writes_nothing(client, moderator):
    suggestion = submit(lon=None, lat=None)
    client.force_login(moderator)
    response = client.post(reverse("places:moderation_detail", args=[suggestion.pk]), {
        "action": "accept", "name": "Bürgergarten", "kind": "physical", "lon": "", "lat": ""})
    assert response.status_code == 400
    assert "braucht eine Lage" in response.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.status == "pending"
    assert not Place.objects.exists()


def test_cannot_moderate_twice(moderator):
    suggestion = submit()
    suggestion_reject(actor=moderator, suggestion=suggestion, reason="nein")
    with pytest.raises(SuggestionError, match="bereits moderiert"):
        suggestion_accept(actor=moderator, suggestion=suggestion)


def test_only_moderators_and_planners_moderate(editor_dueren, planner, client):
    suggestion = submit()
    with pytest.raises(PermissionDenied):
        suggestion_accept(actor=editor_dueren, suggestion=suggestion)
    client.force_login(editor_dueren)
    response = client.post(reverse("places:moderation_detail", args=[suggestion.pk]),
                           {"action": "reject", "reason": "x"})
    assert response.status_code == 403
    assert Suggestion.objects.get(pk=suggestion.pk).status == "pending"
    suggestion_reject(actor=planner, suggestion=suggestion, reason="Planung lehnt ab")


def test_anonymous_moderation_detail_redirects_to_login(client, db):
    suggestion = submit()
    response = client.get(reverse("places:moderation_detail", args=[suggestion.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_correction_accept_marks_only(moderator):
    place = Place.objects.create(name="Treff", lon=6.48, lat=50.80)
    suggestion = suggestion_submit(data={"kind": "correction", "name": "Treff", "description": "neue Zeiten"},
                                   client="c", place=place)
    suggestion_accept(actor=moderator, suggestion=suggestion, note="übernommen")
    suggestion.refresh_from_db()
    assert suggestion.status == "accepted"
    assert suggestion.place == place
    assert Place.objects.count() == 1
