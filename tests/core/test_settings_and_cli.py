"""Skeleton behaviour: settings from the environment, the deploy check, the CLI, audit immutability."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from begegnungsatlas.core.models import AuditEvent
from begegnungsatlas.core.services import audit_record


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("BEGEGNUNGSATLAS_")}
    full_env.update(env)
    full_env.pop("DATABASE_URL", None)
    full_env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "-m", "begegnungsatlas.cli", *args], env=full_env, capture_output=True, text=True,
        timeout=120, check=False,
    )


def test_check_deploy_is_clean_in_production_settings(tmp_path):
    result = _run(
        ["check", "--deploy", "--fail-level", "WARNING"],
        {
            "BEGEGNUNGSATLAS_PRODUCTION": "1",
            "BEGEGNUNGSATLAS_SECRET_KEY": "x" * 20 + "production-secret-key-for-the-check-only-9f8e7d6c5b4a",
            "BEGEGNUNGSATLAS_ALLOWED_HOSTS": "atlas.example.org",
            "BEGEGNUNGSATLAS_DATA_DIR": str(tmp_path),
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key(tmp_path):
    result = _run(["check"], {"BEGEGNUNGSATLAS_PRODUCTION": "1", "BEGEGNUNGSATLAS_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "BEGEGNUNGSATLAS_SECRET_KEY must be set in production" in result.stderr


def test_cli_help_lists_the_commands():
    result = _run(["--help"], {})
    assert result.returncode == 0
    for word in ("demo", "serve", "import"):
        assert word in result.stdout


def test_german_is_the_default_language(client, db):
    response = client.get("/daten/")
    assert response.status_code == 200
    assert '<html lang="de">' in response.content.decode()
    assert "Datenquellen und Lizenzen" in response.content.decode()


def test_english_is_available(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/daten/"})
    assert response.status_code == 302
    page = client.get("/daten/").content.decode()
    assert '<html lang="en">' in page


def test_unknown_page_is_a_friendly_404_not_a_trace(client, db):
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Seite nicht gefunden" in body
    assert "Traceback" not in body


@pytest.mark.django_db
def test_audit_events_are_append_only(planner):
    event = audit_record(actor=planner, action="test.action", object_type="x", object_id=1)
    event.note = "changed"
    with pytest.raises(PermissionError, match="append-only"):
        event.save()
    with pytest.raises(PermissionError, match="append-only"):
        event.delete()
    with pytest.raises(PermissionError, match="append-only"):
        AuditEvent.objects.filter(pk=event.pk).update(note="x")
    with pytest.raises(PermissionError, match="append-only"):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).actor_label == "planner"


def test_german_even_when_the_browser_prefers_english(client, db):
    page = client.get("/daten/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="de">' in page
    assert "Datenquellen und Lizenzen" in page


def test_an_oversized_upload_is_refused_before_it_is_read(client, db, settings):
    settings.BEGEGNUNGSATLAS_MAX_REQUEST_BYTES = 1000
    response = client.post("/orte/vorschlagen/", data=b"x" * 5000, content_type="application/octet-stream")
    assert response.status_code == 413
    assert "Datei zu groß" in response.content.decode()
    assert "Es wurde nichts gespeichert" in response.content.decode()
