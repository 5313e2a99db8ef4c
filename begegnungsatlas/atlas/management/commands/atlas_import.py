"""``begegnungsatlas atlas-import values|boundaries FILE``: the atlas import without the browser.

The file kind is recognised from its content (:mod:`begegnungsatlas.core.filetypes`), like in the web dialog; the
same services do the work, all or nothing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from begegnungsatlas.atlas.errors import AtlasError, ImportRejected
from begegnungsatlas.atlas.models import AreaLevel, Indicator
from begegnungsatlas.atlas.selectors.payload import invalidate
from begegnungsatlas.atlas.services.boundaries import boundaries_import, read_boundaries
from begegnungsatlas.atlas.services.tables import read_table
from begegnungsatlas.atlas.services.values_copy import values_import_csv
from begegnungsatlas.atlas.services.values_history import ReplaceNotConfirmed
from begegnungsatlas.atlas.services.values_import import Mapping, genesis_mapping


def _level(spec: str) -> AreaLevel:
    region, _sep, slug = spec.partition("/")
    try:
        return AreaLevel.objects.select_related("region").get(region__slug=region, slug=slug)
    except AreaLevel.DoesNotExist as exc:
        raise CommandError(f"Gebietsebene „{spec}“ unbekannt (Form: region/ebene, z. B. kreis-dueren/kommune).") from exc


def _indicator(slug: str) -> Indicator:
    try:
        return Indicator.objects.get(slug=slug)
    except Indicator.DoesNotExist as exc:
        raise CommandError(f"Indikator „{slug}“ unbekannt.") from exc


class Command(BaseCommand):
    help = "Indikatorwerte (CSV, XLSX, GENESIS) oder Gebietsgrenzen (GeoJSON, GeoPackage, Shapefile-ZIP) importieren."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("kind", choices=["values", "boundaries"])
        parser.add_argument("file")
        parser.add_argument("--level", required=True, help="Gebietsebene als region/ebene, z. B. kreis-dueren/kommune")
        # values
        parser.add_argument("--area-column", default="", help="Spalte mit Gebietsschlüssel oder -name")
        parser.add_argument("--match-by", choices=["code", "name"], default="code")
        parser.add_argument("--decimal", choices=["de", "en"], default="de")
        parser.add_argument("--encoding", default="auto")
        parser.add_argument("--genesis", action="store_true", help="GENESIS-Flatfile")
        parser.add_argument("--value-column", default="")
        parser.add_argument("--indicator-column", default="")
        parser.add_argument("--indicator", default="", help="fester Indikator (Kürzel)")
        parser.add_argument("--column", action="append", default=[], metavar="SPALTE=INDIKATOR",
                            help="breites Format: Spalte → Indikator, mehrfach möglich")
        parser.add_argument("--period-column", default="")
        parser.add_argument("--period", default="")
        parser.add_argument("--skip-unmatched", action="store_true")
        parser.add_argument("--replace-all", action="store_true",
                            help="auch Werte derselben Indikatoren/Zeitpunkte löschen, die nicht in der Datei stehen "
                                 "(zeigt erst die Liste und ein Bestätigungskürzel für --confirm)")
        parser.add_argument("--confirm", default="", help="Bestätigungskürzel aus dem Lauf mit --replace-all")
        # boundaries
        parser.add_argument("--code-field", default="")
        parser.add_argument("--name-field", default="")
        parser.add_argument("--parent-field", default="")
        parser.add_argument("--valid-from", default="")
        parser.add_argument("--source", default="")

    def handle(self, *args: Any, **opts: Any) -> None:
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"Die Datei „{path}“ wurde nicht gefunden.")
        level = _level(opts["level"])
        data = path.read_bytes()
        try:
            if opts["kind"] == "boundaries":
                self._boundaries(data, level, opts)
            else:
                self._values(data, level, opts)
        except ReplaceNotConfirmed as exc:
            for d in exc.plan.to_delete[:200]:
                self.stderr.write(f"  löschen: {d['indicator']} {d['period']} {d['code']} {d['area']}: {d['value']}")
            raise CommandError(f"{exc} Zum Ausführen: --replace-all --confirm {exc.plan.token}") from exc
        except ImportRejected as exc:
            for p in exc.problems[:50]:
                self.stderr.write(f"  Zeile {p['line']}, {p['column']}: {p['value']} – {p['reason']}")
            raise CommandError(str(exc)) from exc
        except AtlasError as exc:
            raise CommandError(str(exc)) from exc

    def _values(self, data: bytes, level: AreaLevel, opts: dict[str, Any]) -> None:
        """Values: only matched values are replaced; ``--replace-all`` needs the token of the listed deletions."""
        table = read_table(data, encoding=opts["encoding"])
        fixed = _indicator(opts["indicator"]) if opts["indicator"] else None
        if opts["genesis"] or table.layout == "genesis" and not opts["area_column"]:
            mapping = genesis_mapping(table, level=level, indicator=fixed, skip_unmatched=opts["skip_unmatched"])
        else:
            columns = {}
            for spec in opts["column"]:
                col, _sep, slug = spec.partition("=")
                columns[col.strip()] = _indicator(slug.strip())
            mapping = Mapping(
                level=level, area_column=opts["area_column"], layout="wide" if columns else "long",
                match_by=opts["match_by"], decimal=opts["decimal"], value_column=opts["value_column"],
                indicator_column=opts["indicator_column"], indicator=fixed, value_columns=columns,
                period_column=opts["period_column"], period=opts["period"], skip_unmatched=opts["skip_unmatched"],
            )
        result = values_import_csv(data=data, mapping=mapping, encoding=opts["encoding"],
                                   replace_all=opts["replace_all"], confirm=opts["confirm"], file_name=Path(opts["file"]).name)
        self.stdout.write(f"{result.written} Werte gespeichert ({table.kind}); Indikatoren: "
                          f"{', '.join(result.indicators)}; Zeitpunkte: {', '.join(result.periods)}; "
                          f"{result.created} neu, {result.updated} überschrieben, {result.deleted} gelöscht, "
                          f"{result.kept} behalten (Import Nr. {result.history_id})")
        if result.unmatched:
            self.stdout.write(f"Nicht zugeordnet: {', '.join(result.unmatched[:30])}")

    def _boundaries(self, data: bytes, level: AreaLevel, opts: dict[str, Any]) -> None:
        bf = read_boundaries(data, encoding=opts["encoding"])
        try:
            valid_from = dt.date.fromisoformat(opts["valid_from"]) if opts["valid_from"] else None
        except ValueError as exc:
            raise CommandError("--valid-from braucht ein Datum wie 2024-01-01.") from exc
        report = boundaries_import(
            level=level, boundary_file=bf, code_field=opts["code_field"], name_field=opts["name_field"],
            parent_field=opts["parent_field"], valid_from=valid_from, source=opts["source"],
        )
        invalidate(level.id)
        self.stdout.write(f"{bf.format}: {len(bf.features)} Gebiete gelesen; {report.created} neu, "
                          f"{report.updated} aktualisiert, {len(report.repaired)} Geometrien repariert")
