"""OGC API – Features Part 1 Core: documents, bbox/limit/offset, negotiation, errors, and OWSLib as a client."""

from __future__ import annotations

import random
from typing import Any

import pytest

from begegnungsatlas.api.services import place_features_refresh
from begegnungsatlas.places.models import Place

ITEMS = "/api/ogc/collections/places/items"


def test_landing_conformance_collections(client: Any, db: Any) -> None:
    landing = client.get("/api/ogc/").json()
    rels = {link["rel"]: link["href"] for link in landing["links"]}
    assert rels["service-desc"].endswith("/api/openapi.json")
    assert rels["conformance"].endswith("/api/ogc/conformance")
    assert rels["data"].endswith("/api/ogc/collections")
    conf = client.get("/api/ogc/conformance").json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in conf
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson" in conf
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html" in conf
    cols = client.get("/api/ogc/collections").json()["collections"]
    assert [c["id"] for c in cols] == ["places", "areas"]
    for c in cols:
        assert c["itemType"] == "feature"
        assert c["crs"] == ["http://www.opengis.net/def/crs/OGC/1.3/CRS84"]
        assert len(c["extent"]["spatial"]["bbox"][0]) == 4


def test_bbox_returns_exactly_the_places_inside(client: Any, regions: Any, django_assert_max_num_queries: Any) -> None:
    rng = random.Random(7)
    places = [Place(name=f"Synthetischer Ort {i}", lon=rng.uniform(6.0, 7.0), lat=rng.uniform(50.5, 51.0),
                    is_published=(i % 10 != 0)) for i in range(300)]
    Place.objects.bulk_create(places)
    place_features_refresh()  # raw model writes: the OGC feature text by hand
    bbox = (6.2, 50.6, 6.6, 50.9)
    expected = {p.pk for p in Place.objects.filter(is_published=True)
                if bbox[0] <= p.lon <= bbox[2] and bbox[1] <= p.lat <= bbox[3]}
    with django_assert_max_num_queries(3):
        r = client.get(ITEMS, {"bbox": ",".join(map(str, bbox)), "limit": 1000})
    assert r["Content-Type"] == "application/geo+json"
    doc = r.json()
    assert {f["id"] for f in doc["features"]} == expected
    assert doc["numberMatched"] == doc["numberReturned"] == len(expected)
    for f in doc["features"]:
        lon, lat = f["geometry"]["coordinates"]
        assert bbox[0] <= lon <= bbox[2]
        assert bbox[1] <= lat <= bbox[3]
    # paging through with limit/offset gives the same set, no duplicates
    seen: list[int] = []
    url, params = ITEMS, {"bbox": ",".join(map(str, bbox)), "limit": 7}
    while True:
        page = client.get(url, params).json()
        seen += [f["id"] for f in page["features"]]
        nxt = [link["href"] for link in page["links"] if link["rel"] == "next"]
        if not nxt:
            break
        url, params = nxt[0].replace("http://testserver", ""), {}
    assert sorted(seen) == sorted(expected)


def test_limit_default_and_prev_link(client: Any, register: Any) -> None:
    doc = client.get(ITEMS).json()
    assert doc["numberReturned"] == 2  # the virtual place has no point and is not a feature of the map layer
    assert doc["numberMatched"] == 2
    doc = client.get(ITEMS, {"limit": 1, "offset": 1}).json()
    rels = {link["rel"] for link in doc["links"]}
    assert "prev" in rels
    assert "next" not in rels
    assert client.get(ITEMS, {"limit": 999999}).status_code == 200  # capped, not refused


def test_single_item_and_404(client: Any, register: Any) -> None:
    doc = client.get(f"{ITEMS}/{register.dueren.pk}").json()
    assert doc["properties"]["name"] == "Begegnungscafé Test Düren"
    assert doc["properties"]["target_groups"] == ["senioren", "familien"] or set(
        doc["properties"]["target_groups"]) == {"senioren", "familien"}
    for missing in (register.hidden.pk, 999999, "abc"):
        r = client.get(f"{ITEMS}/{missing}")
        assert r.status_code == 404
        assert r.json()["code"] == "NotFound"
    r = client.get("/api/ogc/collections/nope/items")
    assert r.status_code == 404
    assert r.json()["code"] == "NotFound"


@pytest.mark.parametrize("params", [{"bbox": "1,2,3"}, {"bbox": "a,b,c,d"}, {"limit": "0"}, {"limit": "x"},
                                    {"offset": "-1"}, {"f": "xml"}])
def test_bad_parameters_give_ogc_exception(client: Any, params: dict) -> None:
    r = client.get(ITEMS, params)
    assert r.status_code == 400
    assert r.json()["code"] == "InvalidParameterValue"


def test_html_by_f_and_by_accept(client: Any, register: Any) -> None:
    r = client.get(ITEMS, {"f": "html"})
    assert r["Content-Type"].startswith("text/html")
    assert "Begegnungscafé Test Düren" in r.content.decode()
    r = client.get(f"{ITEMS}/{register.dueren.pk}", HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    assert r["Content-Type"].startswith("text/html")
    assert "<th scope=\"row\">" in r.content.decode()
    r = client.get(ITEMS, HTTP_ACCEPT="application/geo+json")
    assert r["Content-Type"] == "application/geo+json"
    for url in ("/api/ogc/", "/api/ogc/conformance", "/api/ogc/collections", "/api/ogc/collections/areas"):
        assert client.get(url, {"f": "html"})["Content-Type"].startswith("text/html")
    r = client.get(f"{ITEMS}/999999", HTTP_ACCEPT="text/html")
    assert r.status_code == 404
    assert r["Content-Type"].startswith("text/html")


def test_areas_collection(client: Any, regions: Any) -> None:
    # Around Düren town centre: the Kreis, the Kommune Düren and nothing of Dortmund.
    doc = client.get("/api/ogc/collections/areas/items", {"bbox": "6.47,50.79,6.49,50.81", "limit": 100}).json()
    codes = {f["properties"]["code"] for f in doc["features"]}
    assert "053580008008" in codes
    assert not any(c.startswith("0591") for c in codes)
    assert all(f["geometry"]["type"] in {"Polygon", "MultiPolygon"} for f in doc["features"])
    one = doc["features"][0]
    assert client.get(f"/api/ogc/collections/areas/items/{one['id']}").json()["properties"]["code"] == \
        one["properties"]["code"]


def test_owslib_reads_collections_and_items(live_server: Any, live_register: Any) -> None:
    from owslib.ogcapi.features import Features

    api = Features(f"{live_server.url}/api/ogc/")
    assert {c["id"] for c in api.collections()["collections"]} == {"places", "areas"}
    assert api.collection("places")["itemType"] == "feature"
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in api.conformance()["conformsTo"]
    items = api.collection_items("places", bbox=[6.0, 50.5, 7.0, 51.0], limit=50)
    assert [f["properties"]["name"] for f in items["features"]] == ["Begegnungscafé Test Düren"]
    everything = api.collection_items("places", limit=10)
    assert everything["numberMatched"] == 2
    item = api.collection_item("places", str(live_register.dortmund.pk))
    assert item["properties"]["city"] == "Dortmund"


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/api/ogc/", {"foo": "1"}),
        ("/api/ogc/conformance", {"limit": "5"}),
        ("/api/ogc/collections", {"bbox": "6,50,7,51"}),
        ("/api/ogc/collections/places", {"x": ""}),
        (ITEMS, {"filter": "name='x'"}),
        (ITEMS, {"offset": "99999999999999999999999999"}),
        (ITEMS, {"offset": str(10**10)}),
        (ITEMS, {"datetime": "2024-02-30"}),
        (ITEMS, {"datetime": "2024-13-01T00:00:00Z"}),
        (ITEMS, {"datetime": "2024-01-01T25:00:00Z"}),
        (ITEMS, {"datetime": "gestern"}),
        (ITEMS, {"datetime": "2025-01-01/2024-01-01"}),
        (ITEMS, {"datetime": "../.."}),
        ("/api/ogc/collections/areas/items", {"offset": "1e99"}),
    ],
)
def test_bad_or_unknown_parameters_are_400(client: Any, db: Any, url: str, params: dict[str, str]) -> None:
    r = client.get(url, params)
    assert r.status_code == 400, r.content
    assert r.json()["code"] == "InvalidParameterValue"


def test_valid_datetimes_are_accepted(client: Any, register: Any) -> None:
    for value in ("2024-05-01T12:00:00Z", "2024-05-01", "2024-01-01/..", "../2024-12-31T23:59:59+01:00",
                  "2024-01-01T00:00:00Z/2024-12-31T00:00:00Z"):
        assert client.get(ITEMS, {"datetime": value}).status_code == 200, value


def test_huge_feature_id_is_404_and_huge_limit_capped(client: Any, db: Any) -> None:
    r = client.get(f"{ITEMS}/{'9' * 40}")
    assert r.status_code == 404
    capped = client.get(ITEMS, {"limit": "9" * 40})  # the spec lets a server cap the limit
    assert capped.status_code == 200
    assert f"limit={10_000}" in capped.json()["links"][0]["href"]


def _ring_area(ring: list[list[float]]) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True))


def test_area_rings_follow_rfc7946(client: Any, regions: Any) -> None:
    """Outer rings counter-clockwise, holes clockwise, in every GeoJSON the API gives out."""
    from begegnungsatlas.atlas.models import Area

    # Store one Kommune with a clockwise exterior and a counter-clockwise hole (what many shapefiles have).
    area = Area.objects.get(level__is_municipality=True, code="053580008008")
    shell = [[6.40, 50.75], [6.40, 50.85], [6.55, 50.85], [6.55, 50.75], [6.40, 50.75]]  # clockwise
    hole = [[6.45, 50.78], [6.50, 50.78], [6.50, 50.80], [6.45, 50.80], [6.45, 50.78]]  # counter-clockwise
    assert _ring_area(shell) < 0 < _ring_area(hole)
    Area.objects.filter(pk=area.pk).update(geometry={"type": "Polygon", "coordinates": [shell, hole]},
                                           geometry_web=None)
    docs = [client.get(f"/api/ogc/collections/areas/items/{area.pk}").json(),
            client.get(f"/api/areas/{area.pk}").json()]
    page = client.get("/api/ogc/collections/areas/items", {"bbox": "6.47,50.79,6.49,50.81", "limit": 100}).json()
    docs += page["features"]
    seen = 0
    for feature in docs:
        geom = feature["geometry"]
        polygons = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        for rings in polygons:
            seen += 1
            assert _ring_area(rings[0]) > 0, feature["properties"].get("code")
            assert all(_ring_area(h) < 0 for h in rings[1:])
    assert seen >= 3


def test_cors_for_get_and_head(client: Any, register: Any) -> None:
    for url in ("/api/ogc/", ITEMS, "/api/hsds/services", "/api/places", "/api/openapi.json",
                "/api/openapi-3.0.json"):
        r = client.get(url)
        assert r.status_code == 200, url
        assert r["Access-Control-Allow-Origin"] == "*", url
        head = client.head(url)
        assert head.status_code == 200, url
        assert head["Access-Control-Allow-Origin"] == "*"
        assert head.content == b""
    bad = client.get(ITEMS, {"limit": "x"})
    assert bad.status_code == 400
    assert bad["Access-Control-Allow-Origin"] == "*"  # browser clients can read the error too
    pre = client.options(ITEMS, HTTP_ORIGIN="https://karte.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert pre.status_code == 204
    assert "GET" in pre["Access-Control-Allow-Methods"]
    assert pre["Access-Control-Allow-Origin"] == "*"
    # the site itself is no API: no CORS header there
    assert "Access-Control-Allow-Origin" not in client.get("/orte/")


def test_openapi_30_document(client: Any, db: Any) -> None:
    import json

    doc = client.get("/api/openapi-3.0.json").json()
    assert doc["openapi"] == "3.0.3"
    assert "jsonSchemaDialect" not in doc
    text = json.dumps(doc)
    assert '{"type": "null"}' not in text
    assert '"type": [' not in text
    full = client.get("/api/openapi.json").json()
    assert set(doc["paths"]) == set(full["paths"])
    landing = client.get("/api/ogc/").json()
    descs = [link for link in landing["links"] if link["rel"] == "service-desc"]
    assert descs[0]["type"] == "application/vnd.oai.openapi+json;version=3.0"
    assert descs[0]["href"].endswith("/api/openapi-3.0.json")


def test_owslib_reads_the_api_definition(live_server: Any, live_register: Any) -> None:
    from owslib.ogcapi.features import Features

    definition = Features(f"{live_server.url}/api/ogc/").api()
    assert definition["openapi"].startswith("3.0")
    assert "/api/ogc/collections/{collection_id}/items" in definition["paths"]
