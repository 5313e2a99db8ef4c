from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the site with the waitress WSGI server (static files through WhiteNoise)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args: Any, **opts: Any) -> None:
        from waitress import serve

        call_command("collectstatic", interactive=False, verbosity=0)
        # Import the WSGI app only after collectstatic so WhiteNoise finds STATIC_ROOT.
        from begegnungsatlas.wsgi import application
        self.stdout.write(f"Begegnungsatlas läuft auf http://{opts['host']}:{opts['port']}/  (Strg+C beendet)")
        serve(application, host=opts["host"], port=opts["port"], threads=opts["threads"], ident="begegnungsatlas")
