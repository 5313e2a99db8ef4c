"""Turn one raw row into clean place data, or raise ``RowError`` naming the column and the reason (German)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db.models import Field
from django.utils.translation import gettext as _

from ... import opening_hours
from ...models import Place, Quality, TargetGroup
from .mapping import (
    ORG_KIND_WORDS,
    PLACE_FIELDS,
    SHARED_BUILDING_WORDS,
    STATUS_WORDS,
    WHEELCHAIR_WORDS,
    ColumnRef,
    ValueProblem,
    choice,
    fold,
    guess_org_kind,
    parse_bool,
    parse_number,
    split_actors,
    split_list,
    text_of,
    value_of,
)
from .spatial import metric_to_lonlat
from .table import RawRow


class RowError(ValueError):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


@dataclass
class CleanRow:
    raw: RawRow
    data: dict[str, Any]
    lon: float
    lat: float
    target_groups: list[int] = field(default_factory=list)
    qualities: list[int] = field(default_factory=list)
    actors: list[tuple[str, str | None]] = field(default_factory=list)  # (name, kind or None = guess)
    offers: list[tuple[str, str]] = field(default_factory=list)  # (title, schedule)
    warnings: list[str] = field(default_factory=list)
    mapped: set[str] = field(default_factory=set)  # fields the file provides (for updates)


TG_SYNONYMS = {
    "senioren": "senioren", "seniorinnen": "senioren", "senior innen": "senioren", "seniorinnen und senioren": "senioren",
    "altere": "senioren", "aeltere": "senioren", "altere menschen": "senioren", "jugend": "jugendliche",
    "junge menschen": "jugendliche", "kind": "kinder", "familie": "familien", "alle": "alle", "alle generationen": "alle",
    "generationen": "alle", "jedermann": "alle", "gefluchtete": "neuzugewanderte", "migranten": "neuzugewanderte",
    "menschen mit behinderungen": "menschen-mit-behinderung", "behinderte": "menschen-mit-behinderung",
    "inklusion": "menschen-mit-behinderung",
}


class Vocabulary:
    """Target groups and qualities, matched by slug, German or English name (case- and accent-insensitive)."""

    def __init__(self) -> None:
        self.tg: dict[str, int] = {}
        self.tg_slugs: dict[int, str] = {}
        self.q: dict[str, int] = {}
        self.q_slugs: dict[int, str] = {}
        for obj in TargetGroup.objects.all():
            self.tg_slugs[obj.pk] = obj.slug
            for key in (obj.slug, obj.name_de, obj.name_en):
                self.tg[self._key(key)] = obj.pk
        for key, slug in TG_SYNONYMS.items():
            pk = self.tg.get(self._key(slug))
            if pk is not None:
                self.tg.setdefault(self._key(key), pk)
        for quality in Quality.objects.all():
            self.q_slugs[quality.pk] = quality.slug
            for key in (quality.slug, quality.name_de, quality.name_en):
                self.q[self._key(key)] = quality.pk

    @staticmethod
    def _key(text: str) -> str:
        return " ".join(re.findall(r"[a-z0-9]+", fold(text.replace(":", ""))))

    def _lookup(self, table: dict[str, int], item: str) -> list[int] | None:
        key = self._key(item)
        if key in table:
            return [table[key]]
        parts = [p for p in re.split(r"\s+(?:und|&|/)\s+|/", item) if p.strip()]
        if len(parts) > 1:
            found = [table.get(self._key(p)) for p in parts]
            if all(f is not None for f in found):
                return [f for f in found if f is not None]
        return None

    def target_groups(self, items: list[str], column: str) -> list[int]:
        out: list[int] = []
        for item in items:
            found = self._lookup(self.tg, item)
            if found is None:
                raise RowError(column, _("Unbekannte Zielgruppe „%(v)s“. Bekannt sind: %(known)s.")
                               % {"v": item, "known": ", ".join(sorted(self.tg_slugs.values()))})
            out.extend(pk for pk in found if pk not in out)
        return out

    def qualities(self, items: list[str], column: str) -> list[int]:
        out: list[int] = []
        for item in items:
            found = self._lookup(self.q, item)
            if found is None:
                raise RowError(column, _("Unbekannte Qualität „%(v)s“. Bekannt sind: %(known)s.")
                               % {"v": item, "known": ", ".join(sorted(self.q_slugs.values()))})
            out.extend(pk for pk in found if pk not in out)
        return out


def column_label(ref: ColumnRef | None, target: str) -> str:
    if isinstance(ref, str) and ref:
        return ref
    return str(PLACE_FIELDS.get(target, target))


_MAXLEN = {f.name: f.max_length for f in Place._meta.get_fields() if isinstance(f, Field) and f.max_length}
_OFFER = re.compile(r"^(?P<title>[^\[]+?)\s*(?:\[(?P<schedule>[^\]]*)\])?$")
_url = URLValidator(schemes=["http", "https"])
_email = EmailValidator()


def clean_place_row(
    raw: RawRow,
    *,
    mapping: dict[str, ColumnRef],
    defaults: dict[str, Any],
    vocab: Vocabulary,
    drop_invalid_opening_hours: bool,
) -> CleanRow:
    def get(target: str) -> Any:
        value = value_of(raw.values, mapping.get(target))
        if (value is None or value == "") and target in defaults:
            return defaults[target]
        return value

    def col(target: str) -> str:
        return column_label(mapping.get(target), target)

    if raw.values.get("__geometry_error__"):
        raise RowError(_("Geometrie"), raw.values["__geometry_error__"])
    if raw.values.get("__extra_cells__"):
        raise RowError("", _("Die Zeile hat mehr Zellen als die Kopfzeile Spalten (%(n)s zu viel) – "
                             "vermutlich ein Trennzeichen im Text ohne Anführungszeichen.")
                       % {"n": raw.values["__extra_cells__"]})

    data: dict[str, Any] = {}
    mapped = {t for t in mapping if mapping.get(t)} | set(defaults)
    warnings: list[str] = []

    name = text_of(get("name"))
    if not name:
        raise RowError(col("name"), _("Der Name fehlt."))
    data["name"] = name
    for target in ("description", "postcode", "city", "contact_name", "contact_phone", "source_id"):
        data[target] = text_of(get(target))
    street = text_of(get("street"))
    number = text_of(get("housenumber"))
    if number and not street.endswith(number):
        street = f"{street} {number}".strip()
    data["street"] = street
    if "housenumber" in mapping:
        mapped.add("street")
    try:
        data["status"] = choice(get("status"), STATUS_WORDS, label=_("den Status"))
    except ValueProblem as exc:
        raise RowError(col("status"), str(exc)) from exc
    try:
        data["wheelchair"] = choice(get("wheelchair"), WHEELCHAIR_WORDS, label=_("Rollstuhl"))
    except ValueProblem as exc:
        raise RowError(col("wheelchair"), str(exc)) from exc
    try:
        data["shared_building"] = choice(get("shared_building"), SHARED_BUILDING_WORDS, label=_("das Gebäude"))
    except ValueProblem as exc:
        raise RowError(col("shared_building"), str(exc)) from exc
    for target in ("open_for_groups", "is_example"):
        try:
            data[target] = parse_bool(get(target))
        except ValueProblem as exc:
            raise RowError(col(target), str(exc)) from exc
    try:
        cap = parse_number(get("capacity"))
    except ValueProblem as exc:
        raise RowError(col("capacity"), str(exc)) from exc
    if cap is not None and (cap < 0 or not float(cap).is_integer()):
        raise RowError(col("capacity"), _("Die Kapazität muss eine ganze Zahl ab 0 sein."))
    data["capacity"] = int(cap) if cap is not None else None

    hours = text_of(get("opening_hours"))
    try:
        data["opening_hours"] = opening_hours.validate(hours)
    except opening_hours.OpeningHoursError as exc:
        if not drop_invalid_opening_hours:
            raise RowError(col("opening_hours"), str(exc)) from exc
        data["opening_hours"] = ""
        warnings.append(_("Öffnungszeiten nicht übernommen: %(msg)s") % {"msg": str(exc)})

    website = text_of(get("website"))
    if website and not re.match(r"^https?://", website, re.I) and re.match(r"^[\w.-]+\.[a-z]{2,}(/.*)?$", website, re.I):
        website = "https://" + website
    if website:
        try:
            _url(website)
        except ValidationError:
            warnings.append(_("Website „%(v)s“ ist keine gültige Adresse und wurde nicht übernommen.") % {"v": website})
            website = ""
    data["website"] = website
    email = text_of(get("contact_email"))
    if email:
        try:
            _email(email)
        except ValidationError:
            warnings.append(_("E-Mail „%(v)s“ ist ungültig und wurde nicht übernommen.") % {"v": email})
            email = ""
    data["contact_email"] = email

    for key, value in data.items():
        limit = _MAXLEN.get(key)
        if limit and isinstance(value, str) and len(value) > limit:
            raise RowError(col(key), _("Der Text ist zu lang (%(n)s Zeichen, höchstens %(max)s).")
                           % {"n": len(value), "max": limit})

    lon, lat = _coordinates(raw, get, col)

    tgs = vocab.target_groups(split_list(get("target_groups")), col("target_groups"))
    quals = vocab.qualities(split_list(get("qualities")), col("qualities"))

    kind_value = get("actor_kind")
    actor_kind: str | None = None
    if text_of(kind_value):
        try:
            actor_kind = choice(kind_value, ORG_KIND_WORDS, label=_("die Art des Trägers"))
        except ValueProblem as exc:
            raise RowError(col("actor_kind"), str(exc)) from exc
    actors: list[tuple[str, str | None]] = []
    for actor_name in split_actors(get("actors")):
        if len(actor_name) > 300:
            raise RowError(col("actors"), _("Der Name des Trägers ist zu lang."))
        actors.append((actor_name, actor_kind or guess_org_kind(actor_name)))

    offers: list[tuple[str, str]] = []
    for item in split_actors(get("offers")):
        match = _OFFER.match(item)
        if not match:
            raise RowError(col("offers"), _("Angebot „%(v)s“ ist nicht lesbar. Form: Titel [Mo 10:00-12:00]") % {"v": item})
        schedule = (match.group("schedule") or "").strip()
        try:
            schedule = opening_hours.validate(schedule)
        except opening_hours.OpeningHoursError as exc:
            raise RowError(col("offers"), str(exc)) from exc
        offers.append((match.group("title").strip()[:200], schedule))

    return CleanRow(raw=raw, data=data, lon=lon, lat=lat, target_groups=tgs, qualities=quals, actors=actors,
                    offers=offers, warnings=warnings, mapped=mapped)


def _coordinates(raw: RawRow, get: Any, col: Any) -> tuple[float, float]:
    lon: float | None
    lat: float | None
    if raw.lon is not None and raw.lat is not None:
        lon, lat = raw.lon, raw.lat
    else:
        lon = lat = None
        for lat_key, lon_key in (("lat", "lon"), ("y", "x")):
            try:
                la, lo = parse_number(get(lat_key)), parse_number(get(lon_key))
            except ValueProblem as exc:
                bad = lat_key if _bad(get(lat_key)) else lon_key
                raise RowError(col(bad), _("Koordinate nicht lesbar: %(msg)s") % {"msg": str(exc)}) from exc
            if la is None and lo is None:
                continue
            if la is None or lo is None:
                missing = lat_key if la is None else lon_key
                raise RowError(col(missing), _("Die zweite Koordinate fehlt."))
            if abs(la) > 180 or abs(lo) > 180:
                # Metric coordinates (Rechtswert/Hochwert) in ETRS89 / UTM 32N, the NRW standard.
                if not (200_000 <= lo <= 900_000 and 5_000_000 <= la <= 6_500_000):
                    raise RowError(col(lon_key), _("Rechtswert/Hochwert %(x)s/%(y)s liegen nicht in EPSG:25832 "
                                                   "(UTM Zone 32).") % {"x": lo, "y": la})
                lon, lat = metric_to_lonlat(lo, la)
            else:
                lon, lat = lo, la
            break
    if lon is None or lat is None:
        raise RowError(_("Koordinaten"), _("Keine Koordinaten angegeben (Breiten-/Längengrad oder Rechts-/Hochwert)."))
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise RowError(_("Koordinaten"), _("Die Koordinaten %(lat)s, %(lon)s liegen außerhalb des gültigen Bereichs.")
                       % {"lat": lat, "lon": lon})
    return float(lon), float(lat)


def _bad(value: Any) -> bool:
    try:
        parse_number(value)
    except ValueProblem:
        return True
    return False
