"""Restoring unpacks only plain files inside the target folder, also on Python 3.11 releases before 3.11.4 (Debian
bookworm's 3.11.2), which lack tarfile's "data" filter."""

from __future__ import annotations

import contextlib
import io
import tarfile
from pathlib import Path

import pytest

from begegnungsatlas.core.backup import _extract_safely


def _archive(path: Path, members: list[tarfile.TarInfo], data: bytes = b"x") -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for m in members:
            tar.addfile(m, io.BytesIO(data) if m.isfile() else None)
    return path


def _file(name: str) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = 1
    return info


def _link(name: str, target: str) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = tarfile.SYMTYPE
    info.linkname = target
    return info


@pytest.fixture(params=["data filter", "own check"])
def python(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "own check":
        monkeypatch.delattr(tarfile, "data_filter", raising=False)
    return str(request.param)


def test_plain_files_are_unpacked(tmp_path: Path, python: str) -> None:
    src = _archive(tmp_path / "ok.tar.gz", [_file("manifest.json"), _file("media/a.pdf")])
    dest = tmp_path / "out"
    dest.mkdir()
    with tarfile.open(src, "r:gz") as archive:
        _extract_safely(archive, dest)
    assert (dest / "manifest.json").read_bytes() == b"x"
    assert (dest / "media" / "a.pdf").exists()


@pytest.mark.parametrize("member", [_file("../../outside.txt"), _link("media/l", "/etc/passwd")],
                         ids=["parent", "symlink"])
def test_escaping_members_are_refused(tmp_path: Path, python: str, member: tarfile.TarInfo) -> None:
    src = _archive(tmp_path / "evil.tar.gz", [member])
    dest = tmp_path / "deep" / "out"
    dest.mkdir(parents=True)
    with tarfile.open(src, "r:gz") as archive, pytest.raises(tarfile.TarError):
        _extract_safely(archive, dest)
    assert not (tmp_path / "outside.txt").exists()
    assert not (dest / "media" / "l").exists()


def test_absolute_member_never_lands_outside(tmp_path: Path, python: str) -> None:
    outside = tmp_path / "abs-evil"
    src = _archive(tmp_path / "evil.tar.gz", [_file(str(outside))])
    dest = tmp_path / "out"
    dest.mkdir()
    # The data filter strips the leading slash (it lands inside dest); the own check refuses it outright.
    with tarfile.open(src, "r:gz") as archive, contextlib.suppress(tarfile.TarError):
        _extract_safely(archive, dest)
    assert not outside.exists()
