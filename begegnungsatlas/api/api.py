"""The one NinjaAPI of the project: register, HSDS 3.0 and OGC API – Features, described at /api/openapi.json.

The interactive docs page is switched off: ninja would load Swagger UI from a CDN, which the project never
does. ``docs/api.md`` describes the API for people; the OpenAPI document is for machines.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.openapi.schema import OpenAPISchema

from .ogc import OgcError, exception_response, json_response
from .routers.hsds import router as hsds_router
from .routers.ogc import router as ogc_router
from .routers.register import router as register_router

MEDIA_TYPES, PARAMETERS = "x-media-types", "x-parameters"


def apply_declarations(doc: dict[str, Any]) -> dict[str, Any]:
    """What ninja cannot write from the view's signature, declared next to the view in ``openapi_extra``.

    - ``x-media-types``: {status: [media types]} the view really sends (ninja writes every response as
      ``application/json``). The JSON schema ninja wrote moves to the JSON-like types, ``text/html`` and
      ``text/csv`` get a string, spreadsheets a binary string.
    - ``x-parameters``: {name: fields} replacing fields of a parameter, e.g. the OGC ``bbox`` as the standard
      defines it (an array of numbers, ``style: form``, ``explode: false``), which a typed view argument
      cannot say.
    """
    for operations in doc.get("paths", {}).values():
        for op in operations.values():
            for param in op.get("parameters", []):
                param.update(op.get(PARAMETERS, {}).get(param["name"], {}))
            op.pop(PARAMETERS, None)
            declared = op.pop(MEDIA_TYPES, None)
            for status, types in (declared or {}).items():
                response = op["responses"].setdefault(status, {"description": "OK"})
                schema = response.get("content", {}).get("application/json", {}).get("schema")
                response["content"] = {t: {"schema": _schema_for(t, schema)} for t in types}
    return doc


def _schema_for(media_type: str, schema: dict[str, Any] | None) -> dict[str, Any]:
    if media_type.endswith("json") and schema is not None:
        return schema
    if media_type.startswith("text/"):
        return {"type": "string"}
    return {"type": "string", "format": "binary"}


class Api(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None,
                           path_params: dict[str, Any] | None = None) -> OpenAPISchema:
        doc = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        apply_declarations(doc)
        return doc


api = Api(
    title="Begegnungsatlas API",
    version="1.0.0",
    description=(
        "Read-only public API of the Begegnungsatlas: the register of places of encounter (Orte der Begegnung), "
        "areas, exports, Open Referral HSDS 3.0 (/api/hsds/) and OGC API – Features Part 1 Core (/api/ogc/). "
        "Only published places are served."
    ),
    openapi_url="/openapi.json",
    docs_url=None,
    urls_namespace="api",
)
api.add_router("/", register_router)
api.add_router("/hsds", hsds_router)
api.add_router("/ogc", ogc_router)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Bad query parameters: OGC exception document under /api/ogc/, a plain 400 elsewhere."""
    message = "; ".join(
        f"Ungültiger Wert für {'.'.join(str(p) for p in e.get('loc', [])[1:])} ({e.get('msg', '')})"
        for e in exc.errors
    ) or "Ungültige Anfrage."
    if request.path.startswith("/api/ogc/"):
        return exception_response(OgcError(400, "InvalidParameterValue", message))
    return json_response({"detail": message}, status=400)
