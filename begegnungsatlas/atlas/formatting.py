"""The one way the atlas writes a number: rounded half up (never truncated) to the indicator's decimals, with the
language's separators (German: ``1.234,5``).

Legend, table, hover labels (the values payload carries the formatted text), area profiles, comparisons, charts
and the CSV/XLSX/GeoJSON exports all go through :func:`round_value` and :func:`format_number`, so a value reads the
same wherever it appears.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format


def round_value(value: float | Decimal, decimals: int) -> Decimal:
    """``value`` rounded half up to ``decimals`` places, from its shortest decimal representation.

    ``repr`` gives the shortest string that reads back as the same float, so 2.95 rounds to 3.0 (not to 2.9
    as its binary value 2.9499999… would) and 0.15 to 0.2.
    """
    exact = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    return exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def round_float(value: float | None, decimals: int) -> float | None:
    """:func:`round_value` as a float (for numeric spreadsheet cells); ``None`` and non-finite values stay ``None``."""
    if value is None or not math.isfinite(value):
        return None
    return float(round_value(value, decimals))


def format_number(value: float | Decimal | None, decimals: int = 1, *, grouping: bool = True) -> str:
    """The value as text in the active language: rounded half up, thousands separators unless ``grouping=False``.

    Machine-read files (CSV) use ``grouping=False`` so that spreadsheets parse the number.
    """
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    rounded = round_value(value, decimals)
    if rounded == 0:
        rounded = abs(rounded)  # never "-0,0"
    return number_format(rounded, decimal_pos=decimals, use_l10n=True, force_grouping=grouping)
