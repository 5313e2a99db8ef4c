"""Server-rendered SVG charts (readable without JavaScript; each has a text alternative)."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .selectors.choropleth import fmt


def line_chart_svg(series: list[tuple[str, float | None]], *, title: str, unit: str = "", decimals: int = 1,
                   width: int = 320, height: int = 150) -> SafeString:
    """A small line/point chart of one time series; missing points are left out and said in the text."""
    pts = [(label, v) for label, v in series if v is not None]
    desc = "; ".join(f"{label}: {fmt(v, decimals) if v is not None else 'fehlt'}" for label, v in series)
    aria = escape(f"{title} ({unit}) – {desc}")
    if not pts:
        return mark_safe(f'<p class="atlas-nochart">{aria}</p>')  # noqa: S308 - escaped above
    left, right, top, bottom = 48, 12, 12, 28
    vals = [v for _l, v in pts]
    lo, hi = min(0.0, min(vals)), max(vals)
    if hi == lo:
        hi = lo + 1
    n = len(series)

    def x(i: int) -> float:
        return left + (width - left - right) * (i / (n - 1) if n > 1 else 0.5)

    def y(v: float) -> float:
        return top + (height - top - bottom) * (1 - (v - lo) / (hi - lo))

    parts = [
        f'<svg class="atlas-chart" role="img" aria-label="{aria}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg"><title>{aria}</title>',
        f'<line x1="{left}" y1="{y(lo):.1f}" x2="{width - right}" y2="{y(lo):.1f}" stroke="#767676"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" stroke="#767676"/>',
        f'<text x="{left - 4}" y="{y(hi) + 4:.1f}" text-anchor="end" font-size="10">{escape(fmt(hi, decimals))}</text>',
        f'<text x="{left - 4}" y="{y(lo) + 4:.1f}" text-anchor="end" font-size="10">{escape(fmt(lo, decimals))}</text>',
    ]
    coords = [(x(i), y(v)) for i, (_l, v) in enumerate(series) if v is not None]
    if len(coords) > 1:
        path = " ".join(f"{cx:.1f},{cy:.1f}" for cx, cy in coords)
        parts.append(f'<polyline points="{path}" fill="none" stroke="#00539f" stroke-width="2"/>')
    for i, (label, v) in enumerate(series):
        parts.append(f'<text x="{x(i):.1f}" y="{height - 8}" text-anchor="middle" font-size="10">{escape(label)}</text>')
        if v is not None:
            parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3.5" fill="#00539f"/>')
            parts.append(f'<text x="{x(i):.1f}" y="{y(v) - 7:.1f}" text-anchor="middle" font-size="10">'
                         f'{escape(fmt(v, decimals))}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped
