"""The server does what its OpenAPI document says: schemathesis against the Django WSGI app, every operation.

Each operation gets a few derandomized cases (valid and invalid data, the coverage phase's boundary values):
no 5xx, only declared status codes and media types, bodies that match the declared schema, 4xx for data the
document rules out and no 4xx for data it allows. docs/api.md ("Conformance") records the longer CLI run.
"""

from __future__ import annotations

from typing import Any

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


def _load() -> Any:
    """The live document of the app, fetched through WSGI (the OpenAPI view reads no database)."""
    from begegnungsatlas.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/openapi.json", application)


schema = _load()


@schema.parametrize()
@settings(max_examples=6, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi_document(case: Any, register: Any) -> None:
    case.call_and_validate(checks=CHECKS)
