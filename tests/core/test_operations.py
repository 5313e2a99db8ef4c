"""Operations: health check, JSON errors for API clients, access log, backup and restore."""

from __future__ import annotations

import json
import re
import tarfile

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client

pytestmark = pytest.mark.django_db


# --- Health --------------------------------------------------------------------------------------------------

def test_health_check_reports_database_and_migrations(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "migrations": "applied"}
    assert response["Cache-Control"] == "no-store"


def test_health_check_says_503_when_a_migration_is_missing(client):
    from django.db.migrations.recorder import MigrationRecorder

    MigrationRecorder(connection).migration_qs.filter(app="core", name="0002_initial").delete()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["migrations"] == "pending"
    assert "core.0002_initial" in response.json()["pending"]


# --- JSON errors under /api/ ---------------------------------------------------------------------------------

def test_an_unknown_api_route_is_json_not_html(client):
    response = client.get("/api/gibt-es-nicht")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not Found"}
    # People still get the friendly page.
    assert "Seite nicht gefunden" in client.get("/gibt-es-nicht/").content.decode()


def test_api_errors_403_and_500_are_json(monkeypatch):
    from begegnungsatlas.api import selectors

    client = Client(raise_request_exception=False)

    def refuse(place_id):
        raise PermissionDenied("Nicht für Sie.")

    monkeypatch.setattr(selectors, "place_row", refuse)
    response = client.get("/api/places/1")
    assert response.status_code == 403
    assert response.json() == {"detail": "Nicht für Sie."}

    def crash(place_id):
        raise RuntimeError("kaputt")

    monkeypatch.setattr(selectors, "place_row", crash)
    response = client.get("/api/places/1")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Internal Server Error"}
    assert "kaputt" not in response.content.decode()


# --- Access log ----------------------------------------------------------------------------------------------

def test_every_request_is_in_the_access_log_with_the_real_client(client, settings, caplog):
    settings.BEGEGNUNGSATLAS_TRUSTED_PROXIES = ["10.0.0.0/8"]
    with caplog.at_level("INFO", logger="begegnungsatlas.access"):
        client.get("/daten/?q=geheim", REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="203.0.113.5")
    lines = [r.getMessage() for r in caplog.records if r.name == "begegnungsatlas.access"]
    assert len(lines) == 1
    assert re.fullmatch(r'203\.0\.113\.5 "GET /daten/" 200 \d+ [\d.]+ms', lines[0]), lines
    assert "geheim" not in lines[0]


# --- Backup and restore (round trip on SQLite, as the command line runs them) ---------------------------------

CREATE = """
from pathlib import Path
from django.conf import settings
from begegnungsatlas.core.models import User
from begegnungsatlas.core.services import audit_record
from begegnungsatlas.places.services.places import place_create
admin = User.objects.create_superuser("admin", "admin@example.org", "pw-Test-12345")
place = place_create(actor=admin, data={"name": "Treff Ümlaut", "lon": 6.48, "lat": 50.80},
                     require_inside=False, check_permission=False)
audit_record(actor=admin, action="test.backup", obj=place, changes={"a": [1, 2]})
folder = Path(settings.PRIVATE_MEDIA_ROOT) / "funding" / "2026"
folder.mkdir(parents=True, exist_ok=True)
(folder / "angebot.pdf").write_bytes(b"%PDF-1.4 Kostenvoranschlag")
"""

REPORT = """
import json
from begegnungsatlas.core.models import AuditEvent, User
from begegnungsatlas.places.models import Place, TargetGroup
admin = User.objects.get(username="admin")
print(json.dumps({"admin": admin.check_password("pw-Test-12345"), "places": list(Place.objects.values_list("name", flat=True)),
                  "events": sorted(AuditEvent.objects.values_list("action", flat=True)),
                  "target_groups": TargetGroup.objects.count()}))
"""


def test_backup_and_restore_round_trip(tmp_path, production_env, cli):
    source, target = tmp_path / "alt", tmp_path / "neu"
    env_source, env_target = production_env(source), production_env(target)
    for env in (env_source, env_target):
        env.pop("BEGEGNUNGSATLAS_PRODUCTION")
    assert cli(["migrate", "--noinput"], env_source).returncode == 0
    created = cli(["shell", "--no-imports", "-c", CREATE], env_source)
    assert created.returncode == 0, created.stderr
    before = cli(["shell", "--no-imports", "-c", REPORT], env_source)
    archive = tmp_path / "sicherung.tar.gz"
    written = cli(["backup", str(archive)], env_source)
    assert written.returncode == 0, written.stderr
    assert "Sicherung geschrieben" in written.stdout
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
    assert {"manifest.json", "database.json", "private/funding/2026/angebot.pdf"} <= set(names)
    assert manifest["private_files"] == 1
    assert "core.0001_initial" in manifest["migrations"]

    restored = cli(["restore", str(archive)], env_target)
    assert restored.returncode == 0, restored.stderr
    after = cli(["shell", "--no-imports", "-c", REPORT], env_target)
    assert json.loads(after.stdout) == json.loads(before.stdout), (before.stdout, after.stdout, restored.stdout)
    assert json.loads(after.stdout)["places"] == ["Treff Ümlaut"]
    assert (target / "private" / "funding" / "2026" / "angebot.pdf").read_bytes() == b"%PDF-1.4 Kostenvoranschlag"

    # Restoring again into the now filled database is refused and changes nothing.
    again = cli(["restore", str(archive)], env_target)
    assert again.returncode != 0
    assert "nur in eine leere Datenbank" in again.stderr
    assert json.loads(cli(["shell", "--no-imports", "-c", REPORT], env_target).stdout) == json.loads(before.stdout)
    # An existing archive is never overwritten.
    assert "gibt es schon" in cli(["backup", str(archive)], env_source).stderr


def test_restore_refuses_a_file_that_is_no_backup(tmp_path, production_env, cli):
    bogus = tmp_path / "x.tar.gz"
    bogus.write_bytes(b"not a tar file")
    env = production_env(tmp_path / "leer")
    env.pop("BEGEGNUNGSATLAS_PRODUCTION")
    result = cli(["restore", str(bogus)], env)
    assert result.returncode != 0
    assert "keine lesbare Sicherung" in result.stderr
    assert "Traceback" not in result.stderr


def test_backup_archive_paths_cannot_escape_on_restore(tmp_path, production_env, cli):
    evil = tmp_path / "evil.tar.gz"
    payload = tmp_path / "payload"
    payload.write_text("x")
    with tarfile.open(evil, "w:gz") as tar:
        tar.add(payload, arcname="../../outside.txt")
    env = production_env(tmp_path / "leer")
    env.pop("BEGEGNUNGSATLAS_PRODUCTION")
    result = cli(["restore", str(evil)], env)
    assert result.returncode != 0
    assert "keine lesbare Sicherung" in result.stderr
    assert not (tmp_path.parent / "outside.txt").exists()
