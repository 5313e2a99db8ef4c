"""The one NinjaAPI of the project: register, HSDS 3.0 and OGC API – Features, described at /api/openapi.json.

The interactive docs page is switched off: ninja would load Swagger UI from a CDN, which the project never
does. ``docs/api.md`` describes the API for people; the OpenAPI document is for machines.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError

from .ogc import OgcError, exception_response, json_response
from .routers.hsds import router as hsds_router
from .routers.ogc import router as ogc_router
from .routers.register import router as register_router

api = NinjaAPI(
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
        f"{'.'.join(str(p) for p in e.get('loc', [])[1:])}: {e.get('msg', '')}" for e in exc.errors
    ) or "Ungültige Anfrage."
    if request.path.startswith("/api/ogc/"):
        return exception_response(OgcError(400, "InvalidParameterValue", message))
    return json_response({"detail": message}, status=400)
