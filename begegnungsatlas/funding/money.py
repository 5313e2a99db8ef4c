"""Money as integer cents: strict parsing of German amounts and German formatting.

Floats never touch money. ``parse_eur`` accepts the forms people really type in Germany
("1.500,00", "1500,50", "1500", "1.500 €") and refuses anything ambiguous ("1,500.00", "1500.50")
with a German message naming the field.

>>> parse_eur("1.500,00")
150000
>>> parse_eur("1500,5")
150050
>>> format_eur(350000)
'3.500,00 €'
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from .errors import FundingError

_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+(,\d{1,2})?$")
_PLAIN = re.compile(r"^\d+(,\d{1,2})?$")


def parse_eur(text: str | int | None, *, field: str | None = None, allow_zero: bool = False) -> int:
    """Parse a German euro amount into integer cents; raise ``FundingError`` with a German message."""
    label = field or _("Betrag")
    if isinstance(text, bool):
        raise FundingError(_("%(field)s: bitte einen Betrag angeben.") % {"field": label})
    if isinstance(text, int):
        cents = text
    else:
        raw = (text or "").strip().replace("\u00a0", " ")
        raw = re.sub(r"\s*(€|EUR|Euro)$", "", raw, flags=re.IGNORECASE).strip()
        if not raw:
            raise FundingError(_("%(field)s: bitte einen Betrag angeben.") % {"field": label})
        if raw.startswith("-") or raw.startswith("−"):
            raise FundingError(_("%(field)s: der Betrag darf nicht negativ sein.") % {"field": label})
        raw = raw.replace(" ", "") if re.fullmatch(r"\d{1,3}( \d{3})+(,\d{1,2})?", raw) else raw
        if _GROUPED.match(raw):
            raw = raw.replace(".", "")
        elif not _PLAIN.match(raw):
            if re.fullmatch(r"[\d.,]+", raw) and "." in raw:
                raise FundingError(
                    _("%(field)s: „%(value)s“ ist mehrdeutig. Bitte im deutschen Format schreiben, "
                      "mit Komma vor den Cent, z. B. 1.500,00 oder 1500,50.") % {"field": label, "value": text}
                )
            raise FundingError(
                _("%(field)s: „%(value)s“ ist kein gültiger Betrag. Beispiel: 1.500,00") % {"field": label, "value": text}
            )
        euros, _sep, cents_part = raw.partition(",")
        cents = int(euros) * 100 + int((cents_part + "00")[:2])
    if cents < 0:
        raise FundingError(_("%(field)s: der Betrag darf nicht negativ sein.") % {"field": label})
    if cents == 0 and not allow_zero:
        raise FundingError(_("%(field)s: der Betrag muss größer als 0 sein.") % {"field": label})
    return cents


def format_eur(cents: int | None) -> str:
    """``150000`` → ``"1.500,00 €"``."""
    if cents is None:
        return ""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(int(cents)), 100)
    return f"{sign}{euros:,}".replace(",", ".") + f",{rest:02d} €"


def cents_input(cents: int | None) -> str:
    """Cents as the text a German form field shows: ``150050`` → ``"1500,50"``."""
    if cents is None:
        return ""
    euros, rest = divmod(int(cents), 100)
    return f"{euros},{rest:02d}"
