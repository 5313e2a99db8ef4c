"""The newcomer's entry point ``./run``: syntax, the Python 3.11 check, rebuilding a wrong .venv and the database
name of a checkout – each checked on the script's own functions with fake interpreters (nothing is installed)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RUN = ROOT / "run"


def fake_python(directory: Path, name: str, version: tuple[int, int], *, broken: bool = False) -> Path:
    """An executable that answers like ``python -c 'import sys, venv, ensurepip; …'`` for the given version."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    body = "exit 127\n" if broken else (
        'case "$*" in\n'
        f'  *"-m pip --version"*) echo "pip 25.0 (python {version[0]}.{version[1]})";;\n'
        f'  *"--version"*) echo "Python {version[0]}.{version[1]}.9";;\n'
        f'  *"sys.version_info"*) [ "{version[0]}.{version[1]}" = "3.11" ];;\n'
        '  *) exit 0;;\n'
        'esac\n'
    )
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(0o755)
    return path


TOOLS = ("sh", "bash", "sha256sum", "cut", "sort", "grep", "ls", "rm", "mkdir", "cp", "cat", "id", "dirname", "tail",
         "seq", "sleep", "env", "printf", "touch")


def tools(tmp_path: Path) -> str:
    """A PATH with the shell tools the script uses and no Python at all (the machine's own 3.11 must not count)."""
    directory = tmp_path / "tools"
    if not directory.exists():
        directory.mkdir()
        for name in TOOLS:
            for base in ("/usr/bin", "/bin"):
                if os.path.exists(f"{base}/{name}"):
                    (directory / name).symlink_to(f"{base}/{name}")
                    break
    return str(directory)


def bash(script: str, *, cwd: Path, path: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    path = ":".join(tools(cwd) if p == "TOOLS" else p for p in path.split(":"))
    full_env = {"PATH": path, "HOME": str(cwd / "home"), **(env or {})}
    return subprocess.run(  # noqa: S603 - fixed command, test input only
        ["/bin/bash", "-c", f"set -euo pipefail; source {RUN}; {script}"],
        cwd=cwd, env=full_env, capture_output=True, text=True, timeout=60, check=False,
    )


def test_run_script_is_valid_bash_and_keeps_ci_entry_point():
    subprocess.run(["/bin/bash", "-n", str(RUN)], check=True)  # noqa: S603
    assert os.access(RUN, os.X_OK)
    assert "./run test" in (ROOT / ".ci" / "run").read_text()


def test_sourcing_defines_functions_without_running(tmp_path):
    result = bash("type find_python ensure_venv venv_ok ensure_postgres ensure_gettext test_db_name >/dev/null && echo ok",
                  cwd=tmp_path, path="TOOLS")
    assert result.stdout.strip() == "ok", result.stderr


@pytest.fixture
def bin_dir(tmp_path):
    return tmp_path / "bin"


def test_python_from_path_must_be_311(tmp_path, bin_dir):
    fake_python(bin_dir, "python3.11", (3, 11))
    found = bash("find_python", cwd=tmp_path, path=f"{bin_dir}:TOOLS")
    assert found.returncode == 0, found.stderr
    assert found.stdout.strip() == str(bin_dir / "python3.11")


def test_python_env_variable_with_wrong_version_is_refused_clearly(tmp_path, bin_dir):
    old = fake_python(bin_dir, "python3.10", (3, 10))
    result = bash("find_python", cwd=tmp_path, path=f"{bin_dir}:TOOLS", env={"PYTHON": str(old)})
    assert result.returncode != 0
    assert f"PYTHON={old} is not a working Python 3.11" in result.stderr
    assert "Python 3.10.9" in result.stderr


def test_pyenv_version_is_found_when_not_on_path(tmp_path):
    home_python = tmp_path / "home" / ".pyenv" / "versions" / "3.11.7" / "bin"
    fake_python(home_python, "python3.11", (3, 11))
    empty = tmp_path / "empty"
    empty.mkdir()
    # Only a python3 of another version on PATH (no pyenv command): the ~/.pyenv fallback finds 3.11.
    fake_python(empty, "python3", (3, 12))
    result = bash("find_python", cwd=tmp_path, path=f"{empty}:TOOLS")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(home_python / "python3.11")


def test_no_python_311_anywhere_is_reported_as_not_found(tmp_path, bin_dir):
    fake_python(bin_dir, "python3", (3, 12))
    result = bash("find_python || echo none", cwd=tmp_path, path=f"{bin_dir}:TOOLS")
    assert result.stdout.strip() == "none"


@pytest.mark.parametrize(("version", "broken", "ok"), [((3, 11), False, True), ((3, 10), False, False),
                                                       ((3, 11), True, False)])
def test_existing_venv_is_kept_only_when_it_is_a_working_311(tmp_path, version, broken, ok):
    fake_python(tmp_path / ".venv" / "bin", "python", version, broken=broken)
    result = bash("venv_ok && echo keep || echo rebuild", cwd=tmp_path, path="TOOLS")
    assert result.stdout.strip() == ("keep" if ok else "rebuild")


def test_wrong_venv_is_removed_and_rebuilt_with_the_found_python(tmp_path, bin_dir):
    """ensure_venv with a 3.10 .venv: it says why, removes it and creates a new one with the 3.11 it finds."""
    fake_python(tmp_path / ".venv" / "bin", "python", (3, 10))
    (tmp_path / ".venv" / "marker").write_text("old")
    good = fake_python(bin_dir, "python3.11", (3, 11))
    (tmp_path / "pyproject.toml").write_text("[project]\n")
    # The fake 3.11 "creates" the venv by writing a fake 3.11 interpreter; pip calls are no-ops.
    good.write_text(good.read_text().replace(
        "case", 'if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then mkdir -p "$3/bin"; '
        f'cp {good} "$3/bin/python"; exit 0; fi\ncase', 1))
    result = bash("ensure_venv test", cwd=tmp_path, path=f"{bin_dir}:TOOLS")
    assert result.returncode == 0, result.stderr
    assert "Rebuilding .venv: it is broken or not Python 3.11 (Python 3.10.9)" in result.stderr
    assert f"Creating virtual environment with {good}" in result.stderr
    assert not (tmp_path / ".venv" / "marker").exists()
    assert (tmp_path / ".venv" / ".installed-test").exists()


def test_each_checkout_has_its_own_test_database_name(tmp_path):
    result = bash("test_db_name /srv/a/begegnungsatlas; test_db_name /srv/b/begegnungsatlas; test_db_name",
                  cwd=tmp_path, path="TOOLS")
    a, b, here = result.stdout.split()
    assert a != b
    assert here not in (a, b)
    for name in (a, b, here):
        assert name.startswith("begegnungsatlas_")
        assert len("test_" + name) <= 63  # PostgreSQL's identifier limit, with pytest-django's prefix
    again = bash("test_db_name /srv/a/begegnungsatlas", cwd=tmp_path, path="TOOLS")
    assert again.stdout.strip() == a


def fake_tool(directory: Path, name: str, body: str) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text("#!/bin/sh\n" + f'echo "{name} $*" >> "$CALLS"\n' + body)
    path.chmod(0o755)


def test_missing_postgresql_is_installed_and_started(tmp_path, bin_dir):
    """No cluster and nothing listening: apt-get installs postgresql, pg_ctlcluster starts it, then it answers."""
    etc, started = tmp_path / "etc-postgresql", tmp_path / "started"
    fake_tool(bin_dir, "pg_isready", f'[ -e "{started}" ]\n')
    fake_tool(bin_dir, "apt-get", f'case "$*" in *install*postgresql*) mkdir -p "{etc}/16/main";; esac\n')
    fake_tool(bin_dir, "pg_ctlcluster", f'touch "{started}"\n')
    fake_tool(bin_dir, "psql", "exit 0\n")
    fake_tool(bin_dir, "sudo", '"$@"\n')
    calls = tmp_path / "calls.log"
    result = bash("ensure_postgres && echo up", cwd=tmp_path, path=f"{bin_dir}:TOOLS",
                  env={"PG_ETC": str(etc), "CALLS": str(calls)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "up"
    log = calls.read_text()
    assert "apt-get install -y -qq postgresql" in log
    assert "pg_ctlcluster --skip-systemctl-redirect 16 main start" in log
    assert "PostgreSQL is not installed: installing Debian's postgresql" in result.stderr
    assert "Starting PostgreSQL 16" in result.stderr


def test_running_postgresql_is_left_alone(tmp_path, bin_dir):
    fake_tool(bin_dir, "pg_isready", "exit 0\n")
    fake_tool(bin_dir, "apt-get", "exit 1\n")
    calls = tmp_path / "calls.log"
    result = bash("ensure_postgres && echo up", cwd=tmp_path, path=f"{bin_dir}:TOOLS", env={"CALLS": str(calls)})
    assert result.stdout.strip() == "up"
    assert "apt-get" not in calls.read_text()


def test_missing_gettext_is_installed(tmp_path, bin_dir):
    """The catalogue test needs xgettext: a machine without it gets Debian's gettext, like chromium."""
    fake_tool(bin_dir, "apt-get", "exit 0\n")
    fake_tool(bin_dir, "sudo", '"$@"\n')
    calls = tmp_path / "calls.log"
    result = bash("ensure_gettext && echo ok", cwd=tmp_path, path=f"{bin_dir}:TOOLS", env={"CALLS": str(calls)})
    assert result.returncode == 0, result.stderr
    assert "apt-get install -y -qq gettext" in calls.read_text()


def test_installed_gettext_is_left_alone(tmp_path, bin_dir):
    fake_tool(bin_dir, "xgettext", "exit 0\n")
    fake_tool(bin_dir, "msgmerge", "exit 0\n")
    fake_tool(bin_dir, "apt-get", "exit 1\n")
    calls = tmp_path / "calls.log"
    result = bash("ensure_gettext && echo ok", cwd=tmp_path, path=f"{bin_dir}:TOOLS", env={"CALLS": str(calls)})
    assert result.stdout.strip() == "ok", result.stderr
    assert not calls.exists() or "apt-get" not in calls.read_text()
