"""Demo set-up: each app contributes a loader (``<app>/demo.py`` with ``load(out)``), run in this order."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TypedDict

from django.db import transaction

from .models import Role, User

DEMO_PASSWORD = "begegnung-demo"  # noqa: S105 - printed to the console for the local demo only
DEMO_LOADERS = [
    "begegnungsatlas.atlas.demo",
    "begegnungsatlas.places.demo",
    "begegnungsatlas.funding.demo",
    "begegnungsatlas.gaps.demo",
    "begegnungsatlas.measures.demo",
    "begegnungsatlas.participation.demo",
    "begegnungsatlas.sozialraum.demo",
]


def demo_loaded() -> bool:
    return User.objects.filter(username="planung").exists()


def demo_load(*, out: Callable[[str], object] = print) -> None:
    for dotted in DEMO_LOADERS:
        try:
            module = importlib.import_module(dotted)
        except ModuleNotFoundError as exc:
            if exc.name == dotted:
                continue
            raise
        with transaction.atomic():
            module.load(out=out)
    with transaction.atomic():
        users_load(out=out)


class _DemoUserExtra(TypedDict, total=False):
    is_staff: bool
    kommune_code: str
    organisation: str


DEMO_USERS: list[tuple[str, Role, str, _DemoUserExtra]] = [
    ("planung", Role.PLANNER, "Sozialplanung Kreis Düren", {"is_staff": True}),
    ("moderation", Role.MODERATOR, "Moderation", {}),
    ("kommune-dueren", Role.KOMMUNE_EDITOR, "Redaktion Stadt Düren", {"kommune_code": "053580008008"}),
    ("kommune-dortmund", Role.KOMMUNE_EDITOR, "Redaktion Stadt Dortmund", {"kommune_code": "059130000000"}),
    ("traeger-awo", Role.OPERATOR, "AWO Dortmund (Träger)", {"organisation": "AWO"}),
    ("gutachten", Role.REVIEWER, "Fachamt (Gutachten)", {}),
    ("pruefung", Role.AUDITOR, "Rechnungsprüfung", {}),
]


def users_load(*, out: Callable[[str], object] = print) -> None:
    from begegnungsatlas.atlas.models import Area
    from begegnungsatlas.places.models import Organisation

    for username, role, label, extra in DEMO_USERS:
        user, _ = User.objects.get_or_create(username=username)
        user.role = role
        user.first_name = label
        user.is_staff = bool(extra.get("is_staff"))
        if "kommune_code" in extra:
            user.kommune = Area.objects.filter(level__is_municipality=True, code=extra["kommune_code"]).first()
        if "organisation" in extra:
            user.organisation = Organisation.objects.filter(name__icontains=extra["organisation"]).order_by("id").first()
        user.set_password(DEMO_PASSWORD)
        user.save()
    admin, _ = User.objects.get_or_create(username="admin")
    admin.is_staff = admin.is_superuser = True
    admin.role = Role.PLANNER
    admin.set_password(DEMO_PASSWORD)
    admin.save()


def print_credentials(*, out: Callable[[str], object] = print) -> None:
    out("")
    out("Demo-Zugänge (nur für die lokale Demo), Passwort für alle: " + DEMO_PASSWORD)
    for username, role, label, _extra in DEMO_USERS:
        out(f"  {username:<18} {Role(role).label}  – {label}")
    out(f"  {'admin':<18} Administration")
