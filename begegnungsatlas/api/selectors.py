"""Fast reads for the machine interfaces: plain values, no model instances, a fixed number of queries.

The OGC items and the register list must stay fast on 100,000 places, so they select only the columns they
show (``values_list``), filter the bounding box on the indexed ``lon``/``lat`` columns and fetch target
groups in one extra query for the page. Filters are the public list's (``places.selectors.places``).

The JSON hot paths (``place_page_rows``) return plain tuples (``PLACE_COLUMNS`` + target-group slugs) that
``api.ogc`` turns into JSON text directly. On PostgreSQL the page and its target-group ids come in one
statement (a correlated ``ARRAY`` subquery over the unique (place, group) index); on SQLite in two.
Measured alternatives are in ``docs/PERFORMANCE.md`` (letting PostgreSQL build the GeoJSON was slower).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from django.db import connection
from django.db.models import Max, Min, Prefetch, QuerySet
from shapely.geometry import box, shape

from begegnungsatlas.atlas.models import Area, related_geometry
from begegnungsatlas.core.geo import rfc7946_orient
from begegnungsatlas.places.models import Offer, Place, PlaceActor, TargetGroup
from begegnungsatlas.places.selectors.places import PlaceFilter, places_filtered, places_open_now

from .models import PlaceFeature

# Columns of a place row, in the order of ``PLACE_COLUMNS``.
PLACE_COLUMNS = (
    "id", "name", "kind", "status", "street", "postcode", "city", "kommune__code", "kommune__name", "lon", "lat",
    "wheelchair", "open_for_groups", "opening_hours", "website", "is_example",
)


@dataclass(frozen=True)
class Page:
    rows: list[dict[str, Any]]
    total: int


def _published() -> QuerySet[Place]:
    return Place.objects.filter(is_published=True)


def target_groups_by_place(ids: list[int]) -> dict[int, list[str]]:
    """Target-group slugs per place id, in one query."""
    if not ids:
        return {}
    through = Place.target_groups.through
    out: dict[int, list[str]] = {}
    for place_id, slug in (
        through.objects.filter(place_id__in=ids).order_by("targetgroup__sort", "targetgroup__slug")
        .values_list("place_id", "targetgroup__slug")
    ):
        out.setdefault(place_id, []).append(slug)
    return out


def _rows(qs: QuerySet[Place]) -> list[dict[str, Any]]:
    rows = [dict(zip(PLACE_COLUMNS, values, strict=True)) for values in qs.values_list(*PLACE_COLUMNS)]
    groups = target_groups_by_place([r["id"] for r in rows])
    for r in rows:
        r["kommune"] = r.pop("kommune__code") or ""
        r["kommune_name"] = r.pop("kommune__name") or ""
        r["target_groups"] = groups.get(r["id"], [])
    return rows


def _in_bbox(bbox: tuple[float, float, float, float] | None) -> QuerySet[Place]:
    qs = _published()
    if bbox is not None:
        minx, miny, maxx, maxy = bbox
        return qs.filter(lon__gte=minx, lon__lte=maxx, lat__gte=miny, lat__lte=maxy)
    return qs.filter(lon__isnull=False, lat__isnull=False)


def places_in_bbox_page(*, bbox: tuple[float, float, float, float] | None, limit: int, offset: int) -> Page:
    """Published places in ``bbox`` (CRS84: min lon, min lat, max lon, max lat), ordered by id."""
    qs = _in_bbox(bbox)
    total = qs.count()
    rows = _rows(qs.order_by("id")[offset:offset + limit]) if offset < total and limit > 0 else []
    return Page(rows=rows, total=total)


# --- raw rows for the JSON hot paths --------------------------------------------------------------------


@dataclass(frozen=True)
class RawPage:
    """One page of places as plain tuples: ``PLACE_COLUMNS`` values, then a key into ``groups``.

    ``groups`` maps that key to the place's target-group slugs (ordered like the vocabulary). Rows are
    passed on exactly as the database driver returns them; nothing is copied per row.
    """

    rows: list[tuple[Any, ...]]
    total: int
    groups: dict[Any, list[str]]


def _order_sql(qs: QuerySet[Place]) -> str:
    """The queryset's ``order_by`` as an ORDER BY over the column aliases of its ``values_list``."""
    parts = []
    for name in qs.query.order_by:
        if not isinstance(name, str):
            raise ValueError(f"cannot order the raw page by {name!r}")
        desc = name.startswith("-")
        col = name.lstrip("-")
        col = "id" if col == "pk" else col
        if col not in PLACE_COLUMNS:
            raise ValueError(f"cannot order the raw page by {name!r}")
        parts.append(f'page."{col}"' + (" DESC" if desc else ""))
    return ", ".join(parts) or 'page."id"'


def place_page_rows(qs: QuerySet[Place], *, limit: int, offset: int, total: int | None = None) -> RawPage:
    """One page of ``qs`` (ordered) as a ``RawPage``, in at most three queries (two when the page is short).

    On PostgreSQL the page and the target-group ids of each place come in one statement: the page query of
    the ORM (so every filter stays the one of ``places_filtered``) wrapped in an outer select with a correlated
    ``ARRAY`` subquery (an index-only scan on the unique (place, group) index), returned as text such as
    ``{3,5}``, which is the key into ``groups``. ``total`` may be passed when already known (no count query).
    """
    if limit <= 0:
        return RawPage(rows=[], total=qs.count() if total is None else total, groups={})
    rows, groups = _fetch_page(qs, limit=limit, offset=offset)
    if total is None:
        # A short page tells the total without counting (the common case of a filtered list).
        short = len(rows) < limit and (rows or offset == 0)
        total = offset + len(rows) if short else qs.count()
    return RawPage(rows=rows, total=total, groups=groups)


def _fetch_page(qs: QuerySet[Place], *, limit: int, offset: int) -> tuple[list[tuple[Any, ...]], dict[Any, list[str]]]:
    page_qs = qs.values_list(*PLACE_COLUMNS)[offset:offset + limit]
    if connection.vendor != "postgresql":
        rows = list(page_qs)
        by_place = target_groups_by_place([r[0] for r in rows])
        return [(*r, r[0]) for r in rows], {r[0]: by_place.get(r[0], []) for r in rows}
    sql, params = page_qs.query.sql_with_params()
    # Only table names from the models and the ORM's own compiled SQL (with its params) go into the text.
    through = Place.target_groups.through._meta.db_table
    with connection.cursor() as cur:
        cur.execute(f"SELECT id, slug FROM {TargetGroup._meta.db_table} ORDER BY sort, slug")  # noqa: S608
        vocab = cur.fetchall()
        statement = (
            f'SELECT page.*, ARRAY(SELECT t.targetgroup_id FROM {through} t WHERE t.place_id = page."id")::text '  # noqa: S608
            f"FROM ({sql}) page ORDER BY {_order_sql(qs)}"
        )
        cur.execute(statement, params)
        rows = cur.fetchall()
    rank = {pk: i for i, (pk, _slug) in enumerate(vocab)}
    slug = dict(vocab)
    groups: dict[Any, list[str]] = {}
    for key in {r[-1] for r in rows}:  # a handful of distinct combinations
        ids = sorted((int(i) for i in key.strip("{}").split(",") if i), key=rank.__getitem__)
        groups[key] = [slug[i] for i in ids]
    return rows, groups


def places_in_bbox_raw(*, bbox: tuple[float, float, float, float] | None, limit: int, offset: int) -> RawPage:
    """Like ``places_in_bbox_page``, as a ``RawPage`` for ``ogc.places_items_json``."""
    return place_page_rows(_in_bbox(bbox).order_by("id"), limit=limit, offset=offset)


# --- precomputed feature text (``api.models.PlaceFeature``) -------------------------------------------------


def feature_rows(place_ids: list[int] | None) -> tuple[RawPage, dict[int, int | None]]:
    """Raw rows of the places the OGC collection shows (published, with a point), ``None`` = all of them.

    The input of ``api.services.place_features_refresh``, with each place's Kommune id; keys of ``groups``
    are the place ids. Callers pass at most a few hundred ids at a time (SQLite's limit on parameters).
    """
    qs = _in_bbox(None)
    through = Place.target_groups.through.objects.order_by("targetgroup__sort", "targetgroup__slug")
    if place_ids is not None:
        qs = qs.filter(pk__in=place_ids)
        through = through.filter(place_id__in=place_ids)
    rows = list(qs.order_by("id").values_list(*PLACE_COLUMNS, "kommune_id"))
    by_place: dict[int, list[str]] = {}
    for place_id, slug in through.values_list("place_id", "targetgroup__slug"):
        by_place.setdefault(place_id, []).append(slug)
    page = RawPage(rows=[(*r[:-1], r[0]) for r in rows], total=len(rows),
                   groups={r[0]: by_place.get(r[0], []) for r in rows})
    return page, {r[0]: r[-1] for r in rows}


def features_precomputed() -> bool:
    """Whether the OGC places items are served from ``PlaceFeature`` (PostgreSQL; SQLite keeps the raw path)."""
    return connection.vendor == "postgresql"


@dataclass(frozen=True)
class FeatureText:
    text: str  # comma-separated GeoJSON features
    returned: int
    total: int


def place_features_text(*, bbox: tuple[float, float, float, float] | None, limit: int, offset: int) -> FeatureText:
    """A page of the OGC places items as JSON text from ``PlaceFeature`` (same bytes as ``places_in_bbox_raw``).

    On PostgreSQL one statement concatenates the page in C (``string_agg``), joining the Kommune's code and
    name (``to_json`` escapes like ``json.dumps``); a count only when the page is full (or empty past the
    start). Elsewhere the same through the ORM.
    """
    if limit <= 0:
        raise ValueError("limit must be positive")
    qs = PlaceFeature.objects.all()
    if bbox is not None:
        minx, miny, maxx, maxy = bbox
        qs = qs.filter(lon__gte=minx, lon__lte=maxx, lat__gte=miny, lat__lte=maxy)
    from . import ogc

    if connection.vendor == "postgresql":
        table, area = PlaceFeature._meta.db_table, Area._meta.db_table
        where, params = "", []
        if bbox is not None:
            where = "WHERE f.lon >= %s AND f.lon <= %s AND f.lat >= %s AND f.lat <= %s"
            params = [bbox[0], bbox[2], bbox[1], bbox[3]]
        # Only table names from the models go into the text.
        # What ``ogc.place_feature_join`` does, in SQL; the separator is the serializer's own (a parameter).
        concat = ("string_agg(s.head || coalesce(to_json(a.code)::text, '\"\"') || %s::text "
                  "|| coalesce(to_json(a.name)::text, '\"\"') || s.tail, ',' ORDER BY s.place_id)")
        page = f"SELECT f.place_id, f.kommune_id, f.head, f.tail FROM {table} f {where}"  # noqa: S608
        statement = (f"SELECT {concat}, count(*) FROM ({page} ORDER BY f.place_id LIMIT %s OFFSET %s) s "  # noqa: S608
                     f"LEFT JOIN {area} a ON a.id = s.kommune_id")
        with connection.cursor() as cur:
            cur.execute(statement, [ogc.KOMMUNE_NAME_SEPARATOR, *params, limit, offset])
            text, returned = cur.fetchone()
            if _needs_count(returned, limit=limit, offset=offset):
                cur.execute(f"SELECT count(*) FROM {table} f {where}", params)  # noqa: S608 - as above
                total = cur.fetchone()[0]
            else:
                total = offset + returned
        return FeatureText(text=text or "", returned=returned, total=total)
    pieces = qs.order_by("place_id").values_list("head", "kommune__code", "kommune__name", "tail")
    features = [ogc.place_feature_join(*p) for p in pieces[offset:offset + limit]]
    returned = len(features)
    total = qs.count() if _needs_count(returned, limit=limit, offset=offset) else offset + returned
    return FeatureText(text=",".join(features), returned=returned, total=total)


def _needs_count(returned: int, *, limit: int, offset: int) -> bool:
    """A short page tells the total itself, unless it is empty past the start."""
    return not (returned < limit and (returned or offset == 0))


def place_row(pk: int) -> dict[str, Any] | None:
    rows = _rows(_published().filter(pk=pk))
    return rows[0] if rows else None


def place_object(pk: int) -> Place:
    """One published place with everything its detail shows, in a fixed number of queries."""
    return (
        _published().select_related("kommune", "area")
        .defer(*related_geometry("kommune", "area"))
        .prefetch_related(
            "target_groups", "qualities",
            Prefetch("place_actors", queryset=PlaceActor.objects.select_related("organisation").order_by("id")),
            Prefetch("offers", queryset=Offer.objects.select_related("organisation").prefetch_related("target_groups")),
        )
        .get(pk=pk)
    )


def places_list_page(f: PlaceFilter, *, limit: int, offset: int, at: datetime | None = None) -> Page:
    """The public list's filter (same ``PlaceFilter``, same order, same "open now"), one page of rows."""
    qs = places_filtered(f, base=_published())
    if f.open_now:
        # "Open now" is evaluated by the opening-hours parser, exactly as in ``places_search``.
        candidates = [SimpleNamespace(id=i, opening_hours=oh) for i, oh in qs.values_list("id", "opening_hours")]
        ids = [c.id for c in places_open_now(candidates, at=at)]  # type: ignore[arg-type]
        page_ids = ids[offset:offset + limit]
        by_id = {r["id"]: r for r in _rows(_published().filter(pk__in=page_ids))}
        return Page(rows=[by_id[i] for i in page_ids if i in by_id], total=len(ids))
    total = qs.count()
    rows = _rows(qs[offset:offset + limit]) if offset < total and limit > 0 else []
    return Page(rows=rows, total=total)


def places_list_raw(f: PlaceFilter, *, limit: int, offset: int, at: datetime | None = None) -> RawPage:
    """``places_list_page`` as a ``RawPage`` for the JSON list (``ogc.place_summaries_json``)."""
    qs = places_filtered(f, base=_published())
    if f.open_now:
        candidates = [SimpleNamespace(id=i, opening_hours=oh) for i, oh in qs.values_list("id", "opening_hours")]
        ids = [c.id for c in places_open_now(candidates, at=at)]  # type: ignore[arg-type]
        page_ids = ids[offset:offset + limit]
        if not page_ids:
            return RawPage(rows=[], total=len(ids), groups={})
        got = place_page_rows(_published().filter(pk__in=page_ids).order_by("id"), limit=len(page_ids), offset=0,
                              total=len(page_ids))
        by_id = {r[0]: r for r in got.rows}
        return RawPage(rows=[by_id[i] for i in page_ids if i in by_id], total=len(ids), groups=got.groups)
    return place_page_rows(qs, limit=limit, offset=offset)


def places_extent() -> tuple[float, float, float, float] | None:
    agg = _published().aggregate(minx=Min("lon"), miny=Min("lat"), maxx=Max("lon"), maxy=Max("lat"))
    if agg["minx"] is None:
        return None
    return (agg["minx"], agg["miny"], agg["maxx"], agg["maxy"])


# --- areas -------------------------------------------------------------------------------------------

AREA_COLUMNS = ("id", "code", "name", "region__slug", "level__slug", "level__name", "level__rank", "parent__code",
                "area_km2", "valid_from", "valid_to")


def _area_rows(qs: QuerySet[Area], *, with_geometry: bool = True) -> list[dict[str, Any]]:
    cols = AREA_COLUMNS + (("geometry_web", "geometry") if with_geometry else ())
    out = []
    for values in qs.values_list(*cols):
        r = dict(zip(cols, values, strict=True))
        out.append({
            "id": r["id"], "code": r["code"], "name": r["name"], "region": r["region__slug"],
            "level": r["level__slug"], "level_name": r["level__name"], "level_rank": r["level__rank"],
            "parent": r["parent__code"] or "", "area_km2": r["area_km2"],
            "valid_from": r["valid_from"].isoformat() if r["valid_from"] else None,
            "valid_to": r["valid_to"].isoformat() if r["valid_to"] else None,
            **({"geometry": rfc7946_orient(r["geometry_web"] or r["geometry"])} if with_geometry else {}),
        })
    return out


def areas_in_bbox_page(*, bbox: tuple[float, float, float, float] | None, limit: int, offset: int,
                       with_geometry: bool = True) -> Page:
    qs = Area.objects.all()
    if bbox is not None:
        minx, miny, maxx, maxy = bbox
        # First the indexed bounding-box columns, then the exact test on the (simplified) polygon,
        # because OGC asks for features whose geometry intersects the bbox.
        qs = qs.filter(min_lon__lte=maxx, max_lon__gte=minx, min_lat__lte=maxy, max_lat__gte=miny)
        window = box(minx, miny, maxx, maxy)
        ids = [
            pk for pk, geom_web, geom in qs.order_by("id").values_list("id", "geometry_web", "geometry")
            if (geom_web or geom) and shape(geom_web or geom).intersects(window)
        ]
        rows = _area_rows(Area.objects.filter(pk__in=ids[offset:offset + limit]).order_by("id"),
                          with_geometry=with_geometry)
        return Page(rows=rows, total=len(ids))
    total = qs.count()
    rows = _area_rows(qs.order_by("id")[offset:offset + limit], with_geometry=with_geometry) if offset < total else []
    return Page(rows=rows, total=total)


def area_row(pk: int) -> dict[str, Any] | None:
    rows = _area_rows(Area.objects.filter(pk=pk))
    return rows[0] if rows else None


def areas_extent() -> tuple[float, float, float, float] | None:
    agg = Area.objects.aggregate(minx=Min("min_lon"), miny=Min("min_lat"), maxx=Max("max_lon"), maxy=Max("max_lat"))
    if agg["minx"] is None:
        return None
    return (agg["minx"], agg["miny"], agg["maxx"], agg["maxy"])


def target_group_vocabulary() -> list[TargetGroup]:
    return list(TargetGroup.objects.all())
