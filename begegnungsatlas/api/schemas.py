"""Pydantic schemas that describe the JSON responses in the OpenAPI document.

Responses are built as plain dicts for speed and returned as ``HttpResponse`` (ninja passes those
through unvalidated); these schemas document their shape. Tests check real responses against them
(register) or against the official schemas (HSDS, OGC via OWSLib).
"""

from __future__ import annotations

from typing import Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field

# --- query parameters -------------------------------------------------------------------------------------

# A decimal number as the lists' bbox takes it (no exponent, no inf/nan).
_NUMBER = r"-?[0-9]+(\.[0-9]+)?"
# Empty means "not given", as a submitted form of the public list sends it.
FLAG = Literal["", "0", "1", "false", "true", "no", "yes", "off", "on", "nein", "ja"]


class PlaceQuery(Schema):
    """The filters of the public list (/orte/), shared by the place list and the exports.

    Values outside these declarations are refused with 400 (the public list's form ignores them instead).
    """

    q: str = Field("", description="Full-text search in name, description, address, offer titles")
    kommune: str = Field("", description="ARS of the Kommune")
    zielgruppe: list[str] = Field([], description="Target-group slug; repeat for several (all must match)")
    art: Literal["", "physical", "virtual", "hybrid"] = Field("", description="kind of place")
    status: Literal["", "existing", "planned", "potential"] = Field("", description="existing, planned or "
                                                                                        "Potenzialraum")
    rollstuhl: Literal["", "yes", "limited", "no", "unknown"] = Field("", description="wheelchair access")
    jetzt_offen: FLAG = Field("", description="1/true/yes/on/ja: only places open now (Europe/Berlin, NRW "
                                              "holidays)")
    angebote: FLAG = Field("", description="1/true/yes/on/ja: only places with offers")
    gruppen: FLAG = Field("", description="1/true/yes/on/ja: only rooms open to free/spontaneous groups")
    bbox: str = Field("", pattern=rf"^({_NUMBER}(,{_NUMBER}){{3}})?$",
                      description="minLon,minLat,maxLon,maxLat (WGS 84); a box with min > max is empty")
    region: str = Field("", description="Region slug (kreis-dueren, dortmund)")


class Open(Schema):
    model_config = ConfigDict(extra="allow")


class Link(Schema):
    href: str
    rel: str
    type: str | None = None
    title: str | None = None


class PlaceSummary(Schema):
    id: int
    name: str
    kind: str = Field(description="physical | virtual | hybrid")
    status: str = Field(description="existing | planned | potential (Potenzialraum)")
    street: str
    postcode: str
    city: str
    kommune: str = Field(description="ARS of the Kommune")
    kommune_name: str
    lon: float | None
    lat: float | None
    wheelchair: str
    open_for_groups: bool
    opening_hours: str = Field(description="OpenStreetMap opening_hours syntax")
    website: str
    is_example: bool
    target_groups: list[str] = Field(description="slugs of the target groups")
    url: str = Field(description="this place in the API")


class PlaceList(Schema):
    count: int
    limit: int
    offset: int
    next: str | None
    previous: str | None
    results: list[PlaceSummary]


class Actor(Schema):
    id: int
    name: str
    kind: str
    role: str = Field(description="provides | runs | funds")


class OfferOut(Schema):
    id: int
    title: str
    description: str
    category: str
    schedule: str
    target_groups: list[str]
    is_free: bool
    cost_note: str
    organisation: str | None


class Contact(Schema):
    name: str
    email: str
    phone: str


class PlaceDetail(PlaceSummary):
    description: str
    virtual_url: str
    shared_building: str
    shared_building_note: str
    wheelchair_description: str
    capacity: int | None
    qualities: list[str]
    contact: Contact
    actors: list[Actor]
    offers: list[OfferOut]
    area: str = Field(description="code of the smallest area")
    updated_at: str


class AreaOut(Schema):
    id: int
    code: str
    name: str
    region: str
    level: str
    level_name: str
    level_rank: int
    parent: str
    area_km2: float | None
    valid_from: str | None
    valid_to: str | None


class AreaList(Schema):
    count: int
    results: list[AreaOut]


class Error(Schema):
    detail: str


# --- HSDS ---------------------------------------------------------------------------------------------------

class HsdsRoot(Schema):
    version: str
    profile: str
    openapi_url: str
    description: str
    publisher: dict[str, Any]


class HsdsPage(Schema):
    total_items: int
    total_pages: int
    page_number: int
    size: int
    first_page: bool
    last_page: bool
    empty: bool
    contents: list[dict[str, Any]] = Field(description="HSDS 3.0 objects (service, organization, taxonomy, …)")


class HsdsObject(Open):
    id: str = Field(description="UUID")


# --- OGC -------------------------------------------------------------------------------------------------------

class OgcLanding(Schema):
    title: str
    description: str
    links: list[Link]


class OgcConformance(Schema):
    conformsTo: list[str]  # noqa: N815 - name fixed by the standard


class OgcCollection(Schema):
    id: str
    title: str
    description: str
    keywords: list[str]
    itemType: str  # noqa: N815
    crs: list[str]
    storageCrs: str  # noqa: N815
    extent: dict[str, Any]
    links: list[Link]


class OgcCollections(Schema):
    links: list[Link]
    collections: list[OgcCollection]


class Feature(Schema):
    type: str = "Feature"
    id: int
    geometry: dict[str, Any] | None
    properties: dict[str, Any]


class FeatureCollection(Schema):
    type: str = "FeatureCollection"
    features: list[Feature]
    numberMatched: int  # noqa: N815
    numberReturned: int  # noqa: N815
    timeStamp: str  # noqa: N815
    links: list[Link]


class GeoJsonExport(Schema):
    """The GeoJSON export: one point feature per place (virtual places without geometry)."""

    type: Literal["FeatureCollection"]
    features: list[Feature]


class OgcException(Schema):
    code: str
    description: str
