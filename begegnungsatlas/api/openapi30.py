"""The API's OpenAPI 3.1 document (written by django-ninja) as OpenAPI 3.0.3, for clients that only read 3.0.

OWSLib, for instance, follows the landing page's ``service-desc`` link only when its type says ``version=3.0``.
The translation is mechanical and loses nothing our document uses:

- ``anyOf: [X, {type: null}]`` → ``X`` + ``nullable: true`` (several non-null branches stay an ``anyOf``);
- ``type: [T, "null"]`` → ``type: T`` + ``nullable: true``;
- ``const: v`` → ``enum: [v]``; ``examples: [...]`` in a schema → ``example``;
- numeric ``exclusiveMinimum``/``exclusiveMaximum`` → ``minimum``/``maximum`` + boolean flag;
- ``openapi: 3.0.3``, without the 3.1-only ``jsonSchemaDialect`` and ``webhooks``.

>>> downgrade_schema({"anyOf": [{"type": "string"}, {"type": "null"}], "title": "F"})
{'title': 'F', 'type': 'string', 'nullable': True}
>>> downgrade_schema({"type": ["integer", "null"], "exclusiveMinimum": 0})
{'type': 'integer', 'nullable': True, 'minimum': 0, 'exclusiveMinimum': True}
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse

_NULL = {"type": "null"}


def downgrade_schema(node: Any) -> Any:
    if isinstance(node, list):
        return [downgrade_schema(v) for v in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    nullable = False
    for key, value in node.items():
        if key in {"anyOf", "oneOf"} and isinstance(value, list) and _NULL in value:
            rest = [downgrade_schema(v) for v in value if v != _NULL]
            nullable = True
            if len(rest) == 1:
                out.update(rest[0])
            else:
                out[key] = rest
        elif key == "type" and isinstance(value, list):
            kinds = [t for t in value if t != "null"]
            nullable = nullable or len(kinds) < len(value)
            if len(kinds) == 1:
                out["type"] = kinds[0]
            else:
                out["anyOf"] = [{"type": t} for t in kinds]
        elif key == "const":
            out["enum"] = [value]
        elif key == "examples" and isinstance(value, list):
            if value:
                out["example"] = downgrade_schema(value[0])
        elif key in {"exclusiveMinimum", "exclusiveMaximum"} and isinstance(value, int | float) \
                and not isinstance(value, bool):
            out["minimum" if key == "exclusiveMinimum" else "maximum"] = value
            out[key] = True
        else:
            out[key] = downgrade_schema(value)
    if nullable:
        out["nullable"] = True
    return out


def downgrade(doc: dict[str, Any]) -> dict[str, Any]:
    """The whole document; ``examples`` maps of media types/parameters (OpenAPI objects, not schemas) stay."""
    out = {k: v for k, v in doc.items() if k not in {"jsonSchemaDialect", "webhooks"}}
    out["openapi"] = "3.0.3"

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            return [walk(v) for v in node]
        if not isinstance(node, dict):
            return node
        return {k: (downgrade_schema(v) if k == "schema" else walk(v)) for k, v in node.items()}

    out["paths"] = walk(doc.get("paths", {}))
    components = dict(doc.get("components", {}))
    if "schemas" in components:
        components["schemas"] = {name: downgrade_schema(s) for name, s in components["schemas"].items()}
    out["components"] = walk(components) if "schemas" not in components else {
        **{k: walk(v) for k, v in components.items() if k != "schemas"}, "schemas": components["schemas"]}
    return out


def openapi30_view(request: HttpRequest) -> HttpResponse:
    from .api import api

    doc = downgrade(api.get_openapi_schema())
    return HttpResponse(json.dumps(doc, ensure_ascii=False), content_type="application/vnd.oai.openapi+json;version=3.0")
