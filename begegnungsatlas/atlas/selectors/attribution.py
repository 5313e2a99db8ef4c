"""Who to credit on a map or in an export: the boundaries of the level and the indicator's data.

Boundary credits come from the areas' stored ``source``, printed with the registered attribution and licence
(``web.sources``) where the registry knows the data set; data credits come from the indicator's metadata
(source and licence), which the planner maintains with the indicator.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from begegnungsatlas.web.sources import sources_named_in

from ..models import AreaLevel, Indicator
from .values import current_areas


@dataclass(frozen=True)
class Attribution:
    boundaries: list[str]
    data: list[str]

    def lines(self) -> list[str]:
        out = []
        if self.boundaries:
            out.append(_("Gebietsgrenzen: %(s)s") % {"s": "; ".join(self.boundaries)})
        if self.data:
            out.append(_("Daten: %(s)s") % {"s": "; ".join(self.data)})
        return out

    def text(self) -> str:
        return " · ".join(self.lines())


def _credit(text: str) -> list[str]:
    registered = sources_named_in(text)
    if registered:
        return [f"{s['attribution']} ({s['licence']})" for s in registered]
    return [text] if text else []


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


def attribution_for(*, level: AreaLevel, indicators: list[Indicator]) -> Attribution:
    sources = current_areas(level).exclude(source="").order_by().values_list("source", flat=True).distinct()
    boundaries = _unique([c for text in sources for c in _credit(text)])
    data = _unique([
        (f"{ind.source} ({ind.licence})" if ind.licence else ind.source) for ind in indicators if ind.source
    ])
    if not data:
        data = [_("keine Quelle angegeben")]
    return Attribution(boundaries, data)
