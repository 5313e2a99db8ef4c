"""OpenStreetMap ``opening_hours`` → HSDS 3.0 ``schedule`` objects (RFC 5545 style: WEEKLY + BYDAY).

Only the weekly part that iCalendar can say is translated: rules of the form ``<days> <times>`` or
``<days> off`` (``Mo-Fr 09:00-12:00,14:00-18:00; We off``). As in OSM, a later rule replaces the earlier
ones for the days it names. ``PH off`` is left to the description (HSDS has no holiday calendar). Any other
rule (months, weeks, dates, comments, fallbacks, ``24/7``, open ends) makes the whole text untranslatable:
then a single schedule carries only the original text in ``description``, so nothing wrong is claimed.

>>> weekly_ranges("Mo-Fr 09:00-12:00; We 14:00-16:00")["WE"]
[('14:00', '16:00')]
>>> weekly_ranges("Mo-Fr 09:00-17:00; PH off")["SA"]
[]
>>> weekly_ranges("Jan-Mar Mo 10:00-12:00") is None
True
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
_OSM_DAYS = {"Mo": 0, "Tu": 1, "We": 2, "Th": 3, "Fr": 4, "Sa": 5, "Su": 6}
_DAY = r"(?:Mo|Tu|We|Th|Fr|Sa|Su)"
_DAYSEL = re.compile(rf"^{_DAY}(?:-{_DAY})?(?:,{_DAY}(?:-{_DAY})?)*$")
_TIME = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")


def _split(expression: str) -> list[str]:
    return [r.strip() for r in expression.split(";") if r.strip()]


def _days(selector: str) -> list[int]:
    out: list[int] = []
    for part in selector.split(","):
        if "-" in part:
            a, b = (_OSM_DAYS[x] for x in part.split("-"))
            out.extend(range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)])
        else:
            out.append(_OSM_DAYS[part])
    return out


def weekly_ranges(expression: str) -> dict[str, list[tuple[str, str]]] | None:
    """Per weekday the opening time ranges, or ``None`` if the text is more than a weekly pattern."""
    text = (expression or "").strip()
    if not text or '"' in text or "||" in text:
        return None
    week: dict[str, list[tuple[str, str]]] = {d: [] for d in DAYS}
    for rule in _split(text):
        if rule == "PH off":
            continue
        parts = rule.split(None, 1)
        if len(parts) != 2 or not _DAYSEL.match(parts[0]):
            return None
        days, rest = _days(parts[0]), parts[1].strip()
        if rest in {"off", "closed"}:
            ranges: list[tuple[str, str]] = []
        else:
            ranges = []
            for span in rest.split(","):
                m = _TIME.match(span.strip())
                if not m:
                    return None
                opens, closes = f"{m.group(1)}:{m.group(2)}", f"{m.group(3)}:{m.group(4)}"
                if closes <= opens and closes != "24:00":
                    return None  # over midnight: not a simple weekly range
                ranges.append((opens, closes))
        for d in days:
            week[DAYS[d]] = ranges
    return week


def hsds_schedules(expression: str, *, make_id: Callable[[int], str], link: dict[str, str],
                   note: str = "") -> list[dict[str, Any]]:
    """HSDS schedule objects for ``expression``; ``link`` holds ``service_id`` or ``location_id``."""
    text = (expression or "").strip()
    if not text:
        return []
    week = weekly_ranges(text)
    if week is None:
        return [{"id": make_id(0), **link, "description": text, **({"notes": note} if note else {})}]
    # Group days that share the same ranges: one schedule per distinct time range and day set.
    by_range: dict[tuple[str, str], list[str]] = {}
    for day in DAYS:
        for rng in week[day]:
            by_range.setdefault(rng, []).append(day)
    out = []
    for n, ((opens, closes), days) in enumerate(sorted(by_range.items(), key=lambda kv: (DAYS.index(kv[1][0]), kv[0]))):
        item: dict[str, Any] = {
            "id": make_id(n), **link, "freq": "WEEKLY", "wkst": "MO", "byday": ",".join(days),
            "opens_at": opens, "closes_at": closes, "description": text,
        }
        if note:
            item["notes"] = note
        out.append(item)
    if not out:  # e.g. "Mo-Su off": nothing opens; say it in words only
        out.append({"id": make_id(0), **link, "description": text, **({"notes": note} if note else {})})
    return out
