"""Grid cells as an area level: the INSPIRE grid in EPSG:3035 that Zensus grid statistics use.

Cells are whole squares (not clipped at the border) and carry the INSPIRE cell code of their lower-left
corner, e.g. ``CRS3035RES1000mN3100000E4100000``, so grid statistics can be imported by key like any
other area. A cell belongs to the Kommune that contains its centre (cells cross municipal borders; a cell
whose centre is outside every Kommune of the region hangs directly under the region). Grid levels take no
part in assigning places to areas (see ``atlas/selectors/areas.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from django.db import transaction
from django.utils.translation import gettext as _

from begegnungsatlas.core.geo import to_geojson, transformer
from begegnungsatlas.core.services import audit_record

from ..errors import AtlasError
from ..models import Area, AreaLevel, Region

if TYPE_CHECKING:
    from begegnungsatlas.core.permissions import Actor


GRID_CRS = "EPSG:3035"
MIN_CELL_M = 100
MAX_CELLS = 200_000


def inspire_code(x: float, y: float, size_m: int) -> str:
    """INSPIRE cell code of the cell whose lower-left corner is (x, y) in EPSG:3035.

    >>> inspire_code(4100000, 3100000, 1000)
    'CRS3035RES1000mN3100000E4100000'
    """
    return f"CRS3035RES{size_m}mN{int(y)}E{int(x)}"


def _region_shape(region: Region) -> Any:
    areas = Area.objects.with_geometry().filter(region=region, level__rank=0, valid_to__isnull=True).exclude(geometry=None)
    geoms = [shapely.make_valid(shapely.geometry.shape(a.geometry)) for a in areas]
    if not geoms:
        raise AtlasError(_("Die Region „%(region)s“ hat keine Grenze; ohne Grenze kann kein Raster angelegt werden.")
                         % {"region": region.name})
    return shapely.union_all(geoms)


@transaction.atomic
def grid_level_create(*, region: Region, size_m: int, actor: Actor = None) -> AreaLevel:
    """Create (or replace) the grid level of ``size_m`` metres for ``region``; all or nothing."""
    if size_m < MIN_CELL_M or size_m % 100:
        raise AtlasError(_("Die Rasterweite muss ein Vielfaches von 100 m und mindestens %(min)s m sein.")
                         % {"min": MIN_CELL_M})
    outline_web = _region_shape(region)
    to_grid, to_web = transformer("EPSG:4326", GRID_CRS), transformer(GRID_CRS, "EPSG:4326")
    outline = shapely.transform(outline_web, lambda xy: np.column_stack(to_grid.transform(xy[:, 0], xy[:, 1])))
    minx, miny, maxx, maxy = outline.bounds
    xs = np.arange(np.floor(minx / size_m) * size_m, maxx, size_m)
    ys = np.arange(np.floor(miny / size_m) * size_m, maxy, size_m)
    if len(xs) * len(ys) > MAX_CELLS * 4:
        raise AtlasError(_("Das Raster wäre zu groß (%(n)s Zellen). Bitte eine größere Rasterweite wählen.")
                         % {"n": len(xs) * len(ys)})
    gx, gy = (a.ravel() for a in np.meshgrid(xs, ys))
    boxes = shapely.box(gx, gy, gx + size_m, gy + size_m)
    shapely.prepare(outline)
    keep = shapely.intersects(outline, boxes)
    gx, gy, boxes = gx[keep], gy[keep], boxes[keep]
    if len(boxes) > MAX_CELLS:
        raise AtlasError(_("Das Raster wäre zu groß (%(n)s Zellen). Bitte eine größere Rasterweite wählen.")
                         % {"n": len(boxes)})

    # Parent: the Kommune containing the cell centre (or the region's top area).
    muni = list(Area.objects.filter(region=region, level__is_municipality=True, valid_to__isnull=True)
                .exclude(geometry=None).only("id", "geometry"))
    top = Area.objects.filter(region=region, level__rank=0, valid_to__isnull=True).first()
    cx, cy = to_web.transform(gx + size_m / 2, gy + size_m / 2)
    centres = shapely.points(np.asarray(cx), np.asarray(cy))
    parent_ids = np.full(len(boxes), top.pk if top else -1, dtype=np.int64)
    if muni:
        tree = shapely.STRtree([shapely.make_valid(shapely.geometry.shape(a.geometry)) for a in muni])
        point_idx, muni_idx = tree.query(centres, predicate="intersects")
        parent_ids[point_idx] = np.asarray([muni[i].pk for i in muni_idx], dtype=np.int64)

    slug = f"raster-{size_m}m"
    level = AreaLevel.objects.filter(region=region, slug=slug).first()
    if level is None:
        rank = (AreaLevel.objects.filter(region=region).order_by("-rank").values_list("rank", flat=True).first() or 0) + 1
        label = f"{size_m // 1000} km" if size_m % 1000 == 0 else f"{size_m} m"
        level = AreaLevel.objects.create(
            region=region, slug=slug, rank=rank, grid_size_m=size_m,
            name=_("Rasterzelle %(size)s") % {"size": label}, name_plural=_("Rasterzellen %(size)s") % {"size": label},
        )
    else:
        Area.objects.filter(level=level).delete()

    web_boxes = shapely.transform(boxes, lambda xy: np.column_stack(to_web.transform(xy[:, 0], xy[:, 1])))
    bounds = shapely.bounds(web_boxes)
    km2 = size_m * size_m / 1_000_000
    rows = []
    for i, geom in enumerate(web_boxes):
        gj = to_geojson(geom)
        rows.append(Area(
            region=region, level=level, code=inspire_code(gx[i], gy[i], size_m),
            name=inspire_code(gx[i], gy[i], size_m),
            parent_id=int(parent_ids[i]) if parent_ids[i] > 0 else None,
            geometry=gj, geometry_web=gj,
            min_lon=float(bounds[i, 0]), min_lat=float(bounds[i, 1]), max_lon=float(bounds[i, 2]),
            max_lat=float(bounds[i, 3]), centroid_lon=float(cx[i]), centroid_lat=float(cy[i]), area_km2=km2,
            source=_("INSPIRE-Raster (EPSG:3035), erzeugt aus der Grenze der Region"),
        ))
    Area.objects.bulk_create(rows, batch_size=2000)
    audit_record(actor=actor, action="atlas.grid_create", obj=level, changes={"cells": len(rows), "size_m": size_m})
    return level
