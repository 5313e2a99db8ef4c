from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from begegnungsatlas.core.demo import demo_load, demo_loaded


class Command(BaseCommand):
    help = "Create the demo database with the bundled real data and demo users, then serve the site."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-serve", action="store_true", help="only create the database")
        parser.add_argument("--reset", action="store_true", help="load the demo data again even if present")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, **opts: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        if opts["reset"] or not demo_loaded():
            demo_load(out=self.stdout.write)
        else:
            self.stdout.write("Demo-Daten sind bereits geladen (--reset lädt sie neu).")
        from begegnungsatlas.core.demo import print_credentials

        print_credentials(out=self.stdout.write)
        if not opts["no_serve"]:
            from begegnungsatlas.core.jobs import start_worker_process

            worker = start_worker_process()  # background jobs (e.g. saving a Versorgung scenario)
            try:
                call_command("serve", host=opts["host"], port=opts["port"])
            finally:
                worker.terminate()
                worker.wait(timeout=10)
