"""The JSON hot paths (OGC places items, register list) write JSON text straight from raw rows.

They must give exactly the bytes of the plain dict path (``ogc.items`` / ``_summary`` + ``json.dumps``), on
SQLite and on PostgreSQL, for awkward strings, missing points, several target groups and every paging case.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from begegnungsatlas.api import ogc, selectors
from begegnungsatlas.api.routers.register import _summary
from begegnungsatlas.api.services import place_features_refresh
from begegnungsatlas.atlas.models import Area
from begegnungsatlas.places.models import Place, TargetGroup
from begegnungsatlas.places.selectors.places import PlaceFilter

ITEMS = "/api/ogc/collections/places/items"
BASE = "http://testserver/api/ogc/"
AWKWARD = ['Café "Zur Linde"', "Back\\slash / Schräg", "Tab\tund\nZeile", "Emoji 🙂 und ß", "<b>&amp;</b>",
           "\u2028Trenner\u2029", "Steuerzeichen \x01\x1f"]


@pytest.fixture
def places(db: Any, regions: Any) -> list[Place]:
    slugs = list(TargetGroup.objects.order_by("-sort", "-slug").values_list("slug", flat=True))
    kommune = Area.objects.get(level__is_municipality=True, code="053580008008")
    out = []
    for i in range(40):
        p = Place.objects.create(
            name=AWKWARD[i % len(AWKWARD)] + f" {i}", street=AWKWARD[(i + 1) % len(AWKWARD)], postcode="52349",
            city="Düren" if i % 2 else "", lon=6.4 + i * 0.001234567891, lat=50.8 + i * 0.000987654321,
            kommune=kommune if i % 3 == 0 else None, status=("existing", "planned", "potential")[i % 3],
            wheelchair=("yes", "limited", "no", "unknown")[i % 4], open_for_groups=bool(i % 2),
            is_example=bool(i % 5 == 0), opening_hours="Mo-Fr 09:00-17:00; PH off" if i % 2 else "",
            website="https://example.org/ort?a=1&b=2" if i % 4 == 0 else "", is_published=(i % 7 != 6),
        )
        # 0, 1, 2 or 3 groups, set in reverse vocabulary order: the output must follow the vocabulary
        p.target_groups.set(TargetGroup.objects.filter(slug__in=slugs[: i % 4]))
        out.append(p)
    Place.objects.create(name="Ohne Punkt", kind="virtual")  # no point: in the list, never an OGC feature
    place_features_refresh()  # raw model writes: the OGC feature text by hand
    return out


def dict_items(bbox: tuple[float, float, float, float] | None, limit: int, offset: int, query: dict[str, str]) -> str:
    page = selectors.places_in_bbox_page(bbox=bbox, limit=limit, offset=offset)
    return ogc.dumps(ogc.items(BASE, "places", page, limit=limit, offset=offset, query=query, timestamp="T"))


def fast_items(bbox: tuple[float, float, float, float] | None, limit: int, offset: int, query: dict[str, str]) -> str:
    raw = selectors.places_in_bbox_raw(bbox=bbox, limit=limit, offset=offset)
    return ogc.places_items_json(BASE, raw, limit=limit, offset=offset, query=query, timestamp="T")


@pytest.mark.parametrize(("bbox", "limit", "offset"), [
    (None, 10, 0), (None, 1000, 0), (None, 7, 14), (None, 7, 28), (None, 34, 0), (None, 5, 40), (None, 5, 999),
    ((6.41, 50.80, 6.43, 50.83), 100, 0), ((6.41, 50.80, 6.43, 50.83), 3, 3), ((7.0, 51.0, 7.1, 51.1), 10, 0),
])
def test_items_bytes_equal_the_dict_path(places: Any, bbox: Any, limit: int, offset: int) -> None:
    query = {"bbox": ",".join(map(str, bbox))} if bbox else {}
    fast = fast_items(bbox, limit, offset, query)
    assert fast == dict_items(bbox, limit, offset, query)
    # the precomputed text (``PlaceFeature``, the PostgreSQL hot path) as well
    stored = selectors.place_features_text(bbox=bbox, limit=limit, offset=offset)
    assert ogc.places_items_json_from_text(BASE, stored.text, returned=stored.returned, total=stored.total,
                                           limit=limit, offset=offset, query=query, timestamp="T") == fast
    assert isinstance(ogc.json.loads(fast), dict)


def test_items_view_serves_the_fast_json(client: Any, places: Any, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(3):
        r = client.get(ITEMS, {"limit": 10, "offset": 5})
    assert r.status_code == 200
    assert r["Content-Type"] == "application/geo+json"
    doc = r.json()
    expected = ogc.json.loads(dict_items(None, 10, 5, {}))
    assert doc["timeStamp"]
    doc["timeStamp"] = expected["timeStamp"] = "T"
    assert doc == expected
    assert doc["numberMatched"] == Place.objects.filter(is_published=True, lon__isnull=False).count()
    assert [f["properties"]["target_groups"] for f in doc["features"]] == [
        selectors.target_groups_by_place([f["id"]]).get(f["id"], []) for f in doc["features"]]
    # a short page needs no count query
    with django_assert_max_num_queries(2):
        assert client.get(ITEMS, {"limit": 1000}).json()["numberReturned"] == doc["numberMatched"]


def test_items_html_still_uses_the_template(client: Any, places: Any) -> None:
    r = client.get(ITEMS, {"f": "html", "limit": 5})
    assert r.status_code == 200
    assert r["Content-Type"].startswith("text/html")


def dict_list(params: dict[str, Any], limit: int, offset: int, at: datetime | None = None) -> list[dict[str, Any]]:
    page = selectors.places_list_page(PlaceFilter.from_params(params), limit=limit, offset=offset, at=at)
    return [_summary(r, "http://testserver/api/places/") for r in page.rows], page.total  # type: ignore[return-value]


@pytest.mark.parametrize(("params", "limit", "offset"), [
    ({}, 50, 0), ({}, 7, 7), ({}, 7, 35), ({}, 5, 100), ({}, 0, 0), ({"status": "existing"}, 4, 0),
    ({"zielgruppe": "kinder", "bbox": "6.3,50.7,6.5,50.9"}, 50, 0), ({"q": "linde"}, 2, 1),
    ({"kommune": "053580008008", "gruppen": "1"}, 50, 0), ({"rollstuhl": "yes", "status": "existing"}, 3, 0),
])
def test_list_bytes_equal_the_dict_path(client: Any, places: Any, params: dict[str, Any], limit: int,
                                        offset: int) -> None:
    r = client.get("/api/places", {**params, "limit": limit, "offset": offset})
    assert r.status_code == 200
    assert r["Content-Type"] == "application/json"
    results, total = dict_list(params, limit, offset)
    doc = r.json()
    assert doc["count"] == total
    assert doc["results"] == results
    # byte for byte: the view's text equals json.dumps of the dict the view used to build
    expected = {"count": doc["count"], "limit": doc["limit"], "offset": doc["offset"], "next": doc["next"],
                "previous": doc["previous"], "results": results}
    assert r.content.decode() == ogc.dumps(expected)


def test_list_open_now_matches_the_dict_path(places: Any) -> None:
    at = datetime(2026, 11, 18, 10, 30, tzinfo=ZoneInfo("Europe/Berlin"))  # a Wednesday morning
    f = PlaceFilter.from_params({"jetzt_offen": "1"})
    for limit, offset in ((50, 0), (3, 2), (5, 200)):
        raw = selectors.places_list_raw(f, limit=limit, offset=offset, at=at)
        page = selectors.places_list_page(f, limit=limit, offset=offset, at=at)
        assert raw.total == page.total > 0
        base = "http://testserver/api/places/"
        assert ogc.place_summaries_json(raw, base) == ",".join(ogc.dumps(_summary(r, base)) for r in page.rows)


def test_short_list_page_needs_no_count(client: Any, places: Any, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(2):
        doc = client.get("/api/places", {"status": "planned", "limit": 50}).json()
    assert doc["count"] == len(doc["results"]) == Place.objects.filter(is_published=True, status="planned").count()
    with django_assert_max_num_queries(3):  # a full page counts
        doc = client.get("/api/places", {"limit": 5}).json()
    assert doc["count"] == Place.objects.filter(is_published=True).count()
