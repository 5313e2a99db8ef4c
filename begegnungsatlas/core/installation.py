"""The installation as data: which Kreis runs this Begegnungsatlas, read from settings at call time.

A second Kreis installs by setting environment variables (``docs/operations.md``, "Installing for another
Kreis"), not by editing code. Services, views and report templates ask ``current()``; nothing here is read at
import time, so ``override_settings`` works in tests.

Settings (environment variables of the same name; defaults are the values of the first installation):

- ``BEGEGNUNGSATLAS_INSTALLATION_NAME``: the public body, e.g. "Kreis Düren" (recipient, signatures).
- ``BEGEGNUNGSATLAS_LETTERHEAD``: sender line of letters and notices.
- ``BEGEGNUNGSATLAS_LETTER_PLACE``: place in the date line of letters ("Düren, den …").
- ``BEGEGNUNGSATLAS_REGION``: slug of the planning region a new funding call covers (empty: the only one).
- ``BEGEGNUNGSATLAS_ATLAS_REGION``: slug of the region the atlas opens with.
- ``BEGEGNUNGSATLAS_DEFAULT_MAP_VIEW``: "latitude,longitude,zoom" of a map with nothing to fit to.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    "BEGEGNUNGSATLAS_INSTALLATION_NAME": "Kreis Düren",
    "BEGEGNUNGSATLAS_LETTERHEAD": "Kreis Düren – Amt für Generationen, Demografie, Inklusion und Sozialplanung",
    "BEGEGNUNGSATLAS_LETTER_PLACE": "Düren",
    "BEGEGNUNGSATLAS_REGION": "",
    "BEGEGNUNGSATLAS_ATLAS_REGION": "dortmund",
    "BEGEGNUNGSATLAS_DEFAULT_MAP_VIEW": "51.1,6.9,8",
}


@dataclass(frozen=True)
class MapView:
    lat: float
    lon: float
    zoom: int

    def __str__(self) -> str:
        """The form of the setting and of the ``data-map-view`` attribute the map scripts read."""
        return f"{self.lat:g},{self.lon:g},{self.zoom}"


@dataclass(frozen=True)
class Installation:
    name: str
    letterhead: str
    letter_place: str
    region: str
    atlas_region: str
    default_map_view: MapView


def parse_map_view(value: Any) -> MapView:
    """``"lat,lon,zoom"`` (or a sequence of the three) as a ``MapView``; ``ValueError`` says what is wrong.

    >>> parse_map_view("50.8, 6.48, 10")
    MapView(lat=50.8, lon=6.48, zoom=10)
    >>> parse_map_view("6.48,50.8")
    Traceback (most recent call last):
    ...
    ValueError: expected "latitude,longitude,zoom", got '6.48,50.8'
    """
    parts = [p.strip() for p in value.split(",")] if isinstance(value, str) else list(value)
    if len(parts) != 3:
        raise ValueError(f'expected "latitude,longitude,zoom", got {value!r}')
    try:
        lat, lon = float(parts[0]), float(parts[1])
        zoom_f = float(parts[2])
    except (TypeError, ValueError) as exc:
        raise ValueError(f"not numbers: {value!r}") from exc
    if not (math.isfinite(lat) and -90 <= lat <= 90 and math.isfinite(lon) and -180 <= lon <= 180):
        raise ValueError(f"latitude must lie in -90..90 and longitude in -180..180, got {value!r}")
    if not zoom_f.is_integer() or not 0 <= zoom_f <= 19:
        raise ValueError(f"zoom must be a whole number from 0 to 19, got {parts[2]!r}")
    return MapView(lat=lat, lon=lon, zoom=int(zoom_f))


def setting(name: str) -> Any:
    return getattr(settings, name, DEFAULTS[name])


def current() -> Installation:
    """This installation, from the settings as they are now."""
    try:
        view = parse_map_view(setting("BEGEGNUNGSATLAS_DEFAULT_MAP_VIEW"))
    except ValueError:
        # ``core.checks`` reports the bad setting; pages still open with the built-in view.
        view = parse_map_view(DEFAULTS["BEGEGNUNGSATLAS_DEFAULT_MAP_VIEW"])
    return Installation(
        name=str(setting("BEGEGNUNGSATLAS_INSTALLATION_NAME")),
        letterhead=str(setting("BEGEGNUNGSATLAS_LETTERHEAD")),
        letter_place=str(setting("BEGEGNUNGSATLAS_LETTER_PLACE")),
        region=str(setting("BEGEGNUNGSATLAS_REGION")),
        atlas_region=str(setting("BEGEGNUNGSATLAS_ATLAS_REGION")),
        default_map_view=view,
    )
