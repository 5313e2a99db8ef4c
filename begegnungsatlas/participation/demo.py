"""Demo content of participation, every item marked as example (``is_example``).

The survey follows the *kind* of survey named in the public description of Kreis Düren (a needs analysis of
volunteer engagement); its questions and the answers are invented examples and say so on every page.
"""

from __future__ import annotations

import importlib
import random
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.apps import apps
from django.utils import timezone

from begegnungsatlas.atlas.models import Area, AreaLevel

from .models import QuestionKind, ReportCategory, ReportKind, ReportStatus
from .services.reports import example_reports_delete, report_moderate, report_submit
from .services.surveys import example_surveys_delete, response_submit, survey_publish, survey_save

RESPONSES = 60
QUESTIONS: list[dict[str, Any]] = [
    {"text": "Engagieren Sie sich ehrenamtlich?", "kind": QuestionKind.SINGLE, "required": True,
     "choices": ["ja, regelmäßig", "ja, gelegentlich", "nein"]},
    {"text": "Was würde Ihnen das Engagement erleichtern?", "kind": QuestionKind.MULTIPLE,
     "choices": ["Räume", "Fahrtkosten", "Weiterbildung", "Anerkennung"]},
    {"text": "Wie zufrieden sind Sie mit den Treffpunkten in Ihrem Ort?", "kind": QuestionKind.SCALE,
     "scale_min": 1, "scale_max": 5},
    {"text": "Wie viele Stunden im Monat engagieren Sie sich?", "kind": QuestionKind.NUMBER},
    {"text": "In welcher Kommune wohnen Sie?", "kind": QuestionKind.AREA, "required": True},
    {"text": "Wo fehlt ein Treffpunkt? (freiwillig)", "kind": QuestionKind.LOCATION},
    {"text": "Was möchten Sie uns noch sagen?", "kind": QuestionKind.TEXT},
]


def load(*, out: Callable[[str], object] = print) -> None:
    if not ReportCategory.objects.exists():
        importlib.import_module("begegnungsatlas.participation.migrations.0002_participation_categories").seed(
            apps, None)
    level = AreaLevel.objects.filter(is_municipality=True, region__slug__icontains="dueren").first() \
        or AreaLevel.objects.filter(is_municipality=True, region__is_reference=False).first()
    if level is None:
        out("Beteiligung: keine Gebiete geladen, Beispielumfrage übersprungen.")
        return
    example_surveys_delete()
    example_reports_delete()
    survey = survey_save(actor=None, check_permission=False, questions=QUESTIONS, data={
        "title": "Beispiel: Bedarfsanalyse ehrenamtliches Engagement", "area_level": level, "is_example": True,
        "results_public": True,
        "description": "Beispielumfrage der Demo (erfundene Fragen und Antworten) – nach Art der Bestands- und "
                       "Bedarfsanalyse zum ehrenamtlichen Engagement im Kreis Düren.",
    })
    now = timezone.now()
    survey_publish(actor=None, check_permission=False, survey=survey, opens_at=now - timedelta(days=1),
                   closes_at=now + timedelta(days=60))
    questions = list(survey.questions.all())
    kommunen = list(Area.objects.filter(level=level).order_by("name")[:3])
    rng = random.Random(2020)  # invented example answers, the same on every load
    for i in range(RESPONSES):
        answers = {questions[0].pk: rng.choices(range(3), weights=[4, 3, 3])[0],
                   questions[1].pk: sorted(set(rng.choices(range(4), k=2))), questions[2].pk: rng.randrange(5),
                   questions[3].pk: float(rng.randrange(1, 20)),
                   questions[4].pk: rng.choices(kommunen, weights=[5, 3, 2][:len(kommunen)])[0]}
        response_submit(survey=survey, answers=answers, client=f"demo-{i}")
    dueren = Area.objects.filter(level__is_municipality=True, code="053580008008").first()
    if dueren is not None and dueren.centroid_lon is not None and dueren.centroid_lat is not None:
        lon, lat = dueren.centroid_lon, dueren.centroid_lat
        kinds = [(ReportKind.PROBLEM, "barrieren", "Beispiel: Stufe am Eingang des Bürgerhauses",
                  ReportStatus.IN_PROGRESS, "Beispielantwort: Die Rampe ist beauftragt.", True),
                 (ReportKind.IDEA, "treffpunkte", "Beispiel: Bank und Schatten am Spielplatz", ReportStatus.NEW,
                  "", True),
                 (ReportKind.PROBLEM, "wege", "Beispiel: Gehweg zugeparkt (wartet auf Moderation)",
                  ReportStatus.NEW, "", False)]
        for n, (kind, cat, title, status, answer, published) in enumerate(kinds):
            report = report_submit(trusted=True, is_example=True, client="demo", data={
                "kind": kind, "category": ReportCategory.objects.get(slug=cat), "title": title,
                "description": "Beispielmeldung der Demo, keine echte Meldung.", "lon": lon + 0.002 * n, "lat": lat})
            if report is not None and published:
                report_moderate(actor=None, check_permission=False, report=report, status=status,
                                public_answer=answer, publish=True)
    out(f"Beteiligung: 1 Beispielumfrage mit {RESPONSES} Beispielantworten, 3 Beispielmeldungen.")
