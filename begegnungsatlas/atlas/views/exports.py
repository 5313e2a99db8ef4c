"""CSV (German Excel conventions: ``;``, decimal comma, UTF-8 with BOM), XLSX (with a metadata sheet)
and GeoJSON exports of map tables, MSS tables and the indicator catalogue."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpResponse
from django.utils.text import slugify

from begegnungsatlas.core.geo import rfc7946_orient

from ..formatting import format_number, round_value
from ..models import Area, Indicator
from ..selectors.attribution import attribution_for

META_FIELDS = [
    ("slug", "Kürzel"), ("title", "Titel"), ("definition", "Definition"), ("unit", "Einheit"),
    ("source", "Quelle"), ("licence", "Lizenz"), ("reference_date", "Stichtag"),
    ("get_kind_display", "Art"), ("get_derivation_display", "Berechnung"), ("numerator", "Zähler"),
    ("denominator", "Nenner"), ("get_polarity_display", "Richtung"), ("interpretation", "Lesehilfe"),
]


def de_number(v: Any) -> str:
    """A CSV cell: rounded values (``Decimal``) with their places and a decimal comma, no grouping."""
    if v is None:
        return ""
    if isinstance(v, Decimal):
        exponent = v.as_tuple().exponent
        return format_number(v, -exponent if isinstance(exponent, int) and exponent < 0 else 0, grouping=False)
    if isinstance(v, float):
        return repr(round(v, 6)).replace(".", ",")
    return str(v)


def rounded(value: float | None, decimals: int) -> Decimal | None:
    """A value as the atlas shows it (``formatting.round_value``), kept numeric for CSV/XLSX/GeoJSON."""
    if value is None or not math.isfinite(value):
        return None
    return round_value(value, decimals)


def _json_value(v: Any) -> Any:
    return float(v) if isinstance(v, Decimal) else v


def metadata_rows(indicators: Sequence[Indicator]) -> list[list[str]]:
    rows = []
    for ind in indicators:
        row = []
        for attr, _label in META_FIELDS:
            v = getattr(ind, attr)
            v = v() if callable(v) else v
            row.append("" if v is None else str(v))
        rows.append(row)
    return rows


def table_response(name: str, header: list[str], rows: list[list[Any]], fmt: str,
                   meta: Sequence[Indicator] = (), geometries: list[dict[str, Any] | None] | None = None,
                   attribution: Sequence[str] = ()) -> HttpResponse:
    """``attribution`` (boundaries and data credits) goes into every format: a CSV column ``quellenangabe``,
    an XLSX sheet "Quellen", a GeoJSON member ``attribution``."""
    fname = slugify(name) or "export"
    credit = " · ".join(attribution)
    if fmt == "csv":
        buf = io.StringIO()
        buf.write("\ufeff")
        w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
        w.writerow(header + (["quellenangabe"] if credit else []))
        for r in rows:
            w.writerow([de_number(v) for v in r] + ([credit] if credit else []))
        resp = HttpResponse(buf.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("Daten")
        ws.append(header)
        for r in rows:
            ws.append(list(r))
        if meta:
            ms = wb.create_sheet("Metadaten")
            ms.append([label for _a, label in META_FIELDS])
            for r in metadata_rows(meta):
                ms.append(r)
        if attribution:
            qs = wb.create_sheet("Quellen")
            for line in attribution:
                qs.append([line])
        out = io.BytesIO()
        wb.save(out)
        resp = HttpResponse(
            out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    elif fmt == "geojson" and geometries is not None:
        feats = [
            {"type": "Feature", "geometry": g,
             "properties": dict(zip(header, [_json_value(v) for v in r], strict=True))}
            for r, g in zip(rows, geometries, strict=True)
        ]
        doc = {"type": "FeatureCollection", "features": feats, "attribution": credit,
               "metadata": [dict(zip([a for a, _l in META_FIELDS], m, strict=True)) for m in metadata_rows(meta)]}
        resp = HttpResponse(json.dumps(doc, ensure_ascii=False), content_type="application/geo+json")
    else:
        raise Http404("Format")
    resp["Content-Disposition"] = f'attachment; filename="{fname}.{fmt}"'
    return resp


def _geometries(ids: list[int]) -> list[dict[str, Any] | None]:
    geo = dict(Area.objects.filter(id__in=ids).values_list("id", "geometry"))
    return [rfc7946_orient(geo.get(i)) for i in ids]  # RFC 7946: exterior rings counter-clockwise


def choropleth_export(result: Any, fmt: str) -> HttpResponse:
    ind = result.indicator
    header = ["schluessel", "name", "wert", "status", "zeichen", "klasse", "klasse_von", "klasse_bis", "einheit",
              "zeitpunkt", "ebene"]
    rows = []
    d = ind.decimals
    for r in result.rows:
        lc = result.legend[r.klass] if r.klass >= 0 else None
        rows.append([r.code, r.name, rounded(r.cell.value, d), r.cell.status, r.cell.flag,
                     r.klass + 1 if r.klass >= 0 else None, rounded(lc.lower, d) if lc else None,
                     rounded(lc.upper, d) if lc else None, ind.unit, result.period, result.level.name])
    geoms = _geometries([r.area_id for r in result.rows]) if fmt == "geojson" else None
    return table_response(f"{ind.slug}-{result.level.slug}-{result.period}", header, rows, fmt, [ind], geoms,
                          attribution=result.attribution)


def mss_export(table: Any, fmt: str) -> HttpResponse:
    header = ["schluessel", "name"]
    for ind in table.indicators:
        header += [f"{ind.slug}_{table.period_to}", f"{ind.slug}_veraenderung"]
    header += ["einwohner", "einbezogen", "grund", "statusindex", "dynamikindex", "statusklasse", "dynamikklasse",
               "gruppe"]
    rows = []
    for r in table.rows:
        vals: list[Any] = [r.code, r.name]
        for s, d in zip(r.status_values, r.dynamics_values, strict=True):
            vals += [rounded(s, 1), rounded(d, 1)]
        vals += [r.population, "ja" if r.included else "nein", r.reason, rounded(r.status_index, 2),
                 rounded(r.dynamics_index, 2), r.status_class or None, r.dynamics_class or None, r.group]
        rows.append(vals)
    geoms = _geometries([r.area_id for r in table.rows]) if fmt == "geojson" else None
    credit = attribution_for(level=table.level, indicators=list(table.indicators)).lines()
    return table_response(f"mss-{table.level.slug}-{table.period_from}-{table.period_to}", header, rows, fmt,
                          table.indicators, geoms, attribution=credit)


def catalogue_export(indicators: Sequence[Indicator], fmt: str) -> HttpResponse:
    header = [label for _a, label in META_FIELDS]
    if fmt == "xlsx":
        return table_response("indikatoren-metadaten", header, metadata_rows(indicators), "xlsx")
    return table_response("indikatoren-metadaten", header, metadata_rows(indicators), "csv")
