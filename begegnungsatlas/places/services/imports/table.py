"""What every reader returns: rows of raw values, with a point when the format carries one."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class RawRow:
    """One row/feature as read. ``number`` is what the user sees (CSV/XLSX line, GeoJSON feature, OSM object)."""

    number: int
    values: dict[str, Any]
    lon: float | None = None
    lat: float | None = None
    ref: str = ""


@dataclass
class SourceTable:
    format: str  # "geojson", "csv", "xlsx", "osm"
    columns: list[str]
    rows: list[RawRow]
    encoding: str = ""
    delimiter: str = ""
    crs: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def row_label(self) -> str:
        from django.utils.translation import gettext as _

        return _("Zeile") if self.format in {"csv", "xlsx"} else _("Objekt")

    def sample(self, column: str, n: int = 3) -> list[str]:
        """A few non-empty example values of a column (for the mapping step)."""
        out: list[str] = []
        for row in self.rows:
            value = row.values.get(column)
            if value not in (None, ""):
                out.append(str(value)[:60])
                if len(out) >= n:
                    break
        return out
