"""The server does what its OpenAPI document says: schemathesis against the Django WSGI app, every operation.

Each operation gets a few derandomized cases (valid and invalid data, the coverage phase's boundary values):
no 5xx, only declared status codes and media types, bodies that match the declared schema, 4xx for data the
document rules out and no 4xx for data it allows. docs/api.md ("Conformance") records the longer CLI run.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
    positive_data_acceptance,
]


# Two rules of the OGC items operation cannot be written in any schema (docs/api.md, "Conformance"): latitudes of
# ``bbox`` within ±90 with minLat <= maxLat, and calendar-valid ``datetime`` intervals with start <= end. The server
# answers such requests with 400, so "schema-valid data is accepted" is not asked of cases that carry them; every
# other check still runs, and tests/api/test_ogc.py proves that valid bboxes and datetimes are accepted.
INEXPRESSIBLE = {("GET", "/api/ogc/collections/{collection_id}/items"): ("bbox", "datetime")}


def _checks_for(case: Any) -> list[Any]:
    names = INEXPRESSIBLE.get((str(case.operation.method).upper(), str(case.operation.path)), ())
    if any(name in (case.query or {}) for name in names):
        return [check for check in CHECKS if check is not positive_data_acceptance]
    return CHECKS


def _load() -> Any:
    """The live document of the app, fetched through WSGI (the OpenAPI view reads no database)."""
    from begegnungsatlas.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/openapi.json", application)


schema = _load()


@pytest.fixture
def wsgi_keeps_the_test_connection() -> Iterator[None]:
    """Django closes the database connection after each request; through plain WSGI (unlike Django's test
    client) that would close the test's transaction on PostgreSQL. Do what the test client does."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=6, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi_document(case: Any, register: Any, wsgi_keeps_the_test_connection: None) -> None:
    case.call_and_validate(checks=_checks_for(case))


@pytest.mark.parametrize(("url", "params"), [
    ("/api/places", {"art": "schloss"}),
    ("/api/places", {"status": "closed"}),
    ("/api/places", {"jetzt_offen": "vielleicht"}),
    ("/api/places", {"bbox": "6,50,7"}),
    ("/api/places", {"bbox": "nan,50,7,51"}),
    ("/api/places", {"limit": "5000"}),
    ("/api/places", {"offset": "-1"}),
    ("/api/places.csv", {"rollstuhl": "ja"}),
    ("/api/places/0", {}),
    ("/api/areas/" + "9" * 20, {}),
    ("/api/hsds/services", {"page": "0"}),
    ("/api/hsds/services", {"per_page": "1001"}),
    ("/api/hsds/services", {"modified_after": "2024-05-01 12:00"}),
    ("/api/hsds/service_at_locations", {"proximity": "52349,5"}),
    ("/api/ogc/collections/places/items", {"bbox": "200,50,201,51"}),
    ("/api/ogc/collections/places/items", {"bbox": "6, 50, 7, 51"}),
    ("/api/ogc/collections/places/items", {"datetime": "2024-05-01T12:00Z"}),
    ("/api/ogc/collections/places/items", {"datetime": "0000-01-01"}),
    ("/api/ogc/collections/places/items", {"f": "JSON"}),
])
def test_values_outside_the_document_are_400(client: Any, register: Any, url: str, params: dict[str, str]) -> None:
    r = client.get(url, params)
    assert r.status_code == 400, r.content
    assert r["Content-Type"] == "application/json"


def test_document_names_the_real_media_types(client: Any, db: Any) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    items = paths["/api/ogc/collections/{collection_id}/items"]["get"]
    assert set(items["responses"]["200"]["content"]) == {"application/geo+json", "text/html"}
    bbox = next(p for p in items["parameters"] if p["name"] == "bbox")
    assert (bbox["schema"]["type"], bbox["style"], bbox["explode"]) == ("array", "form", False)
    assert set(paths["/api/places.csv"]["get"]["responses"]["200"]["content"]) == {"text/csv"}
    assert "400" in paths["/api/places/{place_id}"]["get"]["responses"]
