"""Public map/list, filters, GeoJSON, detail page; N+1 guard on the list."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from begegnungsatlas.places.models import Offer, Organisation, Place, PlaceActor, TargetGroup
from begegnungsatlas.places.opening_hours import BERLIN

DUEREN = "053580008008"
DORTMUND = "059130000000"


def make_place(name, *, lon=7.4653, lat=51.5136, groups=(), offers=0, **fields):
    """A small factory (Kommune by longitude: west of 7° is Düren in these tests, east is Dortmund)."""
    from begegnungsatlas.atlas.models import Area

    code = DUEREN if lon < 7 else DORTMUND
    kommune = Area.objects.only("id", "name").get(code=code, level__is_municipality=True)
    place = Place.objects.create(name=name, lon=lon, lat=lat, kommune=kommune, **fields)
    place.target_groups.set(TargetGroup.objects.filter(slug__in=groups))
    for i in range(offers):
        Offer.objects.create(place=place, title=f"{name} Angebot {i}", schedule="We 15:00-17:00")
    return place


@pytest.fixture
def sample(db):
    org = Organisation.objects.create(name="AWO Dortmund", kind="wohlfahrtsverband")
    a = make_place("Nachbarschaftstreff Nord", groups=["senioren", "familien"], offers=2, status="existing",
                   opening_hours="Mo-Su 00:00-24:00", wheelchair="yes", open_for_groups=True)
    PlaceActor.objects.create(place=a, organisation=org, role="runs")
    b = make_place("Jugendkeller Düren", lon=6.4836, lat=50.8048, groups=["jugendliche"], kind="hybrid",
                   status="planned", wheelchair="no", is_example=True)
    c = make_place("Alte Kirche", lon=7.40, lat=51.50, status="potential", opening_hours="2020 Jan 01 10:00-11:00")
    hidden = make_place("Unveröffentlicht", is_published=False)
    return {"a": a, "b": b, "c": c, "hidden": hidden}


def names(response):
    return [p.name for p, _label in response.context["rows"]]


def test_map_page_lists_published_places_only(client, sample):
    response = client.get(reverse("places:map"))
    assert response.status_code == 200
    assert names(response) == ["Alte Kirche", "Jugendkeller Düren", "Nachbarschaftstreff Nord"]
    html = response.content.decode()
    assert "Unveröffentlicht" not in html
    assert 'data-map="public"' in html
    assert "leaflet.js" in html
    assert "leaflet.markercluster.js" in html
    assert 'class="example-badge">Beispiel<' in html
    assert "jetzt geöffnet" in html
    assert 'href="/api/places.csv"' in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "kirche"}, ["Alte Kirche"]),
        ({"q": "Angebot 1"}, ["Nachbarschaftstreff Nord"]),
        ({"kommune": DUEREN}, ["Jugendkeller Düren"]),
        ({"kommune": DORTMUND}, ["Alte Kirche", "Nachbarschaftstreff Nord"]),
        ({"zielgruppe": ["senioren"]}, ["Nachbarschaftstreff Nord"]),
        ({"zielgruppe": ["senioren", "jugendliche"]}, []),
        ({"art": "hybrid"}, ["Jugendkeller Düren"]),
        ({"status": "potential"}, ["Alte Kirche"]),
        ({"rollstuhl": "yes"}, ["Nachbarschaftstreff Nord"]),
        ({"jetzt_offen": "1"}, ["Nachbarschaftstreff Nord"]),
        ({"angebote": "1"}, ["Nachbarschaftstreff Nord"]),
        ({"gruppen": "1"}, ["Nachbarschaftstreff Nord"]),
    ],
)
def test_each_filter_narrows_the_list_and_the_map(client, sample, query, expected):
    response = client.get(reverse("places:map"), query)
    assert names(response) == expected
    points = client.get(reverse("places:points"), query).json()
    assert sorted(f["properties"]["name"] for f in points["features"]) == expected


def test_filter_form_keeps_values_and_export_links_carry_the_query(client, sample):
    response = client.get(reverse("places:map"), {"kommune": DUEREN, "art": "hybrid"})
    html = response.content.decode()
    assert f'<option value="{DUEREN}" selected>' in html
    assert f"/api/places.xlsx?kommune={DUEREN}&amp;art=hybrid" in html


def test_list_is_paginated_and_keeps_filters(client, db):
    for i in range(30):
        make_place(f"Ort {i:02d}", lon=7.40 + i * 0.001)
    first = client.get(reverse("places:map"), {"kommune": DORTMUND})
    assert len(first.context["rows"]) == 25
    assert first.context["total"] == 30
    assert f"?kommune={DORTMUND}&amp;seite=2" in first.content.decode()
    second = client.get(reverse("places:map"), {"kommune": DORTMUND, "seite": 2})
    assert names(second) == [f"Ort {i:02d}" for i in range(25, 30)]


def test_list_has_no_n_plus_one(client, db, django_assert_max_num_queries):
    org = Organisation.objects.create(name="Träger", kind="verein")
    for i in range(20):
        p = make_place(f"Ort {i}", groups=["kinder", "familien"], offers=1)
        PlaceActor.objects.create(place=p, organisation=org, role="runs")
    with django_assert_max_num_queries(14):
        response = client.get(reverse("places:map"))
    assert len(response.context["rows"]) == 20
    with django_assert_max_num_queries(4):
        client.get(reverse("places:points"))


def test_points_geojson_escapes_nothing_but_is_json(client, db):
    make_place('<script>alert("x")</script>')
    data = client.get(reverse("places:points")).json()
    assert data["features"][0]["properties"]["name"] == '<script>alert("x")</script>'
    html = client.get(reverse("places:map")).content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_outlines_are_the_offline_base_map(client, db):
    data = client.get(reverse("places:outlines")).json()
    names_ = {f["properties"]["name"] for f in data["features"]}
    assert {"Kreis Düren", "Düren, Stadt", "Jülich, Stadt", "Innenstadt-West"} <= names_
    assert "Dortmund" not in names_  # the city is drawn by its Stadtbezirke
    assert len(json.dumps(data)) < 400_000


def test_tile_layer_only_when_configured(client, db, settings):
    assert 'data-tile-url=""' in client.get(reverse("places:map")).content.decode()
    settings.BEGEGNUNGSATLAS_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.BEGEGNUNGSATLAS_TILE_ATTRIBUTION = "© Beispiel"
    html = client.get(reverse("places:map")).content.decode()
    assert 'data-tile-url="https://tiles.example.org/{z}/{x}/{y}.png"' in html
    assert 'data-tile-attribution="© Beispiel"' in html


def test_detail_page_shows_the_whole_record(client, sample):
    a = sample["a"]
    a.description = "Treffpunkt <b>fett</b>"
    a.contact_name = "Frau Beispiel"
    a.shared_building = "kita"
    a.save()
    a.qualities.set([q for q in a.qualities.model.objects.filter(slug__in=["offen", "inklusiv"])])
    response = client.get(reverse("places:detail", args=[a.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    for text in ["Nachbarschaftstreff Nord", "in einer Kita", "Frau Beispiel", "AWO Dortmund", "bespielt",
                 "Ältere Menschen", "inklusiv", "rollstuhlgerecht", "Mo-Su 00:00-24:00", "jetzt geöffnet", "Nachbarschaftstreff Nord Angebot 0",
                 "We 15:00-17:00", 'data-map="detail"', "Treffpunkt &lt;b&gt;fett&lt;/b&gt;"]:
        assert text in html, text
    assert "Verlauf der Änderungen" not in html  # anonymous
    assert reverse("places:edit", args=[a.pk]) not in html


def test_detail_shows_next_opening_when_closed(client, db, monkeypatch):
    p = make_place("Werktags", opening_hours="Mo-Fr 09:00-17:00; PH off")
    monkeypatch.setattr(timezone, "now", lambda: datetime(2025, 6, 19, 12, 0, tzinfo=BERLIN))
    html = client.get(reverse("places:detail", args=[p.pk])).content.decode()
    assert "geschlossen – öffnet wieder Freitag, 09:00 Uhr" in html


def test_example_badge_on_detail(client, sample):
    html = client.get(reverse("places:detail", args=[sample["b"].pk])).content.decode()
    assert 'class="example-badge">Beispiel<' in html


def test_unpublished_place_is_404_for_the_public_but_visible_to_planner(client, sample, planner):
    url = reverse("places:detail", args=[sample["hidden"].pk])
    assert client.get(url).status_code == 404
    client.force_login(planner)
    assert client.get(url).status_code == 200


def test_unknown_place_is_a_friendly_404(client, db):
    response = client.get(reverse("places:detail", args=[999999]))
    assert response.status_code == 404
