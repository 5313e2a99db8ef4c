"""The public list under load: only one page of places is loaded; the map's points are capped and follow the view."""

from __future__ import annotations

import re
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from begegnungsatlas.atlas.models import Area
from begegnungsatlas.places.models import Place
from begegnungsatlas.places.selectors.maps import place_points
from begegnungsatlas.places.selectors.places import PlaceFilter

DORTMUND = "059130000000"


def _places(n: int, **fields: Any) -> list[Place]:
    kommune = Area.objects.get(code=DORTMUND, level__is_municipality=True)
    return Place.objects.bulk_create([
        Place(name=f"Synthetischer Testort {i:03d}", lon=7.40 + i * 0.0005, lat=51.50, kommune=kommune,
              **fields) for i in range(n)])


def test_list_loads_only_the_page(client: Any, db: Any) -> None:
    _places(80)
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(reverse("places:map"), {"kommune": DORTMUND, "seite": 2})
    assert r.context["total"] == 80
    assert [p.name for p, _label in r.context["rows"]][:2] == ["Synthetischer Testort 025", "Synthetischer Testort 026"]
    # The prefetch of the target groups asks for the page's 25 places, not for all 80.
    prefetch = [q["sql"] for q in ctx.captured_queries if "places_place_target_groups" in q["sql"]]
    assert prefetch
    ids = re.search(r"IN \(([^)]*)\)", prefetch[0])
    assert ids is not None
    assert len(ids.group(1).split(",")) == 25


def test_pagination_is_accessible_and_keeps_filters(client: Any, db: Any) -> None:
    _places(130, status="existing")
    r = client.get(reverse("places:map"), {"kommune": DORTMUND, "status": "existing", "seite": 3})
    html = r.content.decode()
    assert r.context["page"].number == 3
    assert 'aria-current="page"' in html
    assert re.search(r'seite=3" aria-current="page"', html)
    assert f"?kommune={DORTMUND}&amp;status=existing&amp;seite=4\" rel=\"next\"" in html
    assert f"?kommune={DORTMUND}&amp;status=existing&amp;seite=2\" rel=\"prev\"" in html
    assert "seite=6" in html  # the last page is always linked
    assert '<span class="visually-hidden">Seite </span>' in html
    # nonsense or huge page numbers never fail
    for bad in ("x", "0", "-3", "9" * 30):
        assert client.get(reverse("places:map"), {"seite": bad}).status_code == 200


def test_open_now_pages_after_the_parser(client: Any, db: Any) -> None:
    _places(30, opening_hours="Mo-Su 00:00-24:00")
    _places(10, opening_hours="Mo-Su off")
    r = client.get(reverse("places:map"), {"jetzt_offen": "1"})
    assert r.context["total"] == 30
    assert len(r.context["rows"]) == 25


def test_map_points_are_capped_and_follow_the_view(client: Any, db: Any) -> None:
    _places(40)
    doc = place_points(PlaceFilter.from_params({}), limit=10)
    assert (doc["numberMatched"], doc["numberReturned"], doc["truncated"]) == (40, 10, True)
    full = place_points(PlaceFilter.from_params({}), limit=100)
    assert (full["numberMatched"], full["truncated"]) == (40, False)
    # the map asks for its view: bbox of the first ten places
    view = client.get(reverse("places:points"), {"bbox": "7.3999,51.49,7.40451,51.51"}).json()
    assert [f["properties"]["name"] for f in view["features"]] == [f"Synthetischer Testort {i:03d}" for i in range(10)]
    assert view["truncated"] is False
    assert view["features"][0]["properties"]["status"]  # the German label, as before


def test_list_rows_load_only_what_a_row_shows(client: Any, db: Any) -> None:
    _places(30)
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(reverse("places:map"))
    assert r.status_code == 200
    assert len(r.context["rows"]) == 25
    # A row shows Kommune and target groups; qualities, actors and offers are not fetched for the list.
    for table in ("places_place_qualities", "places_placeactor", "places_offer"):
        assert not [q for q in ctx.captured_queries if table in q["sql"]], table


def test_list_page_and_count_use_the_published_name_index(db: Any) -> None:
    from begegnungsatlas.places.selectors.places import places_filtered

    ids = places_filtered(PlaceFilter(), base=Place.objects.filter(is_published=True)).values_list("id", flat=True)
    plan = ids[50:75].explain()
    count_plan = Place.objects.filter(is_published=True).explain()
    if connection.vendor == "sqlite":
        # Read in order from the partial index: no sort of all published places, no table access.
        assert "COVERING INDEX place_published_name_idx" in plan
        assert "TEMP B-TREE" not in plan
        assert "place_published_name_idx" in count_plan
    else:
        with connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, Place._meta.db_table)
        assert constraints["place_published_name_idx"]["columns"] == ["name", "id", "is_published"]
