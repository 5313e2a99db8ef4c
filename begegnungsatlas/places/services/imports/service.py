"""The import services: plan every row (dry run), then write all or nothing in one transaction."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from django.db import transaction
from django.utils.translation import gettext as _

from begegnungsatlas.atlas.models import Area
from begegnungsatlas.atlas.selectors.areas import area_ids_at
from begegnungsatlas.core.services import audit_record

from ...errors import PlaceError
from ...models import ContextFeature, Place
from ...permissions import can_import
from ..places import BulkPlace, place_clean, places_write_bulk
from . import duplicates
from .errors import ImportAborted, ImportFileError
from .mapping import CONTEXT_FIELDS, PLACE_FIELDS, ColumnRef, guess_mapping, text_of, value_of
from .readers import read_source
from .result import CREATE, EXCLUDED, SKIP, UPDATE, ImportResult, RowPlan
from .rows import CleanRow, RowError, Vocabulary, clean_place_row, column_label
from .spatial import to_metric_xy
from .table import RawRow, SourceTable

if TYPE_CHECKING:
    from begegnungsatlas.core.permissions import Actor


Progress = Callable[[str, int, int], object]
IMPORT_ACTOR_LABEL = "system (Import)"
BATCH = 1000

# OSM tags → place fields (the reader adds osm_id, website, phone, email, zielgruppen).
OSM_MAPPING: dict[str, str] = {
    "name": "name", "street": "addr:street", "housenumber": "addr:housenumber", "postcode": "addr:postcode",
    "city": "addr:city", "opening_hours": "opening_hours", "wheelchair": "wheelchair", "website": "website",
    "actors": "operator", "contact_phone": "phone", "contact_email": "email", "source_id": "osm_id",
    "target_groups": "zielgruppen", "description": "description",
}


def default_mapping(table: SourceTable, *, target: str = "places") -> dict[str, str]:
    fields = CONTEXT_FIELDS if target == "context" else PLACE_FIELDS
    if table.format == "osm":
        base = {k: v for k, v in OSM_MAPPING.items() if k in fields}
        if target == "context":
            base["kind"] = "osm_art"
        return {k: v for k, v in base.items() if v in table.columns}
    return guess_mapping(table.columns, fields=fields)


def _check_mapping(table: SourceTable, mapping: Mapping[str, ColumnRef], fields: Mapping[str, Any]) -> dict[str, ColumnRef]:
    clean: dict[str, ColumnRef] = {}
    for target, ref in mapping.items():
        if target not in fields:
            raise ImportFileError(_("Unbekanntes Zielfeld „%(f)s“. Möglich: %(all)s")
                                  % {"f": target, "all": ", ".join(fields)})
        if ref in (None, ""):
            continue
        if isinstance(ref, str) and ref not in table.columns:
            raise ImportFileError(
                _("Die Spalte „%(c)s“ (für %(f)s) gibt es in der Datei nicht. Vorhanden sind: %(all)s")
                % {"c": ref, "f": target, "all": ", ".join(table.columns[:40])}
            )
        clean[target] = ref
    has_geometry = any(r.lon is not None for r in table.rows)
    if "name" not in clean:
        raise ImportFileError(_("Bitte ordnen Sie dem Feld „Name“ eine Spalte zu."))
    has_coords = ("lat" in clean and "lon" in clean) or ("x" in clean and "y" in clean)
    if not has_geometry and not has_coords and table.rows:
        raise ImportFileError(
            _("Bitte ordnen Sie Koordinaten zu: Breiten- und Längengrad oder Rechts- und Hochwert (EPSG:25832).")
        )
    return clean


def _excluded(raw: RawRow, where: dict[str, Any] | None) -> str | None:
    for column, wanted in (where or {}).items():
        allowed = {str(w) for w in wanted} if isinstance(wanted, list | tuple | set) else {str(wanted)}
        if text_of(raw.values.get(column)) not in allowed:
            return _("ausgefiltert: %(c)s ist „%(v)s“") % {"c": column, "v": text_of(raw.values.get(column))}
    return None


def _tick(progress: Progress | None, stage: str, done: int, total: int) -> None:
    if progress is not None:
        progress(stage, done, total)


def _outside_messages(points: list[tuple[float, float]]) -> list[str]:
    """German messages for points outside every area; one batch query also checks swapped lat/lon."""
    swapped = area_ids_at([lat for _lon, lat in points], [lon for lon, _lat in points])
    out = []
    for (lon, lat), (_k, area) in zip(points, swapped, strict=True):
        msg = _("Die Koordinaten %(lat).5f, %(lon).5f liegen außerhalb der Gebiete dieser Installation.") % {
            "lat": lat, "lon": lon}
        if area is not None:
            msg += " " + _("Breiten- und Längengrad sind vermutlich vertauscht.")
        out.append(msg)
    return out


def places_import(
    *,
    actor: Actor,
    table: SourceTable,
    mapping: dict[str, ColumnRef] | None = None,
    source: str = "",
    dry_run: bool = False,
    strict: bool = False,
    duplicate_action: str = "skip",
    duplicate_distance_m: float = duplicates.DEFAULT_DISTANCE_M,
    name_similarity: float = duplicates.DEFAULT_SIMILARITY,
    where: dict[str, Any] | None = None,
    defaults: dict[str, Any] | None = None,
    drop_invalid_opening_hours: bool | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import places from a read table.

    ``actor`` None means the system (command line, demo). A dry run plans every row and writes nothing.
    The real run writes all planned rows in one transaction; with ``strict`` a single bad row aborts it
    (``ImportAborted``) and nothing is written.
    """
    if actor is not None:
        can_import(actor).enforce()
    if duplicate_action not in {"skip", "update"}:
        raise ImportFileError(_("Dubletten können nur übersprungen oder aktualisiert werden."))
    mapping = _check_mapping(table, default_mapping(table) if mapping is None else mapping, PLACE_FIELDS)
    defaults = dict(defaults or {})
    if drop_invalid_opening_hours is None:
        drop_invalid_opening_hours = table.format == "osm"
    result = ImportResult(target="places", format=table.format, row_label=table.row_label, dry_run=dry_run,
                          strict=strict, encoding=table.encoding, delimiter=table.delimiter, notes=list(table.notes))
    vocab = Vocabulary()
    clean: list[tuple[RowPlan, CleanRow]] = []
    total = len(table.rows)
    for i, raw in enumerate(table.rows):
        reason = _excluded(raw, where)
        if reason:
            result.rows.append(RowPlan(row=raw.number, action=EXCLUDED, reason=reason))
            continue
        try:
            row = clean_place_row(raw, mapping=mapping, defaults=defaults, vocab=vocab,
                                  drop_invalid_opening_hours=drop_invalid_opening_hours)
        except RowError as exc:
            name = text_of(value_of(raw.values, mapping.get("name")))
            result.rows.append(RowPlan(row=raw.number, action=SKIP, name=name, column=exc.column,
                                       reason=exc.message, is_error=True))
            continue
        if source and "source" not in row.data:
            row.data["source"] = source
        try:  # the model's own checks (lengths, choices, addresses), as for every other write of a place
            place_clean(data={**row.data, "lon": row.lon, "lat": row.lat}, assign_areas=False)
        except PlaceError as exc:
            result.rows.append(RowPlan(row=raw.number, action=SKIP, name=row.data["name"], reason=str(exc),
                                       is_error=True))
            continue
        plan = RowPlan(row=raw.number, action=CREATE, name=row.data["name"], warnings=row.warnings)
        result.rows.append(plan)
        clean.append((plan, row))
        if i % 2000 == 0:
            _tick(progress, _("prüfen"), i, total)

    # Areas: one STRtree query for all points.
    assignments = area_ids_at([c.lon for _p, c in clean], [c.lat for _p, c in clean])
    area_ids = {a for pair in assignments for a in pair if a is not None}
    areas = Area.objects.in_bulk(list(area_ids))
    kept: list[tuple[RowPlan, CleanRow, int, int | None]] = []
    outside: list[tuple[RowPlan, CleanRow]] = []
    for (plan, row), (kommune_id, area_id) in zip(clean, assignments, strict=True):
        if kommune_id is None:
            plan.action, plan.is_error = SKIP, True
            plan.column = _("Koordinaten")
            outside.append((plan, row))
            continue
        plan.kommune = areas[kommune_id].name
        plan.area = areas[area_id].name if area_id in areas and area_id != kommune_id else ""
        kept.append((plan, row, kommune_id, area_id))
    for (plan, _row), msg in zip(outside, _outside_messages([(r.lon, r.lat) for _p, r in outside]), strict=True):
        plan.reason = msg

    existing_for: dict[int, Place] = _detect_duplicates(
        kept, source=source, distance_m=duplicate_distance_m, threshold=name_similarity,
        update=duplicate_action == "update", row_label=table.row_label)

    if result.would_abort:
        if dry_run:
            return result
        raise ImportAborted(
            _("Import abgebrochen: %(n)s fehlerhafte %(label)s. Es wurde nichts gespeichert.")
            % {"n": len(result.errors), "label": _("Zeilen") if table.format in {"csv", "xlsx"} else _("Objekte")},
            result,
        )
    if dry_run:
        return result
    with transaction.atomic():
        _write(actor=actor, kept=kept, existing_for=existing_for, source=source or table.format, result=result,
               progress=progress)
    result.written = True
    return result


def _detect_duplicates(
    kept: list[tuple[RowPlan, CleanRow, int, int | None]],
    *, source: str, distance_m: float, threshold: float, update: bool, row_label: str,
) -> dict[int, Place]:
    """Mark duplicates (against existing places and within the file). Returns row index → existing place."""
    existing_for: dict[int, Place] = {}
    if not kept:
        return existing_for
    lons = [r.lon for _p, r, _k, _a in kept]
    lats = [r.lat for _p, r, _k, _a in kept]
    xy = to_metric_xy(lons, lats)
    margin = 0.01
    existing = list(
        Place.objects.filter(lon__gte=min(lons) - margin, lon__lte=max(lons) + margin,
                             lat__gte=min(lats) - margin, lat__lte=max(lats) + margin)
        .only("id", "name", "lon", "lat", "source", "source_id")
    )
    by_source_id = {(p.source, p.source_id): p for p in existing if p.source_id}
    # The bounding-box filter above only finds places that have coordinates.
    ex_xy = to_metric_xy([cast(float, p.lon) for p in existing], [cast(float, p.lat) for p in existing])
    names = [r.data["name"] for _p, r, _k, _a in kept]
    near_existing = duplicates.find_similar(xy, names, ex_xy, [p.name for p in existing],
                                            distance_m=distance_m, threshold=threshold)
    near_file = duplicates.find_similar(xy, names, xy, names, distance_m=distance_m, threshold=threshold,
                                        same_set=True)
    for i, (plan, row, _k, _a) in enumerate(kept):
        match: Place | None = None
        why = ""
        sid = row.data.get("source_id")
        if sid and (source, sid) in by_source_id:
            match = by_source_id[(source, sid)]
            why = _("gleiche Quell-ID „%(id)s“") % {"id": sid}
        elif (nb := near_existing[i]) is not None:
            match = existing[nb.index]
            why = _("ähnlicher Name, %(d)s m entfernt") % {"d": round(nb.distance_m)}
        if match is not None:
            plan.existing_id = match.pk
            if update:
                plan.action = UPDATE
                plan.reason = _("aktualisiert „%(name)s“ (%(why)s)") % {"name": match.name, "why": why}
                existing_for[i] = match
            else:
                plan.action = SKIP
                plan.reason = _("Dublette des vorhandenen Ortes „%(name)s“ (%(why)s)") % {"name": match.name, "why": why}
            continue
        nb = near_file[i]
        if nb is not None:
            other = kept[nb.index][0]
            plan.action = SKIP
            plan.reason = _("Dublette von %(label)s %(row)s „%(name)s“ in derselben Datei (%(d)s m entfernt)") % {
                "label": row_label, "row": other.row, "name": other.name, "d": round(nb.distance_m)}
    return existing_for


def _write(
    *, actor: Actor, kept: list[tuple[RowPlan, CleanRow, int, int | None]], existing_for: dict[int, Place],
    source: str, result: ImportResult, progress: Progress | None,
) -> None:
    """The rows to write, handed to ``places.services.places.places_write_bulk`` (snapshot, audit, feature text)."""
    todo = [(i, plan, row, k, a) for i, (plan, row, k, a) in enumerate(kept) if plan.action in (CREATE, UPDATE)]
    items = [
        BulkPlace(data=row.data, lon=row.lon, lat=row.lat, kommune_id=k, area_id=a,
                  target_groups=list(row.target_groups), qualities=list(row.qualities), actors=list(row.actors),
                  offers=list(row.offers), mapped=frozenset(row.mapped),
                  existing_id=existing_for[i].pk if plan.action == UPDATE else None)
        for i, plan, row, k, a in todo
    ]
    ids = places_write_bulk(actor=actor, items=items, action="place.import",
                            note=_("Import aus %(source)s") % {"source": source},
                            anonymous_label=IMPORT_ACTOR_LABEL, progress=progress)
    for (_i, plan, *_rest), pk in zip(todo, ids, strict=True):
        plan.existing_id = pk


# --------------------------------------------------------------------------------------------------- context layers


def context_features_import(
    *,
    actor: Actor,
    table: SourceTable,
    layer: str,
    layer_name: str = "",
    mapping: dict[str, ColumnRef] | None = None,
    source: str = "",
    dry_run: bool = False,
    strict: bool = False,
    replace: bool = False,
    where: dict[str, Any] | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import points into a context layer (``ContextFeature``); ``replace`` swaps the layer's content."""
    from django.utils.text import slugify

    if actor is not None:
        can_import(actor).enforce()
    layer = slugify(layer)
    if not layer:
        raise ImportFileError(_("Bitte geben Sie ein Kürzel für die Kontextebene an."))
    layer_name = layer_name or layer
    mapping = _check_mapping(table, default_mapping(table, target="context") if mapping is None else mapping,
                             CONTEXT_FIELDS)
    result = ImportResult(target="context", format=table.format, row_label=table.row_label, dry_run=dry_run,
                          strict=strict, encoding=table.encoding, delimiter=table.delimiter, layer=layer,
                          notes=list(table.notes))
    vocab = _NoVocab()
    items: list[tuple[RowPlan, CleanRow, RawRow]] = []
    for raw in table.rows:
        reason = _excluded(raw, where)
        if reason:
            result.rows.append(RowPlan(row=raw.number, action=EXCLUDED, reason=reason))
            continue
        try:
            row = clean_place_row(raw, mapping={k: v for k, v in mapping.items() if k != "kind"}, defaults={},
                                  vocab=vocab, drop_invalid_opening_hours=True)  # type: ignore[arg-type]
        except RowError as exc:
            result.rows.append(RowPlan(row=raw.number, action=SKIP, column=exc.column, reason=exc.message,
                                       is_error=True, name=text_of(value_of(raw.values, mapping.get("name")))))
            continue
        row.data["kind"] = text_of(value_of(raw.values, mapping.get("kind")))[:100]
        plan = RowPlan(row=raw.number, action=CREATE, name=row.data["name"])
        result.rows.append(plan)
        items.append((plan, row, raw))
    assignments = area_ids_at([r.lon for _p, r, _w in items], [r.lat for _p, r, _w in items])
    areas = Area.objects.in_bulk([a for _k, a in assignments if a is not None])
    features = []
    outside: list[tuple[RowPlan, CleanRow]] = []
    for (plan, row, raw), (kommune_id, area_id) in zip(items, assignments, strict=True):
        if kommune_id is None:
            plan.action, plan.is_error, plan.column = SKIP, True, _("Koordinaten")
            outside.append((plan, row))
            continue
        plan.area = areas[area_id].name if area_id in areas else ""
        props = {k: _jsonable(v) for k, v in raw.values.items() if not k.startswith("__")}
        features.append(ContextFeature(
            layer=layer, layer_name=layer_name[:100], name=row.data["name"][:300], kind=row.data["kind"],
            street=row.data["street"][:200], lon=row.lon, lat=row.lat, area_id=area_id, source=source[:200],
            properties=props))
    for (plan, _row), msg in zip(outside, _outside_messages([(r.lon, r.lat) for _p, r in outside]), strict=True):
        plan.reason = msg
    if result.would_abort:
        if dry_run:
            return result
        raise ImportAborted(_("Import abgebrochen: %(n)s fehlerhafte Einträge. Es wurde nichts gespeichert.")
                            % {"n": len(result.errors)}, result)
    if dry_run:
        return result
    with transaction.atomic():
        removed = 0
        if replace:
            removed, _d = ContextFeature.objects.filter(layer=layer).delete()
        ContextFeature.objects.bulk_create(features, batch_size=BATCH)
        _tick(progress, _("speichern"), len(features), len(features))
        audit_record(
            actor=actor, action="context.import", object_type="places.contextfeature", object_id=layer,
            object_label=layer_name, changes={"created": len(features), "removed": removed, "source": source},
            anonymous_label=IMPORT_ACTOR_LABEL,
        )
    result.written = True
    return result


class _NoVocab:
    """Context features have no target groups or qualities."""

    def target_groups(self, items: list[str], column: str) -> list[int]:
        return []

    def qualities(self, items: list[str], column: str) -> list[int]:
        return []


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


# --------------------------------------------------------------------------------------------------- files


def import_file(
    path: Path | str,
    *,
    actor: Actor,
    format: str | None = None,  # noqa: A002
    delimiter: str | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
    layer: str | None = None,
    layer_name: str = "",
    mapping: dict[str, ColumnRef] | None = None,
    **options: Any,
) -> ImportResult:
    """Read a file and import it as places, or as a context layer when ``layer`` is given."""
    table = read_source(path, format=format, delimiter=delimiter, encoding=encoding, sheet=sheet)
    if layer:
        return context_features_import(actor=actor, table=table, layer=layer, layer_name=layer_name,
                                       mapping=mapping, **options)
    return places_import(actor=actor, table=table, mapping=mapping, **options)


__all__ = ["column_label", "context_features_import", "default_mapping", "import_file", "places_import"]
