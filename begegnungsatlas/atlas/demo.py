"""Demo loader for the atlas: regions and area hierarchies from the bundled real boundary files."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import mapping, shape

from begegnungsatlas.data import DATA_DIR

from .models import AreaLevel
from .services.areas import areas_upsert, region_get_or_create

VG250 = "VG250 © GeoBasis-DE / BKG (2022), dl-de/by-2-0; Zensus 2022"
DORTMUND = "Stadt Dortmund, Open Data / Statistikatlas (über anienabe/SpatialJustice)"


def _features(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return list(json.load(fh)["features"])


def load(*, out: Callable[[str], object] = print) -> None:
    load_kreis_dueren(out=out)
    load_dortmund(out=out)


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
    out(f"Dortmund: {len(sb)} Stadtbezirke, {len(stb)} statistische Bezirke, {len(ub)} Unterbezirke geladen.")
