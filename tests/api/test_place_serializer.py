"""One serializer for the JSON of a place: ``ogc.place_json_values``.

The OGC feature (page text, one item as dict, the stored ``PlaceFeature`` pieces) and the register summary (page
text and dict) are all filled from it, so a change there reaches every form; nothing is written twice.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from begegnungsatlas.api import ogc, selectors
from begegnungsatlas.api.models import PlaceFeature
from begegnungsatlas.api.services import place_features_refresh
from begegnungsatlas.atlas.models import Area
from begegnungsatlas.places.models import Place, TargetGroup

pytestmark = pytest.mark.django_db


@pytest.fixture
def place(regions: Any) -> Place:
    p = Place.objects.create(name='Treff "Am Markt" \\ ✓', lon=6.4836, lat=50.8048, street="Markt 1",
                             kommune=Area.objects.get(code="053580008008"), website="https://example.org/?a=1&b=2")
    p.target_groups.set(TargetGroup.objects.filter(slug__in=["kinder", "senioren"]))
    place_features_refresh(place_ids=[p.pk])
    return p


def test_every_form_of_a_place_comes_from_one_serializer(place: Place, monkeypatch: Any) -> None:
    real = ogc.place_json_values

    def marked(row: tuple[Any, ...], groups: str) -> tuple[Any, ...]:
        values = real(row, groups)
        return (*values[:2], ogc._s("MARKE"), *values[3:])

    monkeypatch.setattr(ogc, "place_json_values", marked)
    raw = selectors.places_in_bbox_raw(bbox=None, limit=10, offset=0)
    row = selectors.place_row(place.pk)
    assert row is not None
    feature_text = ogc.place_features_json(raw)
    assert json.loads(feature_text)["properties"]["name"] == "MARKE"
    assert ogc.place_feature(row, "")["properties"]["name"] == "MARKE"
    ((_pk, head, tail),) = ogc.place_feature_pieces(selectors.feature_rows([place.pk])[0])
    assert ogc.place_feature_join(head, "053580008008", "Düren, Stadt", tail) == feature_text
    assert json.loads(ogc.place_summaries_json(raw, "/api/places/"))["name"] == "MARKE"
    assert ogc.place_summary(row, "/api/places/")["name"] == "MARKE"


def test_the_forms_agree(place: Place) -> None:
    raw = selectors.places_in_bbox_raw(bbox=None, limit=10, offset=0)
    row = selectors.place_row(place.pk)
    assert row is not None
    feature = ogc.place_feature(row, "")
    assert feature == {
        "type": "Feature", "id": place.pk, "geometry": {"type": "Point", "coordinates": [6.4836, 50.8048]},
        "properties": {**{k: row[k] for k in ("name", "kind", "status", "street", "postcode", "city")},
                       "kommune": "053580008008", "kommune_name": "Düren, Stadt", "wheelchair": "unknown",
                       "open_for_groups": False, "opening_hours": "", "website": "https://example.org/?a=1&b=2",
                       "is_example": False, "target_groups": row["target_groups"]},
    }
    assert ogc.place_features_json(raw) == ogc.dumps(feature)
    stored = PlaceFeature.objects.get(place=place)
    assert ogc.place_feature_join(stored.head, "053580008008", "Düren, Stadt", stored.tail) == ogc.dumps(feature)
    assert ogc.place_summaries_json(raw, "/api/places/") == ogc.dumps(ogc.place_summary(row, "/api/places/"))
    assert ogc.place_summary(row, "/api/places/") == {**row, "url": f"/api/places/{place.pk}"}
