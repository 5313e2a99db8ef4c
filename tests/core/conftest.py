"""Helpers for tests that run the ``begegnungsatlas`` command line in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

SECRET = "production-secret-key-for-tests-only-" + "9f8e7d6c5b4a3210" * 3


def _production_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BEGEGNUNGSATLAS_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    env.update(
        BEGEGNUNGSATLAS_PRODUCTION="1",
        BEGEGNUNGSATLAS_SECRET_KEY=SECRET,
        BEGEGNUNGSATLAS_ALLOWED_HOSTS="127.0.0.1",
        BEGEGNUNGSATLAS_DATA_DIR=str(data_dir),
        BEGEGNUNGSATLAS_TRUSTED_PROXIES="127.0.0.1",
        **extra,
    )
    return env


def _cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "begegnungsatlas.cli", *args], env=env, capture_output=True, text=True,
        timeout=300, check=False,
    )



@pytest.fixture(scope="session")
def production_env() -> Callable[..., dict[str, str]]:
    """``production_env(data_dir, **extra)``: the environment of a production installation in ``data_dir``."""
    return _production_env


@pytest.fixture(scope="session")
def cli() -> Callable[..., subprocess.CompletedProcess[str]]:
    """``cli(args, env)``: run ``begegnungsatlas <args>`` in a subprocess."""
    return _cli
