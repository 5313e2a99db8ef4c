"""``begegnungsatlas import FILE``: import places (or a context layer) from GeoJSON, CSV/XLSX or OSM."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from begegnungsatlas.places.services.imports import (
    ImportAborted,
    ImportFileError,
    ImportResult,
    context_features_import,
    default_mapping,
    parse_mapping_args,
    places_import,
    read_source,
)


class Command(BaseCommand):
    help = (
        "Orte der Begegnung (oder eine Kontextebene mit --layer) aus GeoJSON, CSV/XLSX oder OpenStreetMap "
        "(.osm, .osm.pbf, .osm.gz) importieren. Ohne --dry-run wird alles oder nichts gespeichert."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="Datei (GeoJSON, CSV, XLSX, OSM)")
        parser.add_argument("--format", choices=["geojson", "csv", "xlsx", "osm"], help="Format erzwingen")
        parser.add_argument("--map", action="append", default=[], metavar="FELD=SPALTE",
                            help="Spaltenzuordnung, mehrfach möglich (z. B. --map name=Bezeichnung)")
        parser.add_argument("--dry-run", action="store_true", help="nur prüfen und Vorschau zeigen")
        parser.add_argument("--strict", action="store_true", help="bei einer fehlerhaften Zeile nichts importieren")
        parser.add_argument("--layer", help="als Kontextebene mit diesem Kürzel importieren")
        parser.add_argument("--layer-name", default="", help="Anzeigename der Kontextebene")
        parser.add_argument("--replace", action="store_true", help="Kontextebene vorher leeren")
        parser.add_argument("--source", default="", help="Quelle (z. B. „Open Data Dortmund“)")
        parser.add_argument("--delimiter", help="CSV-Trennzeichen (sonst erkannt)")
        parser.add_argument("--encoding", help="CSV-Zeichenkodierung (sonst erkannt: UTF-8, sonst Windows-1252)")
        parser.add_argument("--sheet", help="XLSX-Tabellenblatt (sonst das erste)")
        parser.add_argument("--update", action="store_true", help="Dubletten aktualisieren statt überspringen")
        parser.add_argument("--distance", type=float, default=50.0, help="Dubletten-Abstand in Metern (50)")
        parser.add_argument("--where", action="append", default=[], metavar="SPALTE=WERT",
                            help="nur Zeilen mit diesem Wert importieren")

    def handle(self, *args: Any, **opts: Any) -> None:
        out = self.stdout.write
        try:
            table = read_source(opts["file"], format=opts["format"], delimiter=opts["delimiter"],
                                encoding=opts["encoding"], sheet=opts["sheet"])
            target = "context" if opts["layer"] else "places"
            mapping: dict[str, Any] = default_mapping(table, target=target)
            mapping.update(parse_mapping_args(opts["map"]))
            where = parse_mapping_args(opts["where"])
            out(f"Datei: {opts['file']} ({table.format}, {len(table.rows)} Einträge)")
            for note in table.notes:
                out(f"  {note}")
            out("Zuordnung: " + ", ".join(f"{k}={v}" for k, v in mapping.items() if v))
            progress = self._progress if len(table.rows) > 2000 else None
            common = {"actor": None, "table": table, "mapping": mapping, "source": opts["source"],
                      "dry_run": opts["dry_run"], "strict": opts["strict"], "where": where, "progress": progress}
            if opts["layer"]:
                result = context_features_import(layer=opts["layer"], layer_name=opts["layer_name"],
                                                 replace=opts["replace"], **common)
            else:
                result = places_import(duplicate_action="update" if opts["update"] else "skip",
                                       duplicate_distance_m=opts["distance"], **common)
        except ImportAborted as exc:
            self._report(exc.result)
            raise CommandError(str(exc)) from exc
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        self._report(result)

    def _progress(self, stage: str, done: int, total: int) -> None:
        sys.stderr.write(f"\r  {stage}: {done}/{total}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    def _report(self, result: ImportResult) -> None:
        out = self.stdout.write
        if result.dry_run and len(result.rows) <= 200:
            for row in result.rows:
                if row.action in {"create", "update"}:
                    where = ", ".join(x for x in (row.kommune, row.area) if x)
                    out(f"  {result.row_label} {row.row}: {row.action_label:<14} {row.name} ({where})")
        for line in result.issue_lines():
            out(f"  {line}")
        for number, warning in result.warnings:
            out(f"  {result.row_label} {number}: Hinweis: {warning}")
        if result.would_abort:
            out(self.style.ERROR(f"{len(result.errors)} fehlerhafte Einträge – mit --strict würde nichts importiert."))
        out(self.style.SUCCESS(result.summary()))
