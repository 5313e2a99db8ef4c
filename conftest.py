"""Root conftest: in CI (BEGEGNUNGSATLAS_NO_SKIP=1) a skipped test fails the run.

A database or browser test that silently skips would hide a broken set-up, so skips are not allowed there.
"""

from __future__ import annotations

import os
from typing import Any

_skipped: list[str] = []


def pytest_runtest_logreport(report: Any) -> None:
    if report.skipped and not hasattr(report, "wasxfail"):
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session: Any, exitstatus: int) -> None:
    if os.environ.get("BEGEGNUNGSATLAS_NO_SKIP") == "1" and _skipped and session.exitstatus == 0:
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: Any) -> None:
    if os.environ.get("BEGEGNUNGSATLAS_NO_SKIP") == "1" and _skipped:
        terminalreporter.write_line(
            f"FAILED: {len(_skipped)} test(s) were skipped; skips are not allowed in CI: " + ", ".join(_skipped[:10]),
            red=True,
        )
