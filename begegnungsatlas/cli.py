"""The ``begegnungsatlas`` command.

``begegnungsatlas demo``   create/upgrade the SQLite demo database, load the bundled real data, serve on :8000
``begegnungsatlas serve``  serve the site with waitress (``--host``, ``--port``, ``--threads``)
``begegnungsatlas import`` import places (GeoJSON, CSV/XLSX, OSM) — see ``begegnungsatlas import --help``
``begegnungsatlas backup FILE``   database + private uploads into one archive (docs/operations.md)
``begegnungsatlas restore FILE``  restore such an archive into an empty database
``begegnungsatlas atlas-import values|boundaries FILE`` import indicator values or area boundaries
anything else            Django's management commands (``migrate``, ``createsuperuser``, ``check --deploy`` …)
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "begegnungsatlas.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(__doc__)
        if not args:
            return
    import django
    from django.conf import settings
    from django.core.management import execute_from_command_line

    django.setup()
    # The SQLite file and private uploads live in the data directory; create it on first use.
    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    settings.PRIVATE_MEDIA_ROOT.mkdir(parents=True, exist_ok=True)

    aliases = {"import": "import_places", "atlas-import": "atlas_import", "serve": "serve", "demo": "demo"}
    if args and args[0] in aliases:
        args[0] = aliases[args[0]]
    execute_from_command_line(["begegnungsatlas", *args])


if __name__ == "__main__":
    main()
