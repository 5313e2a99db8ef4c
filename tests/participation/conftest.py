"""Fixtures: an open survey on the Kommune level of Kreis Düren with one question of each kind."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from begegnungsatlas.atlas.models import Area, AreaLevel
from begegnungsatlas.participation.models import QuestionKind, Survey
from begegnungsatlas.participation.services.surveys import survey_publish, survey_save

DUEREN = "053580008008"
JUELICH = "053580024024"


@pytest.fixture(autouse=True)
def _fresh_rate_limit() -> None:
    cache.clear()


@pytest.fixture
def kommune_level(db: Any) -> AreaLevel:
    return AreaLevel.objects.get(region__slug="kreis-dueren", is_municipality=True)


@pytest.fixture
def survey(planner: Any, kommune_level: AreaLevel) -> Survey:
    s = survey_save(actor=planner, data={"title": "Engagement", "area_level": kommune_level,
                                         "results_public": True}, questions=[
        {"text": "Engagiert?", "kind": QuestionKind.SINGLE, "required": True, "choices": ["ja", "nein"]},
        {"text": "Was hilft?", "kind": QuestionKind.MULTIPLE, "choices": ["Räume", "Geld", "Zeit"]},
        {"text": "Zufrieden?", "kind": QuestionKind.SCALE, "scale_min": 1, "scale_max": 3},
        {"text": "Stunden?", "kind": QuestionKind.NUMBER},
        {"text": "Wo wohnen Sie?", "kind": QuestionKind.AREA},
        {"text": "Wo fehlt etwas?", "kind": QuestionKind.LOCATION},
        {"text": "Sonst noch?", "kind": QuestionKind.TEXT},
    ])
    now = timezone.now()
    return survey_publish(actor=planner, survey=s, opens_at=now - timedelta(hours=1),
                          closes_at=now + timedelta(days=7))


def q(survey: Survey, kind: str) -> Any:
    return survey.questions.get(kind=kind)


def kommune(code: str) -> Area:
    return Area.objects.get(level__is_municipality=True, code=code)
