"""Opening hours in OpenStreetMap ``opening_hours`` syntax, evaluated by the ``opening-hours-py`` parser.

The parser's German holiday calendar only knows nationwide holidays. NRW also keeps Fronleichnam and
Allerheiligen, so rules that use ``PH`` are repeated with the explicit dates of the NRW-only holidays
(taken from the ``holidays`` package) before the expression is handed to the parser. The original text is
what we store and show; only the evaluated expression is augmented.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from opening_hours import (  # type: ignore[attr-defined]  # ParserError exists at run time, missing from the .pyi
    OpeningHours,
    ParserError,
    State,
)

BERLIN = ZoneInfo("Europe/Berlin")
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_PH = re.compile(r"\bPH\b")


class OpeningHoursError(ValueError):
    """The text is not valid ``opening_hours`` syntax."""


@dataclass(frozen=True)
class OpenState:
    is_open: bool
    is_unknown: bool
    next_change: datetime | None
    next_opening: datetime | None


def regional_holidays(years: range, subdiv: str = "NW") -> list[date]:
    """Holidays of the Land that are not nationwide (NRW: Fronleichnam, Allerheiligen)."""
    regional = holidays.country_holidays("DE", subdiv=subdiv, years=list(years))
    national = holidays.country_holidays("DE", years=list(years))
    return sorted(d for d in regional if d not in national)


def _date_selector(days: list[date]) -> str:
    return ",".join(f"{d.year} {MONTHS[d.month - 1]} {d.day:02d}" for d in days)


def _split_rules(expression: str) -> list[str]:
    """Split on ``;`` outside of quoted comments."""
    rules: list[str] = []
    buf: list[str] = []
    quoted = False
    for ch in expression:
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted:
            rules.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    rules.append("".join(buf))
    return [r.strip() for r in rules if r.strip()]


def augment_with_regional_holidays(expression: str, *, years: range, subdiv: str = "NW") -> str:
    """Repeat each rule that selects ``PH`` for the regional-only holiday dates.

    >>> augment_with_regional_holidays("Mo-Fr 09:00-17:00; PH off", years=range(2024, 2025))
    'Mo-Fr 09:00-17:00; PH off; 2024 May 30,2024 Nov 01 off'
    """
    if not _PH.search(expression):
        return expression
    selector = _date_selector(regional_holidays(years, subdiv))
    out = []
    for rule in _split_rules(expression):
        out.append(rule)
        match = re.match(r"^\s*((?:PH|SH|Mo|Tu|We|Th|Fr|Sa|Su)(?:[-,](?:PH|SH|Mo|Tu|We|Th|Fr|Sa|Su))*)\s+(.*)$", rule)
        if match and "PH" in re.split(r"[-,]", match.group(1)):
            out.append(f"{selector} {match.group(2)}")
    return "; ".join(out)


def validate(expression: str) -> str:
    """Return the stripped expression or raise ``OpeningHoursError`` with a German message."""
    text = (expression or "").strip()
    if not text:
        return ""
    try:
        OpeningHours(text)
    except (ParserError, SyntaxError, ValueError) as exc:
        detail = str(exc).splitlines()
        pointer = next((ln.strip() for ln in detail if "expected" in ln), "")
        raise OpeningHoursError(
            _("Die Öffnungszeiten „%(text)s“ sind nicht im OpenStreetMap-Format lesbar%(detail)s. "
              "Beispiel: „Mo-Fr 09:00-17:00; Sa 10:00-14:00; PH off“.")
            % {"text": text, "detail": f" ({pointer})" if pointer else ""}
        ) from exc
    return text


@lru_cache(maxsize=4096)
def _parsed(expression: str, year: int) -> OpeningHours:
    augmented = augment_with_regional_holidays(expression, years=range(year - 1, year + 3))
    return OpeningHours(augmented, timezone=BERLIN, country="DE")


def state_at(expression: str, when: datetime) -> OpenState:
    """Open/closed at ``when`` (aware datetime) and the next change and next opening, in Europe/Berlin.

    The search is bounded (the parser's own ``next_change`` scans for years when a place is always open):
    ``next_change`` looks 30 days ahead, ``next_opening`` one year.
    """
    if when.tzinfo is None:
        raise ValueError("state_at needs an aware datetime")
    local = when.astimezone(BERLIN)
    oh = _parsed(expression, local.year)
    is_open = bool(oh.is_open(local))
    unknown = bool(oh.is_unknown(local))
    nxt: datetime | None = None
    horizon = local + timedelta(days=30)
    for _start, stop, _state, _comment in oh.intervals(local, horizon):
        if stop < horizon:
            nxt = stop.astimezone(BERLIN)
        break
    next_opening: datetime | None = None
    if not is_open:
        end = local + timedelta(days=366)
        for start, _stop, state, _comment in oh.intervals(local, end):
            if state == State.OPEN and start >= local:
                next_opening = start.astimezone(BERLIN)
                break
    return OpenState(is_open=is_open, is_unknown=unknown, next_change=nxt, next_opening=next_opening)


def is_open_at(expression: str, when: datetime) -> bool:
    if not expression:
        return False
    try:
        return state_at(expression, when).is_open
    except (ParserError, SyntaxError, ValueError):
        return False


WEEKDAYS = [_l("Montag"), _l("Dienstag"), _l("Mittwoch"), _l("Donnerstag"), _l("Freitag"), _l("Samstag"), _l("Sonntag")]


@dataclass(frozen=True)
class OpenLabel:
    """What the public pages show: a state key (open/closed/unknown/none) and a German sentence."""

    state: str
    text: str
    next_opening: datetime | None = None


def open_label(expression: str, when: datetime) -> OpenLabel:
    """``jetzt geöffnet`` or ``geschlossen – öffnet wieder Montag, 09:00`` for ``when``.

    Invalid stored expressions (imported data) never raise here; they show as "unknown".
    """
    if not expression:
        return OpenLabel("none", _("keine Öffnungszeiten angegeben"))
    try:
        st = state_at(expression, when)
    except (ParserError, SyntaxError, ValueError):
        return OpenLabel("unknown", _("Öffnungszeiten nicht auswertbar"))
    if st.is_open:
        return OpenLabel("open", _("jetzt geöffnet"))
    if st.is_unknown:
        return OpenLabel("unknown", _("Öffnung unklar (siehe Öffnungszeiten)"))
    if st.next_opening is None:
        return OpenLabel("closed", _("geschlossen"))
    nxt = st.next_opening.astimezone(BERLIN)
    local = when.astimezone(BERLIN)
    if nxt.date() == local.date():
        day = str(_l("heute"))
    elif (nxt.date() - local.date()).days < 7:
        day = str(WEEKDAYS[nxt.weekday()])
    else:
        day = "{weekday}, {date}".format(weekday=WEEKDAYS[nxt.weekday()], date=nxt.strftime("%d.%m.%Y"))
    return OpenLabel(
        "closed",
        _("geschlossen – öffnet wieder %(day)s, %(time)s Uhr") % {"day": day, "time": nxt.strftime("%H:%M")},
        next_opening=nxt,
    )
