"""SQLite runs in WAL mode with a busy timeout: a writer holding a long transaction never blocks readers."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db.backends.sqlite3.base import DatabaseWrapper


def _connection(path: Path, alias: str) -> DatabaseWrapper:
    """A second, independent connection to the file ``path`` with the project's SQLite options."""
    config: dict[str, Any] = {
        "ENGINE": "django.db.backends.sqlite3", "NAME": str(path), "OPTIONS": dict(settings.SQLITE_OPTIONS),
        "ATOMIC_REQUESTS": False, "AUTOCOMMIT": True, "CONN_MAX_AGE": 0, "CONN_HEALTH_CHECKS": False,
        "TIME_ZONE": None, "USER": "", "PASSWORD": "", "HOST": "", "PORT": "", "TEST": {},
    }
    return DatabaseWrapper(config, alias=alias)


@pytest.fixture(autouse=True)
def _own_files(django_db_blocker: Any) -> Any:
    """These tests open their own SQLite files (not the test database), so pytest-django may let them."""
    with django_db_blocker.unblock():
        yield


def test_sqlite_settings_apply_wal_and_timeout() -> None:
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        options = settings.DATABASES["default"]["OPTIONS"]
        assert options["timeout"] >= 5
        assert "journal_mode=WAL" in options["init_command"]


def test_journal_mode_is_wal(tmp_path: Path) -> None:
    conn = _connection(tmp_path / "wal.sqlite3", "walcheck")
    try:
        with conn.cursor() as cur:
            cur.execute("PRAGMA journal_mode")
            assert cur.fetchone()[0] == "wal"
            cur.execute("PRAGMA busy_timeout")
            assert cur.fetchone()[0] >= 5000
    finally:
        conn.close()


def test_reader_is_not_blocked_by_a_long_write(tmp_path: Path) -> None:
    """An import holds an exclusive write transaction; a page view reads meanwhile and gets the committed data."""
    path = tmp_path / "busy.sqlite3"
    setup = _connection(path, "setup")
    with setup.cursor() as cur:
        cur.execute("CREATE TABLE place (id INTEGER PRIMARY KEY, name TEXT)")
        cur.execute("INSERT INTO place (name) VALUES ('vorher')")
    setup.close()

    writing, reader_done = threading.Event(), threading.Event()
    state: dict[str, Any] = {}

    def writer() -> None:
        conn = _connection(path, "writer")
        try:
            with conn.cursor() as cur:
                cur.execute("BEGIN EXCLUSIVE")  # what a big import's spilled cache does to a rollback journal
                cur.execute("INSERT INTO place (name) VALUES ('während des Imports')")
                writing.set()
                state["reader_done_while_writing"] = reader_done.wait(timeout=5)
                cur.execute("COMMIT")
        finally:
            conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    assert writing.wait(timeout=10)
    reader = _connection(path, "reader")
    try:
        with reader.cursor() as cur:
            cur.execute("SELECT name FROM place ORDER BY id")
            state["rows"] = [r[0] for r in cur.fetchall()]
    finally:
        reader_done.set()
        reader.close()
    thread.join(timeout=30)
    assert state["rows"] == ["vorher"]  # the committed state, not the import's half-written rows
    assert state["reader_done_while_writing"], "the reader had to wait for the writer (no WAL?)"


def test_second_writer_waits_instead_of_failing(tmp_path: Path) -> None:
    path = tmp_path / "queue.sqlite3"
    setup = _connection(path, "setup2")
    with setup.cursor() as cur:
        cur.execute("CREATE TABLE t (v INTEGER)")
    setup.close()
    holding = threading.Event()

    def first() -> None:
        conn = _connection(path, "first")
        try:
            with conn.cursor() as cur:
                cur.execute("BEGIN IMMEDIATE")
                cur.execute("INSERT INTO t VALUES (1)")
                holding.set()
                threading.Event().wait(0.8)
                cur.execute("COMMIT")
        finally:
            conn.close()

    thread = threading.Thread(target=first)
    thread.start()
    assert holding.wait(timeout=10)
    second = _connection(path, "second")
    try:
        with second.cursor() as cur:  # would raise "database is locked" without a busy timeout
            cur.execute("INSERT INTO t VALUES (2)")
            cur.execute("SELECT count(*) FROM t")
            assert cur.fetchone()[0] == 2
    finally:
        second.close()
        thread.join(timeout=30)
