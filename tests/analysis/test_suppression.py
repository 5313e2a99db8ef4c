"""Small-number suppression: nothing under the threshold shown, nothing derivable from the margins."""

from __future__ import annotations

import random

import pytest

from begegnungsatlas.analysis.suppression import suppress


def _groups(rows: int, cols: int) -> list[list[tuple]]:
    groups = [[("c", r, c) for c in range(cols)] + [("r", r)] for r in range(rows)]
    groups += [[("c", r, c) for r in range(rows)] + [("k", c)] for c in range(cols)]
    groups.append([("r", r) for r in range(rows)] + [("t",)])
    groups.append([("k", c) for c in range(cols)] + [("t",)])
    return groups


@pytest.mark.parametrize("seed", range(40))
def test_random_tables_are_safe(seed):
    rng = random.Random(seed)
    rows, cols = rng.randint(1, 6), rng.randint(1, 5)
    table = [[rng.choice([0, 1, 2, 3, 4, 5, 6, 8, 12, 30]) for _c in range(cols)] for _r in range(rows)]
    mask = suppress(table)
    hidden = {("c", r, c) for r in range(rows) for c in range(cols) if mask.cells[r][c]}
    hidden |= {("r", r) for r in range(rows) if mask.row_totals[r]}
    hidden |= {("k", c) for c in range(cols) if mask.column_totals[c]}
    hidden |= {("t",)} if mask.total else set()
    for r in range(rows):
        for c in range(cols):
            if table[r][c] < 5:
                assert ("c", r, c) in hidden
        if sum(table[r]) < 5:
            assert ("r", r) in hidden
    value = {("c", r, c): table[r][c] for r in range(rows) for c in range(cols)}
    for group in _groups(rows, cols):
        if len(group) > 1:
            members = [key for key in group if key in hidden]
            assert len(members) != 1, (table, group)
            if members and group[-1] not in hidden and all(k[0] == "c" for k in members):
                # the hidden cells of a row/column with a shown total never add up to a small number
                assert sum(value[k] for k in members) >= 5, (table, group)


def test_hidden_zeros_are_not_revealed_by_the_total():
    mask = suppress([[12, 0, 0]])
    assert mask.cells == [[True, True, True]]  # 12 hidden too, else the two hidden cells would be known as 0
    assert not mask.total


def test_nothing_hidden_when_all_counts_are_large():
    mask = suppress([[5, 9], [12, 7]])
    assert not any(any(row) for row in mask.cells)
    assert not any(mask.row_totals)
    assert not any(mask.column_totals)
    assert not mask.total


def test_ragged_tables_are_refused():
    with pytest.raises(ValueError, match="same length"):
        suppress([[1, 2], [3]])
