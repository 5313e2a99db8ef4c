"""CSV import with German conventions: `;`, decimal comma, UTF-8 with/without BOM, Windows-1252."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from begegnungsatlas.core.models import AuditEvent
from begegnungsatlas.places.models import Organisation, Place, PlaceActor
from begegnungsatlas.places.services.imports import (
    ImportAborted,
    ImportFileError,
    import_file,
    read_source,
)
from begegnungsatlas.places.services.imports.mapping import parse_number

DATA = Path(__file__).parent / "data"
CSV = DATA / "orte_semikolon.csv"
pytestmark = pytest.mark.django_db


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_semicolon_and_decimal_comma_are_recognised() -> None:
    table = read_source(CSV)
    assert table.format == "csv"
    assert table.delimiter == ";"
    assert table.encoding == "UTF-8"
    assert table.columns[0] == "Bezeichnung"
    assert [r.number for r in table.rows] == [2, 3, 4, 5, 6, 7, 8]


def test_dry_run_reports_every_bad_row_with_row_and_column() -> None:
    before = Place.objects.count()
    result = import_file(CSV, actor=None, dry_run=True)
    assert Place.objects.count() == before
    assert (result.created, result.skipped) == (2, 5)
    issues = {r.row: r for r in result.skipped_rows}
    assert issues[4].column == "Bezeichnung"
    assert "Name fehlt" in issues[4].reason
    assert issues[5].column == "Öffnungszeiten"
    assert "OpenStreetMap-Format" in issues[5].reason
    assert "außerhalb der Gebiete" in issues[6].reason
    assert "vertauscht" in issues[7].reason
    assert issues[8].column == "Zielgruppen"
    assert "Astronauten" in issues[8].reason
    lines = result.issue_lines()
    assert lines[0].startswith("Zeile 4, Spalte „Bezeichnung“:")
    created = [r for r in result.rows if r.action == "create"]
    assert created[0].kommune == "Düren, Stadt"
    assert created[1].kommune == "Dortmund"
    assert created[1].area


def test_non_strict_import_writes_the_good_rows_with_relations_and_audit(planner) -> None:
    before = Place.objects.count()
    result = import_file(CSV, actor=planner, source="Testliste")
    assert result.written
    assert result.created == 2
    assert Place.objects.count() == before + 2
    place = Place.objects.get(name="Treffpunkt Marktplatz")
    assert place.street == "Markt 1"
    assert place.postcode == "52349"
    assert place.lat == pytest.approx(50.804)
    assert place.lon == pytest.approx(6.482)
    assert place.opening_hours == "Mo-Fr 10:00-16:00"
    assert place.website == "https://www.example.org"
    assert place.kommune.code == "053580008008"
    assert place.source == "Testliste"
    assert sorted(place.target_groups.values_list("slug", flat=True)) == ["familien", "senioren"]
    actor = PlaceActor.objects.get(place=place)
    assert actor.organisation.name == "Stadt Düren (Test)"
    assert actor.organisation.kind == "kommune"
    assert actor.role == "runs"
    assert Organisation.objects.get(name="AWO Test e.V.").kind == "wohlfahrtsverband"
    events = AuditEvent.objects.filter(action="place.import", object_id=str(place.pk))
    assert events.count() == 1
    assert events.get().actor == planner
    assert events.get().changes["new"]["name"] == "Treffpunkt Marktplatz"


def test_strict_import_writes_nothing_when_one_row_is_bad() -> None:
    before = (Place.objects.count(), Organisation.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ImportAborted, match="Import abgebrochen: 5 fehlerhafte Zeilen") as info:
        import_file(CSV, actor=None, strict=True)
    assert len(info.value.result.errors) == 5
    assert (Place.objects.count(), Organisation.objects.count(), AuditEvent.objects.count()) == before


def test_crash_while_writing_rolls_everything_back(monkeypatch: pytest.MonkeyPatch) -> None:
    before = (Place.objects.count(), Organisation.objects.count())

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(PlaceActor.objects, "bulk_create", boom)
    with pytest.raises(RuntimeError):
        import_file(CSV, actor=None)
    assert (Place.objects.count(), Organisation.objects.count()) == before


def test_utf8_with_bom_and_comma_delimiter(tmp_path: Path) -> None:
    text = "Name,Lat,Lon,Zielgruppen\nBegegnungsstätte Süd,50.8040,6.4820,\"senioren, alle\"\n"
    path = _write(tmp_path, "bom.csv", b"\xef\xbb\xbf" + text.encode("utf-8"))
    result = import_file(path, actor=None)
    assert result.encoding == "UTF-8 (mit BOM)"
    assert result.delimiter == ","
    place = Place.objects.get(name="Begegnungsstätte Süd")
    assert sorted(place.target_groups.values_list("slug", flat=True)) == ["alle", "senioren"]


def test_windows_1252_umlauts_are_read(tmp_path: Path) -> None:
    text = "Name;Straße;Breite;Länge\nBegegnungsstätte Grüne Aue;Große Straße 5;50,8040;6,4820\n"
    path = _write(tmp_path, "ansi.csv", text.encode("cp1252"))
    result = import_file(path, actor=None)
    assert result.encoding == "Windows-1252"
    place = Place.objects.get(name="Begegnungsstätte Grüne Aue")
    assert place.street == "Große Straße 5"


def test_wrong_encoding_given_explicitly_is_a_german_message(tmp_path: Path) -> None:
    path = _write(tmp_path, "ansi.csv", "Name;Breite;Länge\nTreff Köln;50,8;6,48\n".encode("cp1252"))
    before = Place.objects.count()
    with pytest.raises(ImportFileError, match=r"nicht in utf-8 kodiert \(Zeile 1\)"):
        import_file(path, actor=None, encoding="utf-8")
    assert Place.objects.count() == before


def test_explicit_mapping_with_metric_coordinates(tmp_path: Path) -> None:
    text = "Titel der Einrichtung;RW;HW;Wer\nTreff am Dorney;387006,31;5705229,00;Kinder und Jugendliche\n"
    path = _write(tmp_path, "utm.csv", text.encode("utf-8"))
    result = import_file(path, actor=None,
                         mapping={"name": "Titel der Einrichtung", "x": "RW", "y": "HW", "target_groups": "Wer"})
    assert result.created == 1
    place = Place.objects.get(name="Treff am Dorney")
    assert place.area.code == "720"
    assert place.kommune.code == "059130000000"
    assert sorted(place.target_groups.values_list("slug", flat=True)) == ["jugendliche", "kinder"]


def test_unknown_mapping_column_is_a_german_message() -> None:
    with pytest.raises(ImportFileError, match="Die Spalte „Titel“ .* gibt es in der Datei nicht"):
        import_file(CSV, actor=None, mapping={"name": "Titel", "lat": "Breite", "lon": "Länge"})


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x00\x01\x02\x03binary\x00", "Dateiformat wurde nicht erkannt"),
        (b"Name\nNur eine Spalte\n", "nur eine Spalte"),
        (b"", "Die Datei ist leer"),
        (b"Name;Breite;L\xe4nge\n\"kaputt;50,8;6,4\n", r"beschädigt \(Zeile 2\): ein Anführungszeichen"),
        (b"%PDF-1.4 ...", "PDF-Dateien"),
    ],
)
def test_malformed_files_give_german_messages(tmp_path: Path, data: bytes, message: str) -> None:
    path = _write(tmp_path, "x.csv", data)
    before = Place.objects.count()
    with pytest.raises(ImportFileError, match=message):
        import_file(path, actor=None)
    assert Place.objects.count() == before


def test_too_big_file_is_refused(tmp_path: Path, settings) -> None:
    settings.BEGEGNUNGSATLAS_MAX_IMPORT_BYTES = 100
    before = Place.objects.count()
    with pytest.raises(ImportFileError, match=r"zu groß .* höchstens 0,0 MB"):
        import_file(CSV, actor=None)
    assert Place.objects.count() == before


def test_parse_number_german_and_english() -> None:
    assert parse_number("51,4869") == pytest.approx(51.4869)
    assert parse_number("1.234,5") == pytest.approx(1234.5)
    assert parse_number("7.3725") == pytest.approx(7.3725)
    assert parse_number(7) == 7.0
    assert parse_number("") is None


def test_command_line_dry_run_prints_german_report(capsys: pytest.CaptureFixture[str]) -> None:
    before = Place.objects.count()
    call_command("import_places", str(CSV), "--dry-run")
    out = capsys.readouterr().out
    assert "Zeichenkodierung: UTF-8" in out
    assert "Zeile 4, Spalte „Bezeichnung“: Der Name fehlt." in out
    assert "Vorschau: 7 Zeilen gelesen – 2 neu" in out
    assert Place.objects.count() == before


def test_command_line_strict_aborts_with_german_error() -> None:
    before = Place.objects.count()
    with pytest.raises(CommandError, match="Es wurde nichts gespeichert"):
        call_command("import_places", str(CSV), "--strict")
    assert Place.objects.count() == before


def test_command_line_mapping_and_malformed_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, "m.csv", "Einrichtung;Y;X\nTreff Jülich;50,9222;6,3597\n".encode())
    call_command("import_places", str(path), "--map", "name=Einrichtung", "--source", "CLI-Test")
    assert Place.objects.get(name="Treff Jülich").source == "CLI-Test"
    assert "1 neu angelegt" in capsys.readouterr().out
    bad = _write(tmp_path, "bad.csv", b"\x00\x00\x00")
    with pytest.raises(CommandError, match="Dateiformat wurde nicht erkannt"):
        call_command("import_places", str(bad))


def test_many_rows_are_written_in_bulk(tmp_path: Path, django_assert_max_num_queries) -> None:
    lines = ["Name;Breite;Länge;Öffnungszeiten;Zielgruppen;Träger"]
    for i in range(2000):
        lat, lon = 51.48 + (i % 50) * 0.001, 7.40 + (i // 50) * 0.002
        lines.append(f"Treffpunkt {i};{lat:.6f};{lon:.6f};Mo-Fr 10:00-16:00;senioren, alle;Träger {i % 10}")
    path = tmp_path / "viele.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    before = Place.objects.count()
    # row by row would be > 8000 queries; SQLite splits bulk inserts into batches of ~999 variables
    with django_assert_max_num_queries(200):
        result = import_file(path, actor=None)
    assert result.created == 2000
    assert Place.objects.count() == before + 2000
    assert AuditEvent.objects.filter(action="place.import").count() >= 2000
    assert Place.target_groups.through.objects.filter(place__name__startswith="Treffpunkt ").count() == 4000
