"""Shared fixtures: the real area hierarchies are loaded once per test session; users per role."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest

# Browser tests run the live server in a thread; Django refuses sync ORM calls from an event loop
# otherwise (Playwright's sync API runs one).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _silent(*_args: Any) -> None:
    return None


def ensure_regions() -> None:
    """Load the bundled Kreis Düren and Dortmund areas unless they are already in the database."""
    from begegnungsatlas.atlas import demo
    from begegnungsatlas.atlas.models import Area

    if not Area.objects.filter(code="059130000000").exists():
        demo.load_kreis_dueren(out=_silent)
        demo.load_dortmund(out=_silent)
    ensure_vocabularies()


def ensure_vocabularies() -> None:
    """Transactional tests flush the tables, including the vocabularies seeded by a data migration."""
    import importlib

    from django.apps import apps

    from begegnungsatlas.places.models import TargetGroup

    if not TargetGroup.objects.exists():
        importlib.import_module("begegnungsatlas.places.migrations.0002_vocabularies").seed(apps, None)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        ensure_regions()


@pytest.fixture
def regions(db: Any) -> None:
    """For transactional tests (which flush the database): make sure the areas are there."""
    ensure_regions()


@pytest.fixture
def make_user(db: Any) -> Callable[..., Any]:
    from begegnungsatlas.atlas.models import Area
    from begegnungsatlas.core.models import User

    counter = {"n": 0}

    def make(role: str = "none", *, kommune_code: str | None = None, organisation: Any = None,
             username: str | None = None, **extra: Any) -> Any:
        counter["n"] += 1
        user = User.objects.create_user(
            username=username or f"{role}-{counter['n']}", password="pw-Test-12345", role=role, **extra
        )
        if kommune_code:
            user.kommune = Area.objects.get(level__is_municipality=True, code=kommune_code)
        if organisation is not None:
            user.organisation = organisation
        user.save()
        return user

    return make


@pytest.fixture
def planner(make_user: Callable[..., Any]) -> Any:
    return make_user("planner", username="planner")


@pytest.fixture
def editor_dueren(make_user: Callable[..., Any]) -> Any:
    return make_user("kommune_editor", kommune_code="053580008008", username="editor-dueren")


@pytest.fixture
def editor_dortmund(make_user: Callable[..., Any]) -> Any:
    return make_user("kommune_editor", kommune_code="059130000000", username="editor-dortmund")


@pytest.fixture
def moderator(make_user: Callable[..., Any]) -> Any:
    return make_user("moderator", username="moderator")


KOMMUNE_DUEREN = "053580008008"
KOMMUNE_JUELICH = "053580024024"
DORTMUND = "059130000000"


def login_redirect(response: Any) -> bool:
    """Is this the answer to an anonymous visitor of a refused page: a redirect to the login page (``core/http.py``)?"""
    from django.conf import settings
    from django.shortcuts import resolve_url

    return response.status_code == 302 and response["Location"].startswith(str(resolve_url(settings.LOGIN_URL)))


def place_admin_form(**overrides: Any) -> dict[str, Any]:
    """POST data of the place admin's add/change form (a physical place in Düren, inlines empty)."""
    from begegnungsatlas.places.models import TargetGroup

    data = {
        "name": "Admin-Ort", "description": "", "kind": "physical", "status": "existing", "street": "",
        "postcode": "", "city": "", "lon": "6.4836", "lat": "50.8048", "virtual_url": "",
        "shared_building": "standalone", "shared_building_note": "", "contact_name": "", "contact_email": "",
        "contact_phone": "", "website": "", "target_groups": [str(TargetGroup.objects.get(slug="kinder").pk)],
        "opening_hours": "Mo 10:00-12:00", "wheelchair": "unknown", "wheelchair_description": "", "capacity": "",
        "source": "", "source_id": "", "is_published": "on",
        "place_actors-TOTAL_FORMS": "0", "place_actors-INITIAL_FORMS": "0",
        "place_actors-MIN_NUM_FORMS": "0", "place_actors-MAX_NUM_FORMS": "1000",
        "offers-TOTAL_FORMS": "0", "offers-INITIAL_FORMS": "0", "offers-MIN_NUM_FORMS": "0",
        "offers-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data
