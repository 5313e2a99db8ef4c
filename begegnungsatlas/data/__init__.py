"""Bundled real data for the demo and the tests (see docs/DATA.md for sources and licences)."""

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent
