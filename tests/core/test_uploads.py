"""The one upload store: signed per purpose and person, removed after use and when stale."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings

from begegnungsatlas.core.uploads import UploadError, upload_delete, upload_open, upload_store, upload_update


@pytest.fixture
def private(tmp_path: Path) -> Any:
    with override_settings(PRIVATE_MEDIA_ROOT=tmp_path):
        yield tmp_path


def test_token_is_bound_to_purpose_and_person(private: Path) -> None:
    token = upload_store(purpose="places-import", chunks=[b"a;b\n", b"1;2\n"], user_id=7, meta={"name": "x.csv"})
    path, meta = upload_open(token, purpose="places-import", user_id=7)
    assert path.read_bytes() == b"a;b\n1;2\n"
    assert meta["name"] == "x.csv"
    with pytest.raises(UploadError, match="anderen Konto"):
        upload_open(token, purpose="places-import", user_id=8)
    with pytest.raises(UploadError, match="unbekannt"):
        upload_open(token, purpose="atlas-import", user_id=7)  # a token of one flow does not open another's file
    with pytest.raises(UploadError, match="unbekannt"):
        upload_open(token[:-2] + "xx", purpose="places-import", user_id=7)
    upload_update(token, purpose="places-import", user_id=7, mapping={"name": "a"})
    assert upload_open(token, purpose="places-import", user_id=7)[1]["mapping"] == {"name": "a"}
    upload_delete(token, purpose="places-import", user_id=8)  # another person cannot delete it
    assert path.exists()
    upload_delete(token, purpose="places-import", user_id=7)
    assert not path.parent.exists()
    with pytest.raises(UploadError, match="nicht mehr vorhanden"):
        upload_open(token, purpose="places-import", user_id=7)


def test_expired_token_is_refused(private: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    token = upload_store(purpose="atlas-import", chunks=[b"x"], user_id=1, meta={})
    monkeypatch.setattr("begegnungsatlas.core.uploads.MAX_AGE_S", -1)
    with pytest.raises(UploadError, match="abgelaufen"):
        upload_open(token, purpose="atlas-import", user_id=1)


def test_cleanup_command_removes_stale_uploads_of_every_purpose(private: Path, capsys: Any) -> None:
    old = [upload_store(purpose=p, chunks=[b"x"], user_id=1, meta={}) for p in ("places-import", "atlas-import")]
    fresh = upload_store(purpose="atlas-import", chunks=[b"y"], user_id=1, meta={})
    for token, purpose in zip(old, ("places-import", "atlas-import"), strict=True):
        folder = upload_open(token, purpose=purpose, user_id=1)[0].parent
        past = time.time() - 2 * 24 * 3600
        os.utime(folder, (past, past))
    call_command("cleanup_uploads")
    assert "2 zwischengespeicherte Uploads entfernt" in capsys.readouterr().out
    assert upload_open(fresh, purpose="atlas-import", user_id=1)[0].read_bytes() == b"y"
    with pytest.raises(UploadError):
        upload_open(old[0], purpose="places-import", user_id=1)
