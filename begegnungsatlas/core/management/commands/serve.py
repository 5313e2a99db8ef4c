from __future__ import annotations

import signal
from types import FrameType
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


def _stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    # waitress ends its main loop on SystemExit: it stops accepting, lets running requests finish
    # (up to 5 seconds) and closes the sockets; then the command returns normally (exit code 0).
    raise SystemExit(0)


class Command(BaseCommand):
    help = "Serve the site with the waitress WSGI server (static files through WhiteNoise)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args: Any, **opts: Any) -> None:
        from waitress import create_server

        call_command("collectstatic", interactive=False, verbosity=0)
        # Import the WSGI app only after collectstatic so WhiteNoise finds STATIC_ROOT.
        from begegnungsatlas.wsgi import application

        # Forwarding headers are judged by core.middleware.TrustedProxyMiddleware (BEGEGNUNGSATLAS_TRUSTED_PROXIES),
        # the same way under any WSGI server, so waitress passes them through instead of dropping them.
        server = create_server(application, host=opts["host"], port=opts["port"], threads=opts["threads"],
                               ident="begegnungsatlas", clear_untrusted_proxy_headers=False)
        signal.signal(signal.SIGTERM, _stop_on_sigterm)
        self.stdout.write(f"Begegnungsatlas läuft auf http://{opts['host']}:{opts['port']}/  (Strg+C beendet)",
                          ending="\n")
        self.stdout.flush()
        server.run()
        self.stdout.write("Begegnungsatlas beendet.")
