from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from begegnungsatlas.atlas.errors import AtlasError
from begegnungsatlas.atlas.models import Area, Region
from begegnungsatlas.atlas.services.grid import grid_level_create


class Command(BaseCommand):
    help = "Rasterebene (INSPIRE-Raster, EPSG:3035) für eine Region anlegen, z. B. --region kreis-dueren --size 1000."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--region", required=True, help="Kürzel der Region, z. B. kreis-dueren")
        parser.add_argument("--size", type=int, default=1000, help="Kantenlänge in Metern (Vielfaches von 100)")

    def handle(self, *args: Any, **opts: Any) -> None:
        region = Region.objects.filter(slug=opts["region"]).first()
        if region is None:
            raise CommandError(f"Unbekannte Region „{opts['region']}“.")
        try:
            level = grid_level_create(region=region, size_m=opts["size"])
        except AtlasError as exc:
            raise CommandError(str(exc)) from exc
        n = Area.objects.filter(level=level).count()
        self.stdout.write(f"{region.name}: {n} Rasterzellen ({level.name}) angelegt.")
