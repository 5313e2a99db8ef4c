"""Small-number suppression of count tables (statistical disclosure control).

A table of counts is published with its row totals, column totals and grand total. A count below the
threshold is not shown (*primary* suppression). Because the margins are shown, a single hidden cell in a row
or column could be worked out by subtraction; so wherever a row or column (including its total) has exactly
one hidden entry, the smallest visible entry of it is hidden as well (*secondary* suppression), until no row or
column has exactly one hidden entry.

>>> m = suppress([[10, 3, 12], [7, 8, 20]])
>>> m.cells
[[True, True, False], [True, True, False]]
>>> m.row_totals, m.column_totals, m.total
([False, False], [False, False, False], False)
>>> suppress([[2, 9]]).cells  # the second cell follows from the total
[[True, True]]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Mask", "suppress"]


@dataclass
class Mask:
    """``True`` = hidden; ``cells[r][c]`` and the margins of the table."""

    cells: list[list[bool]]
    row_totals: list[bool]
    column_totals: list[bool]
    total: bool


def suppress(table: Sequence[Sequence[int]], threshold: int = 5) -> Mask:
    """Return which cells and margins of ``table`` (rows of equal length) must be hidden.

    Every entry (cell or margin) below ``threshold`` is hidden; then secondary suppression as described in
    the module docstring. Zero counts are hidden too: "no cell under the threshold is shown".

    >>> suppress([[5, 5], [6, 7]]).cells
    [[False, False], [False, False]]
    >>> suppress([[1, 1]], threshold=5).total
    True
    """
    rows = [list(r) for r in table]
    width = len(rows[0]) if rows else 0
    if any(len(r) != width for r in rows):
        raise ValueError("all rows must have the same length")
    # Entries: ("c", r, c), ("r", r), ("k", c), ("t",)
    value: dict[tuple[int, ...], int] = {}
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            value[(0, r, c)] = v
        value[(1, r)] = sum(row)
    for c in range(width):
        value[(2, c)] = sum(row[c] for row in rows)
    value[(3,)] = sum(value[(1, r)] for r in range(len(rows)))
    hidden = {key for key, v in value.items() if v < threshold}
    groups: list[list[tuple[int, ...]]] = []
    for r in range(len(rows)):
        groups.append([(0, r, c) for c in range(width)] + [(1, r)])
    for c in range(width):
        groups.append([(0, r, c) for r in range(len(rows))] + [(2, c)])
    groups.append([(1, r) for r in range(len(rows))] + [(3,)])
    groups.append([(2, c) for c in range(width)] + [(3,)])
    changed = True
    while changed:
        changed = False
        for group in groups:
            if len(group) < 2:
                continue
            if sum(1 for key in group if key in hidden) == 1:
                visible = [key for key in group if key not in hidden]
                # hide the smallest visible entry, preferring inner cells over margins (key[0] orders them)
                hidden.add(min(visible, key=lambda k: (value[k], k[0])))
                changed = True
    return Mask(
        cells=[[(0, r, c) in hidden for c in range(width)] for r in range(len(rows))],
        row_totals=[(1, r) in hidden for r in range(len(rows))],
        column_totals=[(2, c) in hidden for c in range(width)],
        total=(3,) in hidden,
    )
