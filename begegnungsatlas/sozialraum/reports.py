"""Sozialraumbericht and Datencheck: the data for the Typst templates, maps and charts as SVG, the stored PDF.

Maps are drawn here as SVG (EPSG:25832, so shapes are not stretched); charts reuse ``atlas.charts``. Typst embeds
both as vector graphics (``reports/templates/sozialraumbericht.typ``, ``datencheck.typ``).
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from django.db import transaction
from django.utils.translation import gettext as _

from begegnungsatlas.atlas.charts import line_chart_svg
from begegnungsatlas.atlas.models import Area, AreaLevel, Indicator
from begegnungsatlas.atlas.selectors.values import Cell, indicator_periods, indicator_values_for_level
from begegnungsatlas.core.geo import to_metric, to_shape
from begegnungsatlas.core.permissions import signed_in
from begegnungsatlas.core.services import audit_record
from begegnungsatlas.reports import render_pdf

from .errors import SozialraumError
from .models import Report, SozialraumLevel
from .services.age import AGE_CLASSES, CHANGE_COVERAGE, AreaAge, age_note, age_structure_for_region

if TYPE_CHECKING:
    from begegnungsatlas.core.permissions import Actor


PALETTE = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666",
           "#1f78b4", "#b2df8a", "#fb9a99", "#cab2d6"]
MAX_INDICATORS = 12


def _path(geom: Any, fx: Callable[[float], float], fy: Callable[[float], float]) -> str:
    out = []
    polys = list(geom.geoms) if hasattr(geom, "geoms") else [geom]
    for poly in polys:
        if poly.geom_type != "Polygon":
            continue
        for ring in [poly.exterior, *poly.interiors]:
            pts = np.asarray(ring.coords)
            out.append("M" + " L".join(f"{fx(x):.1f},{fy(y):.1f}" for x, y in pts) + " Z")
    return " ".join(out)


def map_svg(geoms_web: list[Any], *, fills: list[str], labels: list[str] | None = None, title: str,
            width: int = 480, height: int = 360) -> str:
    """A simple vector map of polygons (EPSG:4326 in, drawn in EPSG:25832) with optional labels."""
    metric = [to_metric(shapely.make_valid(g)) for g in geoms_web]
    minx, miny, maxx, maxy = shapely.total_bounds(np.asarray(metric, dtype=object))
    scale = min((width - 20) / max(maxx - minx, 1), (height - 20) / max(maxy - miny, 1))

    def fx(x: float) -> float:
        return float(10 + (x - minx) * scale)

    def fy(y: float) -> float:
        return float(height - 10 - (y - miny) * scale)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
             f'height="{height}"><title>{escape(title)}</title>']
    for geom, fill in zip(metric, fills, strict=True):
        parts.append(f'<path d="{_path(geom, fx, fy)}" fill="{fill}" stroke="#ffffff" stroke-width="0.8" '
                     'fill-rule="evenodd"/>')
    for geom, label in zip(metric, labels or [], strict=False):
        p = geom.representative_point()
        parts.append(f'<text x="{fx(p.x):.1f}" y="{fy(p.y):.1f}" font-size="11" text-anchor="middle" '
                     f'font-family="sans-serif" fill="#000000">{escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _fmt(value: float | None, decimals: int) -> str:
    if value is None:
        return "–"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def _cell_text(cell: Cell | None, decimals: int) -> str:
    if cell is None:
        return "–"
    return _fmt(cell.value, decimals) if cell.ok else (cell.status_text or "–")


def _top_area(region_id: int) -> Area | None:
    return Area.objects.filter(region_id=region_id, level__rank=0, valid_to__isnull=True).first()


def _periods(ind: Indicator, period_from: str, period_to: str) -> list[str]:
    return [p for p in indicator_periods(ind) if period_from <= p <= period_to]


def _indicators(options: dict[str, Any]) -> list[Indicator]:
    ids = [int(i) for i in options.get("indicators", [])][:MAX_INDICATORS]
    found = Indicator.objects.in_bulk(ids)
    inds = [found[i] for i in ids if i in found]
    if not inds:
        raise SozialraumError(_("Bitte mindestens einen Indikator wählen."))
    return inds


def _sources(inds: list[Indicator]) -> list[list[str]]:
    seen: dict[str, str] = {}
    for ind in inds:
        seen.setdefault(ind.source or _("Quelle nicht angegeben"), ind.licence or _("Lizenz nicht angegeben"))
    return [[s, lic] for s, lic in seen.items()]


def sozialraumbericht_data(sr: SozialraumLevel, options: dict[str, Any],
                           progress: Callable[[int, str], None]) -> dict[str, Any]:
    from begegnungsatlas.places.models import Place

    inds = _indicators(options)
    p_from, p_to = str(options.get("period_from", "")), str(options.get("period_to", ""))
    level = sr.level
    areas = list(Area.objects.filter(level=level, valid_to__isnull=True).order_by("code"))
    if not areas:
        raise SozialraumError(_("Die Gliederung hat keine Sozialräume."))
    geoms = [shapely.make_valid(to_shape(a.geometry or {})) for a in areas]
    fills = [PALETTE[i % len(PALETTE)] for i in range(len(areas))]
    top = _top_area(level.region_id)
    top_level = top.level if top else None
    # values per indicator: last period in range, for the Sozialräume and for the Kreis
    latest: dict[int, str] = {}
    values: dict[int, dict[int, Cell]] = {}
    kreis: dict[int, Cell | None] = {}
    series: dict[int, dict[str, dict[int, Cell]]] = {}
    for ind in inds:
        periods = _periods(ind, p_from, p_to)
        if not periods:
            continue
        latest[ind.pk] = periods[-1]
        series[ind.pk] = {p: indicator_values_for_level(indicator=ind, level=level, period=p) for p in periods}
        values[ind.pk] = series[ind.pk][periods[-1]]
        kreis[ind.pk] = (indicator_values_for_level(indicator=ind, level=top_level, period=periods[-1]).get(top.pk)
                         if top and top_level else None)
    shown = [i for i in inds if i.pk in latest]
    if not shown:
        raise SozialraumError(_("Für die gewählten Indikatoren gibt es im Zeitraum %(a)s bis %(b)s keine Werte.")
                              % {"a": p_from, "b": p_to})
    progress(40, _("Karten und Diagramme werden gezeichnet …"))
    places = list(Place.objects.filter(is_published=True).exclude(lon=None).values_list("name", "lon", "lat"))
    points = shapely.points(np.asarray([[lo, la] for _n, lo, la in places], dtype=float).reshape(-1, 2))
    chapters = []
    for idx, (area, geom) in enumerate(zip(areas, geoms, strict=True)):
        inside = [places[j][0] for j in np.flatnonzero(shapely.contains(geom, points))] if places else []
        profile = []
        charts = []
        for ind in shown:
            cell = values[ind.pk].get(area.pk)
            k = kreis.get(ind.pk)
            diff = (cell.value - k.value) if cell and cell.ok and k is not None and k.ok else None  # type: ignore[operator]
            profile.append([ind.title, ind.unit, latest[ind.pk], _cell_text(cell, ind.decimals),
                            _cell_text(k, ind.decimals), _fmt(diff, ind.decimals) if diff is not None else "–"])
            ts = [(p, series[ind.pk][p].get(area.pk, Cell(None)).value) for p in series[ind.pk]]
            if len(ts) > 1:
                charts.append({
                    "svg": str(line_chart_svg(ts, title=ind.title, unit=ind.unit, decimals=ind.decimals,
                                              width=420, height=150)),
                    "alt": _("Zeitreihe %(indicator)s in %(name)s: %(values)s") % {
                        "indicator": ind.title, "name": area.name,
                        "values": "; ".join(f"{p} {_fmt(v, ind.decimals)}" for p, v in ts)},
                })
        chapters.append({
            "code": area.code, "name": area.name,
            "units": list(Area.objects.filter(pk__in=area.memberships.values_list("unit_id", flat=True))
                          .order_by("name").values_list("name", flat=True)),
            "locator": map_svg(geoms, fills=["#c0392b" if j == idx else "#dddddd" for j in range(len(areas))],
                               title=_("Lage von %(name)s") % {"name": area.name}, width=260, height=200),
            "locator_alt": _("Karte: Lage von %(name)s (rot) unter den %(n)s Sozialräumen") % {
                "name": area.name, "n": len(areas)},
            "profile": profile, "charts": charts, "places": sorted(inside)[:40], "places_total": len(inside),
        })
        progress(40 + int(50 * (idx + 1) / len(areas)), _("Kapitel %(name)s …") % {"name": area.name})
    key_header = [_("Sozialraum"), *[f"{i.title} ({latest[i.pk]})" for i in shown]]
    key_rows = [[a.name, *[_cell_text(values[i.pk].get(a.pk), i.decimals) for i in shown]] for a in areas]
    if top is not None:
        key_rows.append([top.name, *[_cell_text(kreis.get(i.pk), i.decimals) for i in shown]])
    return {
        "title": options.get("title") or _("Sozialraumbericht"), "region": level.region.name,
        "level": level.name, "status": sr.get_status_display(),
        "adopted_on": sr.adopted_on.strftime("%d.%m.%Y") if sr.adopted_on else "",
        "is_example": sr.is_example, "period": f"{p_from} – {p_to}",
        "base": level.composed_of.name_plural or level.composed_of.name if level.composed_of else "",
        "overview": map_svg(geoms, fills=fills, labels=[a.code for a in areas],
                            title=_("Übersicht der Sozialräume")),
        "overview_alt": _("Karte der %(n)s Sozialräume mit ihren Schlüsseln: %(list)s") % {
            "n": len(areas), "list": ", ".join(f"{a.code} {a.name}" for a in areas)},
        "legend": [[a.code, a.name, f] for a, f in zip(areas, fills, strict=True)],
        "key_header": key_header, "key_rows": key_rows, "chapters": chapters,
        "kreis": top.name if top else "",
        "sources": [*_sources(shown), [_("Gebietsgrenzen: BKG VG250 bzw. Stadt Dortmund; Orte: Begegnungsatlas"),
                                       "dl-de/by-2-0"]],
        "footer": _("Begegnungsatlas · %(level)s") % {"level": level.name},
    }


def _age_section(row: AreaAge | None, population_title: str) -> dict[str, Any] | None:
    """The age table of one area for the template (``None``: the grid has no cell in the area)."""
    if row is None or row.grid is None:
        return None
    grid, later, points = row.grid, row.later, row.change_points
    header = [_("Altersgruppe"), _("Personen %(year)s") % {"year": grid.period},
              _("Anteil %(year)s") % {"year": grid.period}]
    if later is not None:
        header.append(_("Anteil %(period)s") % {"period": later.period})
        header.append(_("Veränderung (Pp.)"))
    rows = []
    for i, (_key, label) in enumerate(AGE_CLASSES):
        cells = [label, _fmt(grid.counts[i], 0), _fmt(grid.shares[i], 1) + " %"]
        if later is not None:
            cells.append(_fmt(later.shares[i], 1) + " %")
            cells.append(_fmt(points[i], 1) if points is not None else "–")
        rows.append(cells)
    total = [_("Insgesamt"), _fmt(grid.total, 0), "100 %"]
    if later is not None:
        total += ["100 %", ""]
    rows.append(total)
    cov = row.coverage
    coverage = (_("Das Raster summiert sich auf %(cov)s %% der Einwohner:innen (%(pop)s laut %(indicator)s).")
                % {"cov": _fmt(100 * cov, 0), "pop": _fmt(row.population, 0), "indicator": population_title}
                if cov is not None else _("Abdeckung nicht bestimmbar: keine Einwohnerzahl für dieses Gebiet."))
    return {"header": header, "rows": rows, "coverage": coverage, "note": age_note(row),
            "later_source": later.source if later is not None else ""}


def datencheck_data(sr: SozialraumLevel, options: dict[str, Any],
                    progress: Callable[[int, str], None]) -> dict[str, Any]:
    """The Kreis and each Kommune: the chosen indicators with their change, the age structure from the grid."""
    inds = _indicators(options)
    p_from, p_to = str(options.get("period_from", "")), str(options.get("period_to", ""))
    region = sr.level.region
    muni = AreaLevel.objects.filter(region=region, is_municipality=True).first()
    top = _top_area(region.pk)
    if muni is None or top is None:
        raise SozialraumError(_("Die Region hat keine Ebene der Kommunen."))
    kommunen = list(Area.objects.filter(level=muni, valid_to__isnull=True).order_by("name"))
    ages = age_structure_for_region(region=region, population_indicator=sr.population_indicator,
                                    population_period=sr.population_period)
    age_by_area = {r.area_id: r for r in [*([ages.kreis] if ages.kreis else []), *ages.kommunen]}
    population_title = sr.population_indicator.title if sr.population_indicator else ""
    sections = []
    rows_areas = [(top, top.level), *[(k, muni) for k in kommunen]]
    cache: dict[tuple[int, int, str], dict[int, Cell]] = {}

    def cell(ind: Indicator, level: AreaLevel, period: str, area: Area) -> Cell | None:
        key = (ind.pk, level.pk, period)
        if key not in cache:
            cache[key] = indicator_values_for_level(indicator=ind, level=level, period=period)
        return cache[key].get(area.pk)

    for n, (area, level) in enumerate(rows_areas):
        rows = []
        for ind in inds:
            periods = _periods(ind, p_from, p_to)
            if not periods:
                rows.append([ind.title, "–", "–", "–"])
                continue
            a, b = cell(ind, level, periods[0], area), cell(ind, level, periods[-1], area)
            change = (b.value - a.value) if a and b and a.ok and b.ok and len(periods) > 1 else None  # type: ignore[operator]
            rows.append([f"{ind.title} ({ind.unit})" if ind.unit else ind.title,
                         f"{_cell_text(a, ind.decimals)} ({periods[0]})",
                         f"{_cell_text(b, ind.decimals)} ({periods[-1]})",
                         _fmt(change, ind.decimals) if change is not None else "–"])
        sections.append({"name": area.name, "is_kreis": n == 0, "rows": rows,
                         "age": _age_section(age_by_area.get(area.pk), population_title)})
        progress(10 + int(80 * (n + 1) / len(rows_areas)), _("%(name)s …") % {"name": area.name})
    grid = ages.grid
    sources = _sources(inds)
    if grid is not None:
        sources.append([grid.source, grid.licence or _("Lizenz nicht angegeben")])
    later = {(r.later.source, r.later.licence) for r in age_by_area.values() if r.later is not None and r.later.source}
    sources += [[s, lic or _("Lizenz nicht angegeben")] for s, lic in sorted(later)]
    if grid is None:
        age_intro = _("Für die Region ist kein Bevölkerungsraster mit Altersklassen eingespielt (Lückenanalyse → "
                      "Raster, z. B. Zensus 2011, 1 km); deshalb fehlen die Altersgruppen.")
    else:
        age_intro = _("Altersgruppen aus dem Raster „%(grid)s“ (%(year)s, %(size)s m): jede Zelle zählt für die "
                      "Kommune, in der ihr Mittelpunkt liegt. Abdeckung = Summe der Zellen geteilt durch die "
                      "Einwohnerzahl (%(indicator)s); sie enthält auch die Entwicklung zwischen beiden Zeitpunkten. "
                      "Eine Veränderung wird nur bei einer Abdeckung von %(lo)s bis %(hi)s %% ausgewiesen. %(note)s") % {
            "grid": grid.name, "year": grid.data_year, "size": grid.cell_size_m,
            "indicator": population_title or _("keine gewählt"), "lo": f"{100 * CHANGE_COVERAGE[0]:.0f}",
            "hi": f"{100 * CHANGE_COVERAGE[1]:.0f}", "note": grid.note}
    return {
        "title": options.get("title") or _("Datencheck"), "region": region.name, "period": f"{p_from} – {p_to}",
        "is_example": sr.is_example, "sections": sections, "sources": sources, "age_intro": age_intro,
        "age_missing": _("Das Raster hat keine Zelle, deren Mittelpunkt in diesem Gebiet liegt.")
        if grid is not None else _("Keine Altersgruppen: kein Raster mit Altersklassen eingespielt."),
        "footer": _("Begegnungsatlas · Datencheck %(region)s") % {"region": region.name},
    }


def report_render(*, kind: str, sr: SozialraumLevel, options: dict[str, Any],
                  progress: Callable[[int, str], None] | None = None) -> bytes:
    report_progress = progress or (lambda _p, _m: None)
    if kind == "sozialraumbericht":
        data = sozialraumbericht_data(sr, options, report_progress)
    elif kind == "datencheck":
        data = datencheck_data(sr, options, report_progress)
    else:
        raise SozialraumError(_("Unbekannte Berichtsart."))
    report_progress(92, _("PDF wird gesetzt …"))
    return render_pdf(kind, data, accessible=True)


@transaction.atomic
def report_create(*, kind: str, options: dict[str, Any], actor: Actor,
                  progress: Callable[[int, str], None] | None = None) -> Report:
    sr = SozialraumLevel.objects.select_related("level__region", "level__composed_of").filter(
        pk=int(options.get("sozialraum") or 0)).first()
    if sr is None:
        raise SozialraumError(_("Die Sozialraumgliederung gibt es nicht mehr."))
    pdf = report_render(kind=kind, sr=sr, options=options, progress=progress)
    report = Report.objects.create(sozialraum=sr, kind=kind, title=str(options.get("title", ""))[:200] or kind,
                                   options=options, pdf=pdf, created_by=signed_in(actor))
    audit_record(actor=actor, action=f"sozialraum.report.{kind}", obj=report, object_label=report.title,
                 changes={"bytes": len(pdf)})
    return report
