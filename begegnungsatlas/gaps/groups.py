"""Target groups of the gap analysis and how they map to grid counts and to the places' target groups.

Each group names the population columns whose sum is its need per cell, and the place target groups
(``places.TargetGroup`` slugs) that serve it. The Zensus 2011 age classes only separate "under 18", so
"children and young people" means persons under 18; "born abroad" sums the EU-27, other-Europe and
rest-of-world birth-country groups (the group "sonstige", other/unknown, is left out).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Group:
    key: str
    label: object
    columns: tuple[str, ...]
    place_groups: tuple[str, ...]


GROUPS: dict[str, Group] = {
    g.key: g
    for g in (
        Group("ab65", _("Menschen ab 65 Jahren"), ("ab65",), ("senioren", "alle")),
        Group("unter18", _("Kinder und Jugendliche (unter 18)"), ("unter18",),
              ("kinder", "jugendliche", "familien", "alle")),
        Group("im_ausland_geboren", _("im Ausland geboren"),
              ("eu27_land", "sonstiges_europa", "sonstige_welt"), ("neuzugewanderte", "alle")),
        Group("insgesamt", _("alle Einwohnerinnen und Einwohner"), ("insgesamt",), ("alle",)),
    )
}


def group_choices() -> list[tuple[str, object]]:
    return [(g.key, g.label) for g in GROUPS.values()]
