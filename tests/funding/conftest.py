"""Fixtures for the funding tests: the seed call, an open call, users per role, example applications."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from begegnungsatlas.funding import demo
from begegnungsatlas.funding.models import Call
from begegnungsatlas.funding.services.applications import application_create, application_update
from begegnungsatlas.places.models import TargetGroup

DUEREN = "053580008008"
JUELICH = "053580024024"


@pytest.fixture
def office(make_user: Any) -> Any:
    return make_user("planner", username="office", email="office@example.org")


@pytest.fixture
def office2(make_user: Any) -> Any:
    return make_user("planner", username="office2")


@pytest.fixture
def applicant(make_user: Any) -> Any:
    return make_user("kommune_editor", kommune_code=DUEREN, username="app-dueren", email="dueren@example.org")


@pytest.fixture
def applicant_juelich(make_user: Any) -> Any:
    return make_user("kommune_editor", kommune_code=JUELICH, username="app-juelich", email="juelich@example.org")


@pytest.fixture
def reviewer(make_user: Any) -> Any:
    return make_user("reviewer", username="rev1")


@pytest.fixture
def reviewer2(make_user: Any) -> Any:
    return make_user("reviewer", username="rev2")


@pytest.fixture
def auditor(make_user: Any) -> Any:
    return make_user("auditor", username="auditor")


@pytest.fixture
def open_call(office: Any) -> Call:
    return demo.create_open_call(office)


def fill(actor: Any, application: Any, **overrides: Any) -> Any:
    data = {"title": "Begegnungscafé Nord", "place_mode": "new", "location": "Hauptstraße 1, 52349 Düren",
            "concept": "Ein offenes Café für Familien, Seniorinnen und Senioren und neu Zugewanderte im Quartier.",
            "staff_hours_per_week": 10, "volunteers": 12, "own_funds_cents": None,
            "contact_name": "Frau Müller", "contact_email": "mueller@example.org"}
    data.update(overrides)
    return application_update(
        actor=actor, application=application, data=data,
        target_groups=list(TargetGroup.objects.filter(slug__in=["familien", "senioren"])),
        actors=[{"name": "Caritas", "kind": "wohlfahrtsverband", "status": "current", "role": "Betrieb"},
                {"name": "Heimatverein", "kind": "verein", "status": "targeted", "role": "Programm"}],
    )


@pytest.fixture
def draft(open_call: Call, applicant: Any) -> Any:
    application = application_create(actor=applicant, call=open_call)
    return fill(applicant, application)


@pytest.fixture
def now() -> Any:
    return timezone.now()


__all__ = ["DUEREN", "JUELICH", "fill", "timedelta"]
