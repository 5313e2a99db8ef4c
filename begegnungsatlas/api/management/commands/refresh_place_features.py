from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from begegnungsatlas.api.models import PlaceFeature
from begegnungsatlas.api.services import place_features_refresh


class Command(BaseCommand):
    help = "Die vorberechneten GeoJSON-Objekte der OGC-API für alle Orte neu aufbauen (nach Änderungen am Datenmodell)."

    def handle(self, *args: Any, **opts: Any) -> None:
        with transaction.atomic():
            place_features_refresh(place_ids=None)
        self.stdout.write(f"{PlaceFeature.objects.count()} Orte für die OGC-API aufbereitet.")
