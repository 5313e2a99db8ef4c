"""Write a benchmark's section into ``docs/PERFORMANCE.md`` (replacing the previous one of the same heading)."""

from __future__ import annotations

from pathlib import Path

PERFORMANCE = Path(__file__).resolve().parents[1] / "docs/PERFORMANCE.md"


def replace_section(section: str, body: str, path: Path = PERFORMANCE) -> None:
    """``body`` starts with the ``section`` heading; the old section runs up to the next ``## `` heading."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
    if section in text:
        start = text.index(section)
        nxt = text.find("\n## ", start + len(section))
        text = text[:start] + body + ("\n" + text[nxt + 1:] if nxt != -1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + body
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}")
