"""Small-number suppression of count tables (statistical disclosure control).

A table of counts is published with its row totals, column totals and grand total. A count below the
threshold is not shown (*primary* suppression). Because the margins are shown, hidden cells could be worked out
by subtraction, so the smallest visible entry of a row or column is hidden as well (*secondary* suppression)
wherever

- exactly one entry of it (cells and total) is hidden: that one follows from the others; or
- its total is shown and the hidden cells add up to less than the threshold: together they would be a small
  number (hidden cells that add up to 0 would all be known to be 0),

until no row or column is in either case.

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
            hidden_members = [key for key in group if key in hidden]
            total_shown = group[-1] not in hidden
            if len(hidden_members) == 1 or (
                    hidden_members and total_shown and sum(value[k] for k in hidden_members) < threshold):
                visible = [key for key in group if key not in hidden]
                if not visible:
                    continue
                # hide the smallest visible entry, preferring inner cells over margins (key[0] orders them)
                hidden.add(min(visible, key=lambda k: (value[k], k[0])))
                changed = True
    return Mask(
        cells=[[(0, r, c) in hidden for c in range(width)] for r in range(len(rows))],
        row_totals=[(1, r) in hidden for r in range(len(rows))],
        column_totals=[(2, c) in hidden for c in range(width)],
        total=(3,) in hidden,
    )
