"""The analysis core must stay framework-free: no Django import, ever."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import begegnungsatlas.analysis

PACKAGE_DIR = Path(begegnungsatlas.analysis.__file__).parent
DJANGO_IMPORT = re.compile(r"^\s*(import\s+django\b|from\s+django\b)", re.MULTILINE)


def test_no_module_in_analysis_imports_django() -> None:
    sources = sorted(PACKAGE_DIR.rglob("*.py"))
    assert len(sources) > 5
    offenders = [
        str(p.relative_to(PACKAGE_DIR)) for p in sources if DJANGO_IMPORT.search(p.read_text("utf-8"))
    ]
    assert offenders == []


def test_scanner_would_catch_a_django_import() -> None:
    assert DJANGO_IMPORT.search("import numpy\nfrom django.db import models\n")
    assert DJANGO_IMPORT.search("    import django\n")
    assert not DJANGO_IMPORT.search("# django_like = 1\nimport djangoish\n")


def test_importing_all_analysis_modules_loads_no_django() -> None:
    modules = sorted(
        "begegnungsatlas.analysis." + ".".join(p.relative_to(PACKAGE_DIR).with_suffix("").parts)
        for p in PACKAGE_DIR.rglob("*.py")
        if p.name != "__init__.py"
    )
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))\n"
    )
    root = PACKAGE_DIR.parent.parent
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=True
    )
    assert result.stdout.strip() == "[]"
