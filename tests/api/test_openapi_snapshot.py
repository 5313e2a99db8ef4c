"""The OpenAPI document is compared with a committed snapshot.

After an intended API change, regenerate the snapshot and review the diff:

    BEGEGNUNGSATLAS_UPDATE_SNAPSHOT=1 .venv/bin/pytest tests/api/test_openapi_snapshot.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

SNAPSHOT = Path(__file__).parent / "openapi.snapshot.json"


def test_openapi_matches_snapshot(client: Any) -> None:
    doc = client.get("/api/openapi.json").json()
    paths = set(doc["paths"])
    for required in ("/api/places", "/api/places/{place_id}", "/api/areas", "/api/hsds/", "/api/hsds/services",
                     "/api/hsds/services/{service_id}", "/api/hsds/organizations", "/api/hsds/taxonomy_terms",
                     "/api/ogc/", "/api/ogc/conformance", "/api/ogc/collections",
                     "/api/ogc/collections/{collection_id}/items",
                     "/api/ogc/collections/{collection_id}/items/{feature_id}"):
        assert required in paths, required
    text = json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if os.environ.get("BEGEGNUNGSATLAS_UPDATE_SNAPSHOT") == "1":
        SNAPSHOT.write_text(text, encoding="utf-8")
    assert SNAPSHOT.exists(), "no snapshot: run with BEGEGNUNGSATLAS_UPDATE_SNAPSHOT=1 once"
    assert text == SNAPSHOT.read_text(encoding="utf-8"), (
        "OpenAPI document changed; if intended, regenerate with BEGEGNUNGSATLAS_UPDATE_SNAPSHOT=1"
    )
