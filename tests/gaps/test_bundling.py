"""Bundling view (seed 004): matrix, clusters within walking distance, candidate centres; planners only."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from begegnungsatlas.atlas.models import Region
from begegnungsatlas.gaps.errors import GapsError
from begegnungsatlas.gaps.services.bundling import bundling_overview
from begegnungsatlas.places.models import Offer, TargetGroup


@pytest.fixture
def offers(dueren_places: list[Any]) -> list[Offer]:
    mitte, birkesdorf, juelich, planned, _potential = dueren_places
    seniors = TargetGroup.objects.get(slug="senioren")
    made = [
        Offer.objects.create(place=mitte, title="Seniorencafé", category="leisure"),
        Offer.objects.create(place=mitte, title="Rentenberatung", category="counselling"),
        Offer.objects.create(place=juelich, title="Gymnastik 60+", category="sport"),
        Offer.objects.create(place=birkesdorf, title="Sprachcafé", category="education"),
    ]
    made[3].target_groups.set([TargetGroup.objects.get(slug="neuzugewanderte")])
    for o in made[:3]:
        o.target_groups.set([seniors])
    return made


def test_overview_groups_clusters_and_centres(offers: list[Offer]) -> None:
    region = Region.objects.get(slug="kreis-dueren")
    seniors = TargetGroup.objects.get(slug="senioren")
    result = bundling_overview(region=region, group=seniors, radius=3000)
    assert result["offers_total"] == 3
    # Düren Mitte and Jülich are ~15 km apart: two clusters, the Düren one with two offers.
    assert sorted(len(c["offers"]) for c in result["clusters"]) == [1, 2]
    assert result["centres"][0]["offers"] == 2
    matrix = {row["group"]: row["counts"] for row in result["matrix"]}
    assert sum(matrix[seniors.name_de]) == 3
    # A wider walking distance never brings fewer offers within reach of the best centre.
    assert bundling_overview(region=region, group=seniors, radius=5000)["centres"][0]["offers"] >= 2
    with pytest.raises(GapsError, match="Gehentfernung"):
        bundling_overview(region=region, group=seniors, radius=50)


def test_view_is_for_planners_and_exports_csv(client: Any, planner: Any, make_user: Any,
                                              offers: list[Offer]) -> None:
    region = Region.objects.get(slug="kreis-dueren")
    params = {"region": region.pk, "group": TargetGroup.objects.get(slug="senioren").pk, "radius": 3000}
    client.force_login(make_user("none", username="b"))
    assert client.get(reverse("gaps:bundling"), params).status_code == 403
    client.force_login(planner)
    page = client.get(reverse("gaps:bundling"), params)
    assert page.status_code == 200
    assert "Rentenberatung" in page.content.decode()
    csv_text = client.get(reverse("gaps:bundling"), {**params, "format": "csv"}).content.decode()
    assert csv_text.splitlines()[0] == "Entfernung;Luftlinie;3000 m;Ältere Menschen"
    assert csv_text.splitlines()[1] == "Cluster;Orte;Angebote;Bereiche"
    assert "Seniorencafé | Rentenberatung" in csv_text or "Rentenberatung | Seniorencafé" in csv_text


def test_view_has_a_map_fed_by_json_script_without_inline_script(client: Any, planner: Any,
                                                                 offers: list[Offer]) -> None:
    import json
    import re

    region = Region.objects.get(slug="kreis-dueren")
    params = {"region": region.pk, "group": TargetGroup.objects.get(slug="senioren").pk, "radius": 3000}
    client.force_login(planner)
    html = client.get(reverse("gaps:bundling"), params).content.decode()
    assert 'id="bundling-map"' in html
    assert "gaps/bundling.js" in html
    data = json.loads(re.search(r'<script id="bundling-map-data" type="application/json">(.*?)</script>', html,
                                re.S).group(1))  # type: ignore[union-attr]
    names = sorted(p[2] for cluster in data["clusters"] for p in cluster)
    assert names == ["Seniorencafé Jülich", "Seniorentreff Düren Mitte"]
    assert [6.4830, 50.8035, "Seniorentreff Düren Mitte"] in [p for cluster in data["clusters"] for p in cluster]
    assert data["centres"][0][3] == 2
    # Every <script> is either external (src) or the JSON data block: nothing a CSP of script-src 'self' blocks.
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
