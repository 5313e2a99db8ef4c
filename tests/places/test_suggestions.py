"""Citizens' suggestions: form, honeypot, rate limit, escaping; nothing public before moderation."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from begegnungsatlas.places.errors import PlaceError
from begegnungsatlas.places.models import Place, Suggestion, TargetGroup
from begegnungsatlas.places.services.suggestions import SuggestionRateLimited, suggestion_submit

XSS = '<script>alert("x")</script>'


@pytest.fixture(autouse=True)
def _clear_rate_limit():
    cache.clear()
    yield
    cache.clear()


def payload(**overrides):
    data = {"kind": "new_place", "name": "Gemeinschaftsgarten", "description": "Jeden Samstag offen",
            "street": "", "postcode": "", "city": "Düren", "lon": "6.4836", "lat": "50.8048",
            "submitter_name": "", "submitter_email": "", "homepage": "",
            "target_groups": [str(TargetGroup.objects.get(slug="familien").pk)]}
    data.update(overrides)
    return data


def test_form_is_accessible_and_has_a_hidden_honeypot(client, db):
    html = client.get(reverse("places:suggest")).content.decode()
    assert '<div class="honeypot" aria-hidden="true">' in html
    assert 'name="homepage"' in html
    assert 'tabindex="-1"' in html
    assert 'for="id_name"' in html
    assert 'data-map="picker"' in html
    assert "Korrektur" not in html.split("<form")[1].split("</form>")[0]


def test_submission_lands_in_the_queue_and_is_not_public(client, db):
    response = client.post(reverse("places:suggest"), payload())
    assert response.status_code == 302
    assert response["Location"] == reverse("places:suggest_thanks")
    suggestion = Suggestion.objects.get()
    assert suggestion.status == "pending"
    assert suggestion.client_hash
    assert "127.0.0.1" not in suggestion.client_hash
    assert list(suggestion.target_groups.values_list("slug", flat=True)) == ["familien"]
    assert not Place.objects.exists()
    assert "Gemeinschaftsgarten" not in client.get(reverse("places:map")).content.decode()
    assert client.get(reverse("places:points")).json()["features"] == []
    thanks = client.get(reverse("places:suggest_thanks")).content.decode()
    assert "Danke für Ihren Vorschlag" in thanks


def test_honeypot_stores_nothing_but_looks_like_success(client, db):
    response = client.post(reverse("places:suggest"), payload(homepage="http://spam.example"))
    assert response.status_code == 302
    assert not Suggestion.objects.exists()


def test_rate_limit_per_client(client, db, settings):
    settings.BEGEGNUNGSATLAS_SUGGESTION_RATE = 2
    for i in range(2):
        assert client.post(reverse("places:suggest"), payload(name=f"Ort {i}")).status_code == 302
    response = client.post(reverse("places:suggest"), payload(name="Ort 3"))
    assert response.status_code == 429
    assert "schon 2 Vorschläge" in response.content.decode()
    assert Suggestion.objects.count() == 2
    # another client is not affected
    other = client.post(reverse("places:suggest"), payload(name="Ort 4"), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


def test_rate_limit_in_the_service(db, settings):
    settings.BEGEGNUNGSATLAS_SUGGESTION_RATE = 1
    suggestion_submit(data={"name": "A"}, client="abc")
    with pytest.raises(SuggestionRateLimited, match="später noch einmal"):
        suggestion_submit(data={"name": "B"}, client="abc")


def test_point_outside_the_region_is_refused(client, db):
    response = client.post(reverse("places:suggest"), payload(lon="13.40", lat="52.52"))
    assert response.status_code == 400
    assert "liegt außerhalb der Gebiete dieser Installation" in response.content.decode()
    assert not Suggestion.objects.exists()


def test_missing_name_and_half_coordinates_are_explained(client, db):
    response = client.post(reverse("places:suggest"), payload(name="", lat=""))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Dieses Feld ist zwingend erforderlich." in html
    assert "Bitte geben Sie Längen- und Breitengrad gemeinsam an." in html
    with pytest.raises(PlaceError, match="Namen"):
        suggestion_submit(data={"name": "  "}, client="x")


def test_script_payloads_are_escaped_everywhere(client, db, moderator):
    client.post(reverse("places:suggest"), payload(name=XSS, description=XSS, city=XSS, submitter_name=XSS))
    suggestion = Suggestion.objects.get()
    assert suggestion.name == XSS  # stored as typed
    client.force_login(moderator)
    for url in (reverse("places:moderation"), reverse("places:moderation_detail", args=[suggestion.pk])):
        html = client.get(url).content.decode()
        assert XSS not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_correction_of_an_existing_place(client, db):
    place = Place.objects.create(name="Stadtteilbüro", lon=6.48, lat=50.80)
    url = reverse("places:suggest") + f"?ort={place.pk}"
    html = client.get(url).content.decode()
    assert "Korrektur zu „Stadtteilbüro“ vorschlagen" in html
    response = client.post(url, payload(kind="correction", name="Stadtteilbüro", description="Neue Telefonnummer"))
    assert response.status_code == 302
    suggestion = Suggestion.objects.get()
    assert (suggestion.kind, suggestion.place) == ("correction", place)


def test_correction_of_unpublished_place_is_404(client, db):
    place = Place.objects.create(name="Intern", lon=6.48, lat=50.80, is_published=False)
    assert client.get(reverse("places:suggest") + f"?ort={place.pk}").status_code == 404


def test_too_long_text_and_huge_request_are_refused_cleanly(client, db):
    response = client.post(reverse("places:suggest"), payload(description="x" * 5001))
    assert response.status_code == 400
    assert "höchstens 5000 Zeichen" in response.content.decode()
    huge = client.post(reverse("places:suggest"), payload(description="y" * (6 * 1024 * 1024)))
    assert huge.status_code == 400
    assert "Traceback" not in huge.content.decode()
    assert not Suggestion.objects.exists()
