"""Stable, reversible UUIDs for HSDS objects.

HSDS 3.0 wants UUIDs as identifiers. Our rows have integer keys, so each HSDS object gets a UUIDv8
(RFC 9562, "custom") that encodes its kind and key: ``b0e9a7a5-KKKK-8000-8SSS-PPPPPPPPPPPP`` with ``KKKK``
the kind, ``SSS`` a sub-index (e.g. the n-th schedule of a place) and ``P`` the primary key in hex. The same
row always gets the same id, and ``/api/hsds/services/{id}`` can find the row again without a lookup table.

>>> hsds_id("offer", 42)
'b0e9a7a5-0003-8000-8000-00000000002a'
>>> parse_hsds_id('b0e9a7a5-0003-8000-8000-00000000002a')
('offer', 42, 0)
>>> parse_hsds_id("not-a-uuid") is None
True
"""

from __future__ import annotations

import re

PREFIX = "b0e9a7a5"
KINDS = {
    "organization": 0x0001,
    "place_service": 0x0002,  # the general service of a place ("use of the place")
    "offer": 0x0003,  # an Angebot: a service
    "location": 0x0004,
    "place_sal": 0x0005,  # service_at_location of the general service
    "offer_sal": 0x0006,
    "place_schedule": 0x0007,
    "offer_schedule": 0x0008,
    "contact": 0x0009,
    "attribute_place": 0x000A,
    "attribute_offer": 0x000B,
    "taxonomy_term": 0x000C,
    "taxonomy": 0x000D,
    "address": 0x000E,
    "phone": 0x000F,
    "location_schedule": 0x0010,
    "contact_phone": 0x0011,
}
_BY_CODE = {v: k for k, v in KINDS.items()}
_RE = re.compile(rf"^{PREFIX}-([0-9a-f]{{4}})-8000-8([0-9a-f]{{3}})-([0-9a-f]{{12}})$")


def hsds_id(kind: str, pk: int, sub: int = 0) -> str:
    return f"{PREFIX}-{KINDS[kind]:04x}-8000-8{sub:03x}-{pk:012x}"


def parse_hsds_id(value: str) -> tuple[str, int, int] | None:
    match = _RE.match((value or "").strip().lower())
    if not match:
        return None
    kind = _BY_CODE.get(int(match.group(1), 16))
    if kind is None:
        return None
    return kind, int(match.group(3), 16), int(match.group(2), 16)
