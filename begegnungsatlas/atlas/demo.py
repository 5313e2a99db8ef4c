"""Demo loader for the atlas: regions and area hierarchies from the bundled real boundary files."""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import mapping, shape

from begegnungsatlas.data import DATA_DIR

from . import demo_indicators as meta
from .models import Area, AreaLevel, Derivation, Indicator, IndicatorKind, Region
from .services.areas import areas_upsert, region_get_or_create
from .services.boundaries import BoundaryFile, boundaries_import, level_simplify_web
from .services.tables import Table, read_table
from .services.values_import import Mapping, genesis_mapping, values_import

VG250 = "VG250 © GeoBasis-DE / BKG (2022), dl-de/by-2-0; Zensus 2022"
DORTMUND = "Stadt Dortmund, Open Data / Statistikatlas (über anienabe/SpatialJustice)"


def _features(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return list(json.load(fh)["features"])


def load(*, out: Callable[[str], object] = print) -> None:
    """Full atlas demo: areas, indicators, NRW Kreise and (unless switched off) all German Gemeinden."""
    load_kreis_dueren(out=out)
    load_dortmund(out=out)
    indicators_dortmund(out=out)
    indicators_kreis_dueren(out=out)
    grid_kreis_dueren(out=out)
    load_nrw(out=out)
    if os.environ.get("BEGEGNUNGSATLAS_DEMO_DEUTSCHLAND", "1") != "0":
        load_deutschland(out=out)


def grid_kreis_dueren(*, out: Callable[[str], object] = print) -> None:
    """A 1 km INSPIRE grid over Kreis Düren: the level that Zensus grid statistics can be imported into."""
    from .services.grid import grid_level_create

    level = grid_level_create(region=Region.objects.get(slug="kreis-dueren"), size_m=1000)
    out(f"Kreis Düren: {level.areas.count()} Rasterzellen (1 km, INSPIRE) angelegt (ohne Werte).")


def load_kreis_dueren(*, out: Callable[[str], object] = print) -> None:
    region = region_get_or_create(
        slug="kreis-dueren", name="Kreis Düren", ars="05358",
        levels=[("kreis", "Kreis", "Kreis", False), ("kommune", "Kommune", "Kommunen", True)],
    )
    feats = _features(DATA_DIR / "boundaries" / "kreis_dueren_gemeinden_2022.geojson")
    union = shapely.union_all([shapely.make_valid(shape(f["geometry"])) for f in feats])
    kreis = AreaLevel.objects.get(region=region, slug="kreis")
    areas_upsert(
        level=kreis,
        features=[{"properties": {"ARS": "05358", "name": "Kreis Düren"}, "geometry": mapping(union)}],
        code=lambda p: p["ARS"], name=lambda p: p["name"], source=VG250,
    )
    kommune = AreaLevel.objects.get(region=region, slug="kommune")
    areas_upsert(level=kommune, features=feats, code=lambda p: p["ARS"], name=lambda p: p["name"], source=VG250)
    level_simplify_web(level=kommune)
    out(f"Kreis Düren: {len(feats)} Kommunen geladen.")


def load_dortmund(*, out: Callable[[str], object] = print) -> None:
    region = region_get_or_create(
        slug="dortmund", name="Dortmund", ars="05913",
        levels=[
            ("stadt", "Stadt", "Stadt", True),
            ("stadtbezirk", "Stadtbezirk", "Stadtbezirke", False),
            ("statistischer-bezirk", "Statistischer Bezirk", "Statistische Bezirke", False),
            ("unterbezirk", "Statistischer Unterbezirk", "Statistische Unterbezirke", False),
        ],
    )
    d = DATA_DIR / "dortmund"
    sb = _features(d / "stadtbezirke_derived.geojson")
    union = shapely.union_all([shapely.make_valid(shape(f["geometry"])) for f in sb])
    levels = {lvl.slug: lvl for lvl in AreaLevel.objects.filter(region=region)}
    areas_upsert(
        level=levels["stadt"],
        features=[{"properties": {"code": "059130000000", "name": "Dortmund"}, "geometry": mapping(union)}],
        code=lambda p: p["code"], name=lambda p: p["name"], source=DORTMUND,
    )
    areas_upsert(level=levels["stadtbezirk"], features=sb, code=lambda p: str(p["stadtbeznr"]),
                 name=lambda p: p["stadtbezbe"], source=DORTMUND)
    stb = _features(d / "statistische_bezirke_derived.geojson")
    areas_upsert(level=levels["statistischer-bezirk"], features=stb, code=lambda p: str(p["statbeznr"]),
                 name=lambda p: p["statbezibe"], parent_code=lambda p: str(p["stadtbeznr"]), source=DORTMUND)
    ub = _features(d / "unterbezirke_do_data2024.geojson")
    areas_upsert(level=levels["unterbezirk"], features=ub, code=lambda p: str(p["unbeznr"]),
                 name=lambda p: p.get("Namen") or p.get("Name") or p["bezeichnun"].title(),
                 parent_code=lambda p: str(p["unbeznr"])[:2] + "0", source=DORTMUND)
    for slug in ("stadtbezirk", "statistischer-bezirk", "unterbezirk"):
        level_simplify_web(level=levels[slug])
    out(f"Dortmund: {len(sb)} Stadtbezirke, {len(stb)} statistische Bezirke, {len(ub)} Unterbezirke geladen.")


def _indicator(slug: str, **fields: Any) -> Indicator:
    ind, _ = Indicator.objects.update_or_create(slug=slug, defaults=fields)
    return ind


def indicators_dortmund(*, out: Callable[[str], object] = print) -> None:
    """Dortmund indicators 2018 and 2024 per Unterbezirk, imported through the wide-table importer."""
    region = Region.objects.get(slug="dortmund")
    level = AreaLevel.objects.get(region=region, slug="unterbezirk")
    inds = {}
    for sort, (slug, title, unit, dec, pol, key, definition, interp) in enumerate(meta.DORTMUND):
        inds[slug] = _indicator(
            slug, region=region, title=title, unit=unit, decimals=dec, polarity=pol, is_key=key, sort=sort,
            definition=definition + meta.DORTMUND_CAVEAT + meta.NO_AGG, interpretation=interp,
            source=meta.DORTMUND_SOURCE, licence=meta.DORTMUND_LICENCE, reference_date="2018 bzw. 2024",
            kind=IndicatorKind.VALUE,
        )
    total = 0
    for year in ("2018", "2024"):
        feats = _features(DATA_DIR / "dortmund" / f"unterbezirke_do_data{year}.geojson")
        cols = [c for c in inds if c in feats[0]["properties"]]
        rows = [[str(f["properties"]["unbeznr"])] + [
            "" if f["properties"].get(c) is None else f["properties"][c] for c in cols] for f in feats]
        table = Table(["unbeznr", *cols], rows, "geojson")
        mapping = Mapping(level=level, area_column="unbeznr", layout="wide", period=year,
                          value_columns={c: inds[c] for c in cols})
        total += values_import(table=table, mapping=mapping).written
    for sort, slug in enumerate(meta.DORTMUND_MSS, start=50):
        base = inds[slug]
        _indicator(
            f"{slug}_change_2018_2024", region=region, title=f"{base.title}: Veränderung 2018–2024",
            unit="Prozentpunkte", decimals=1, polarity=base.polarity, sort=sort, kind=IndicatorKind.VALUE,
            derivation=Derivation.CHANGE, base=base, period_from="2018", period_to="2024",
            definition=f"Wert 2024 minus Wert 2018 von „{base.title}“ in Prozentpunkten (berechnet)."
            + meta.DORTMUND_CAVEAT,
            source=base.source, licence=base.licence, reference_date="2018 und 2024",
            interpretation="Positive Werte: der Anteil ist gestiegen.",
        )
    out(f"Dortmund: {len(inds)} Indikatoren, {total} Werte (2018, 2024) importiert.")


def _population_indicator() -> Indicator:
    return _indicator(
        "einwohner_zensus2022", region=None, title="Einwohner:innen (Zensus 2022)", unit="Personen", decimals=0,
        polarity=0, is_key=True, sort=0, kind=IndicatorKind.COUNT, external_code="PRS018",
        definition="Personen mit Hauptwohnsitz am Zensusstichtag 15.05.2022 (Gebietsstand 15.05.2022).",
        source=meta.ZENSUS_SOURCE, licence=meta.DL_DE_BY, reference_date="15.05.2022",
        interpretation="Anzahl; auf höheren Ebenen wird summiert.",
    )


def indicators_kreis_dueren(*, out: Callable[[str], object] = print) -> None:
    """Zensus 2022 population of the 15 Kommunen, imported from the real GENESIS flat file."""
    pop = _population_indicator()
    level = AreaLevel.objects.get(region__slug="kreis-dueren", slug="kommune")
    table = read_table((DATA_DIR / "zensus2022" / "zensus2022_1000A-0000_de_flat.csv").read_bytes())
    result = values_import(table=table, mapping=genesis_mapping(table, level=level, indicator=pop))
    _indicator(
        "einwohner_dichte_zensus2022", region=None, title="Einwohner:innen je km² (Zensus 2022)",
        unit="EW/km²", decimals=0, polarity=0, sort=1, kind=IndicatorKind.RATIO, derivation=Derivation.SHARE,
        numerator=pop, denominator=_area_indicator(), multiplier=1.0, source=meta.ZENSUS_SOURCE + "; Fläche: VG250",
        licence=meta.DL_DE_BY, reference_date="15.05.2022",
        definition="Einwohner:innen (Zensus 2022) geteilt durch die Fläche der Gebietsgrenzen in km² (berechnet).",
    )
    _area_values(level, "2022-05-15")
    _area_values(AreaLevel.objects.get(region__slug="kreis-dueren", slug="kreis"), "2022-05-15")
    out(f"Kreis Düren: Zensus 2022 für {result.written} Kommunen importiert "
        f"({len(result.unmatched)} Gebiete der Datei liegen außerhalb und wurden übersprungen).")


def _area_indicator() -> Indicator:
    return _indicator(
        "flaeche_km2", region=None, title="Fläche", unit="km²", decimals=1, polarity=0, sort=2,
        kind=IndicatorKind.COUNT, source="Berechnet aus den Gebietsgrenzen (EPSG:25832)", licence="",
        definition="Fläche der Gebietsgrenze in km², berechnet in EPSG:25832.",
    )


def _area_values(level: AreaLevel, period: str) -> None:
    areas = list(Area.objects.filter(level=level, valid_to__isnull=True).exclude(area_km2=None))
    table = Table(["code", "km2"], [[a.code, a.area_km2] for a in areas], "computed")
    values_import(table=table, mapping=Mapping(level=level, area_column="code", layout="wide", period=period,
                                               value_columns={"km2": _area_indicator()}))


def load_nrw(*, out: Callable[[str], object] = print) -> None:
    """The 53 NRW Kreise (boundaries dissolved from the VG250 Gemeinden) with population by age group."""
    region = region_get_or_create(
        slug="nrw", name="Nordrhein-Westfalen (Kreise)", ars="05",
        levels=[("land", "Land", "Land", False), ("kreis", "Kreis/kreisfreie Stadt", "Kreise und kreisfreie Städte", False)],
    )
    Region.objects.filter(pk=region.pk).update(is_reference=True)
    levels = {lvl.slug: lvl for lvl in AreaLevel.objects.filter(region=region)}
    feats = [f for f in _features(DATA_DIR / "boundaries" / "gemeinden_de_2022_vg250_simplified.geojson")
             if f["properties"]["land_ars"] == "05"]
    by_kreis: dict[str, list[Any]] = {}
    for f in feats:
        by_kreis.setdefault(f["properties"]["kreis_ars"], []).append(shapely.make_valid(shape(f["geometry"])))
    with (DATA_DIR / "kreise_nrw" / "nrw_kreise_bevoelkerung_altersgruppen.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    land = shapely.union_all([g for gs in by_kreis.values() for g in gs])
    boundaries_import(level=levels["land"], boundary_file=BoundaryFile("demo", "EPSG:4326", [
        ({"ars": "05", "name": "Nordrhein-Westfalen"}, land)]), code_field="ars", name_field="name", source=VG250)
    kreise = BoundaryFile("demo", "EPSG:4326", [
        ({"ars": ars, "name": _kreis_name(ars)}, shapely.union_all(gs)) for ars, gs in sorted(by_kreis.items())
    ])
    boundaries_import(level=levels["kreis"], boundary_file=kreise, code_field="ars", name_field="name", source=VG250)
    total = _indicator(
        "bevoelkerung_fortschreibung", region=region, title="Bevölkerung (Fortschreibung)", unit="Personen",
        decimals=0, polarity=0, is_key=True, sort=10, kind=IndicatorKind.COUNT, source=meta.NRW_SOURCE,
        licence=meta.DL_DE_BY, reference_date="Stichtag nicht dokumentiert (vermutlich 31.12.2022 oder 2023)",
        definition="Bevölkerung laut Fortschreibung (noch auf Basis des Zensus 2011), Summe der 11 Altersgruppen.",
    )
    value_columns = {"bevoelkerung_fortschreibung": total}
    for i, (col, slug, label) in enumerate(meta.NRW_AGE_GROUPS):
        count = _indicator(
            slug, region=region, title=f"Bevölkerung {label}", unit="Personen", decimals=0, polarity=0,
            sort=20 + i, kind=IndicatorKind.COUNT, source=meta.NRW_SOURCE, licence=meta.DL_DE_BY,
            reference_date=total.reference_date, definition=f"Personen im Alter von {label} (Fortschreibung).",
        )
        value_columns[col] = count
        _indicator(
            f"{slug}_anteil", region=region, title=f"Anteil {label}", unit="%", decimals=1, polarity=0,
            is_key=slug in ("alter_unter_3", "alter_65_74", "alter_75_plus"), sort=40 + i,
            kind=IndicatorKind.RATIO, derivation=Derivation.SHARE, numerator=count, denominator=total,
            multiplier=100.0, source=meta.NRW_SOURCE, licence=meta.DL_DE_BY, reference_date=total.reference_date,
            definition=f"Personen im Alter von {label} in % der Bevölkerung (berechnet aus den Anzahlen).",
        )
    table = Table(["kreis_ars", *value_columns], [[r["kreis_ars"], *[r[c] for c in value_columns]] for r in rows], "csv")
    values_import(table=table, mapping=Mapping(level=levels["kreis"], area_column="kreis_ars", layout="wide",
                                               period=meta.NRW_PERIOD, decimal="en", value_columns=value_columns))
    zensus = Table(["kreis_ars", "einwohner_zensus2022"], [[r["kreis_ars"], r["einwohner_zensus2022"]] for r in rows], "csv")
    values_import(table=zensus, mapping=Mapping(level=levels["kreis"], area_column="kreis_ars", layout="wide",
                                                period="2022-05-15", decimal="en",
                                                value_columns={"einwohner_zensus2022": _population_indicator()}))
    out(f"NRW: {len(by_kreis)} Kreise mit Bevölkerung nach {len(meta.NRW_AGE_GROUPS)} Altersgruppen geladen.")


def _kreis_name(ars: str) -> str:
    return _kreis_names().get(ars, ars)


def load_deutschland(*, out: Callable[[str], object] = print) -> None:
    """All 10,990 German Gemeinden (VG250 2022, simplified) with Zensus 2022 population, for scale."""
    region = region_get_or_create(
        slug="deutschland", name="Deutschland (Gemeinden)", ars="",
        levels=[("gemeinde", "Gemeinde", "Gemeinden", False)],
    )
    Region.objects.filter(pk=region.pk).update(is_reference=True)
    level = AreaLevel.objects.get(region=region, slug="gemeinde")
    feats = _features(DATA_DIR / "boundaries" / "gemeinden_de_2022_vg250_simplified.geojson")
    bf = BoundaryFile("GeoJSON", "EPSG:4326", [
        ({"ARS": f["properties"]["ARS"], "name": f["properties"]["name"] or f"gemeindefrei {f['properties']['ARS']}"},
         shape(f["geometry"])) for f in feats
    ])
    boundaries_import(level=level, boundary_file=bf, code_field="ARS", name_field="name", source=VG250)
    table = Table(["ARS", "einwohner"], [[f["properties"]["ARS"], f["properties"]["einwohner_zensus2022"]]
                                         for f in feats if f["properties"]["einwohner_zensus2022"] is not None], "geojson")
    r = values_import(table=table, mapping=Mapping(level=level, area_column="ARS", layout="wide", period="2022-05-15",
                                                   value_columns={"einwohner": _population_indicator()}))
    out(f"Deutschland: {len(feats)} Gemeinden, Zensus 2022 für {r.written} Gemeinden.")


@lru_cache(maxsize=1)
def _kreis_names() -> dict[str, str]:
    """Official Kreis names by 5-digit key (datenguide regions.json via shared/data, dl-de/by-2-0)."""
    with (DATA_DIR / "boundaries" / "kreise_namen_2022.csv").open(encoding="utf-8") as fh:
        return {row["kreis_ars"]: row["kreis_name"] for row in csv.DictReader(fh)}
