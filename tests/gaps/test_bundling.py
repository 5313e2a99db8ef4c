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


# Walking distances on the bundled OSM extract of Dortmund-Aplerbeck (tests/gaps/conftest.py). Its largest connected
# part (the walking graph) spans only about lon 7.5535–7.5592, lat 51.4912–51.4958: of the fixture places the two
# existing ones around the Markt, the planned site and the Potenzialraum West lie inside, the Innenstadt place and
# the Potenzialraum Hörde outside.


@pytest.fixture
def aplerbeck_offers(aplerbeck_places: list[Any], planner: Any) -> list[Offer]:
    from begegnungsatlas.places.services.places import place_create

    markt, nord, innenstadt = aplerbeck_places[:3]
    familien = place_create(actor=planner, data={"name": "Familienzentrum Aplerbeck", "lon": 7.5580, "lat": 51.4925,
                                                 "status": "existing"}, target_groups=["senioren"])
    return [
        Offer.objects.create(place=markt, title="Mittagstisch", category="leisure"),
        Offer.objects.create(place=markt, title="Pflegeberatung", category="counselling"),
        Offer.objects.create(place=nord, title="Sitzgymnastik", category="sport"),
        Offer.objects.create(place=familien, title="Generationencafé", category="leisure"),
        Offer.objects.create(place=innenstadt, title="Rentensprechstunde", category="counselling"),
    ]


def _dortmund() -> Region:
    return Region.objects.get(slug="dortmund")


def _seniors() -> TargetGroup:
    return TargetGroup.objects.get(slug="senioren")


def test_walking_result_equals_the_core_and_names_what_lies_outside(aplerbeck_network: Any,
                                                                    aplerbeck_offers: list[Offer]) -> None:
    from begegnungsatlas.analysis.bundling import proximity_clusters, reach_counts
    from begegnungsatlas.analysis.network import outside_network, walking_network_from_osm
    from begegnungsatlas.gaps.services.analysis import metric_xy
    from begegnungsatlas.places.models import Place

    from .conftest import APLERBECK

    result = bundling_overview(region=_dortmund(), group=_seniors(), radius=300, network=aplerbeck_network)
    assert result["distance"]["label"] == "Fußweg (Wegenetz „Aplerbeck“)"
    assert result["distance"]["licence"].startswith("© OpenStreetMap")
    assert result["outside_places"] == ["Seniorenbüro Innenstadt"]
    assert result["outside_offers"] == 1
    assert result["outside_centres"] == ["Potenzialraum Hörde"]
    assert result["offers_total"] == 5

    # The core called directly on the graph built from the bundled file, with the points inside its extent.
    graph = walking_network_from_osm(APLERBECK)
    offers = [o for o in aplerbeck_offers if o.place.name != "Seniorenbüro Innenstadt"]
    places = list(dict.fromkeys(o.place for o in offers))
    xy = metric_xy([(p.lon, p.lat) for p in places])
    assert not outside_network(graph, xy).any()
    labels = proximity_clusters(xy, 300, network=graph)
    expected = sorted(sorted(p.name for p, lab in zip(places, labels, strict=True) if lab == k) for k in set(labels))
    assert sorted(sorted(c["places"]) for c in result["clusters"]) == expected
    centres = list(Place.objects.filter(kommune__region=_dortmund()).exclude(
        name__in=["Seniorenbüro Innenstadt", "Potenzialraum Hörde"]))
    reach = reach_counts(metric_xy([(c.lon, c.lat) for c in centres]),
                         metric_xy([(o.place.lon, o.place.lat) for o in offers]), [o.pk for o in offers], 300,
                         network=graph)
    assert {c["name"]: c["offers"] for c in result["centres"]} == {
        c.name: int(n) for c, n in zip(centres, reach, strict=True) if n > 0}

    # The Markt and Aplerbeck Nord are 246 m apart in a straight line but 330 m on foot: one group in a straight
    # line at 300 m, two on foot.
    def together(res: dict[str, Any]) -> bool:
        return any({"Seniorentreff Aplerbeck Markt", "Begegnung Aplerbeck Nord"} <= set(c["places"])
                   for c in res["clusters"])

    assert not together(result)
    line = bundling_overview(region=_dortmund(), group=_seniors(), radius=300)
    assert together(line)
    assert line["distance"] == {"mode": "line", "label": "Luftlinie"}
    assert (line["outside_places"], line["outside_centres"], line["outside_offers"]) == ([], [], 0)
    assert "Seniorenbüro Innenstadt" in [p for c in line["clusters"] for p in c["places"]]


def test_walking_needs_a_place_inside_and_a_network_of_the_region(aplerbeck_network: Any,
                                                                  aplerbeck_offers: list[Offer]) -> None:
    aplerbeck_offers[-1].target_groups.set([TargetGroup.objects.get(slug="neuzugewanderte")])
    newcomers = TargetGroup.objects.get(slug="neuzugewanderte")
    with pytest.raises(GapsError, match="Kein Ort mit Angeboten für .* liegt im Wegenetz „Aplerbeck“"):
        bundling_overview(region=_dortmund(), group=newcomers, radius=800, network=aplerbeck_network)
    with pytest.raises(GapsError, match="Das Wegenetz gehört nicht zur gewählten Region"):
        bundling_overview(region=Region.objects.get(slug="kreis-dueren"), group=None, radius=800,
                          network=aplerbeck_network)


def test_view_on_foot_shows_the_mode_and_the_csv_labels_it(client: Any, planner: Any, aplerbeck_network: Any,
                                                           aplerbeck_offers: list[Offer]) -> None:
    params = {"region": _dortmund().pk, "group": _seniors().pk, "radius": 300, "network": aplerbeck_network.pk}
    client.force_login(planner)
    page = client.get(reverse("gaps:bundling"), params)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Entfernung 300 m als Fußweg im Wegenetz „Aplerbeck“." in html
    assert "1 Orte mit 1 Angeboten liegen außerhalb des Wegenetzes" in html
    assert "Seniorenbüro Innenstadt." in html
    assert "Potenzialraum Hörde." in html
    assert "© OpenStreetMap-Mitwirkende, Open Database License (ODbL) 1.0" in html
    lines = client.get(reverse("gaps:bundling"), {**params, "format": "csv"}).content.decode().splitlines()
    assert lines[0] == ("Entfernung;Fußweg (Wegenetz „Aplerbeck“);300 m;Ältere Menschen;"
                        "© OpenStreetMap-Mitwirkende, Open Database License (ODbL) 1.0")
    assert lines[1] == "außerhalb des Wegenetzes, nicht berücksichtigt;Seniorenbüro Innenstadt"
    assert lines[2] == "Cluster;Orte;Angebote;Bereiche"
    assert "Rentensprechstunde" not in "\n".join(lines)
    # Straight line: the page says so, nothing is left out.
    line = client.get(reverse("gaps:bundling"), {**params, "network": ""}).content.decode()
    assert "Entfernung 300 m (Luftlinie)." in line
    assert 'id="bundling-network-outside"' not in line


def test_form_refuses_a_network_of_another_region_and_bad_input(client: Any, planner: Any,
                                                                aplerbeck_network: Any, offers: list[Offer]) -> None:
    from begegnungsatlas.gaps.models import NetworkStatus

    client.force_login(planner)
    dueren = {"region": Region.objects.get(slug="kreis-dueren").pk, "group": _seniors().pk, "radius": 3000}
    resp = client.get(reverse("gaps:bundling"), {**dueren, "network": aplerbeck_network.pk})
    assert resp.status_code == 400
    assert "Das Wegenetz gehört nicht zur gewählten Region." in resp.content.decode()
    assert not resp.context.get("result")
    resp = client.get(reverse("gaps:bundling"), {**dueren, "radius": "50"})
    assert resp.status_code == 400
    assert "Gehentfernung" in resp.content.decode()
    assert "größer oder gleich 100" in resp.content.decode()
    # A network that is not (yet) built is not offered at all.
    type(aplerbeck_network).objects.filter(pk=aplerbeck_network.pk).update(status=NetworkStatus.PENDING)
    resp = client.get(reverse("gaps:bundling"), {**dueren, "network": aplerbeck_network.pk})
    assert resp.status_code == 400
    assert "Bitte eine gültige Auswahl treffen" in resp.content.decode()
