"""docs/workflows.md shows the transition table of the code; this test keeps them in step."""

from __future__ import annotations

import re
from pathlib import Path

from begegnungsatlas.funding.workflow import TRANSITIONS, State

DOC = Path(__file__).resolve().parents[2] / "docs" / "workflows.md"


def test_doc_diagram_and_table_match_the_code():
    text = DOC.read_text(encoding="utf-8")
    diagram = set(re.findall(r"^\s+(\w+) --> (\w+)", text, flags=re.M))
    table = {(m[0], m[1], m[2].strip()) for m in re.findall(r"^\| `(\w+)` \| `(\w+)` \| ([^|]+) \|", text, flags=re.M)}
    code = {(str(f), str(t)) for f, t in TRANSITIONS}
    assert diagram == code
    assert {(f, t) for f, t, _r in table} == code
    for f, t, roles in table:
        assert roles == ", ".join(str(r) for r in TRANSITIONS[(f, t)].roles)
    for state in State.values:
        assert f"`{state}`" in text
