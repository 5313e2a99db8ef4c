"""Surveys: building, publishing, anonymous answers, suppressed results, export, atlas indicator."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from begegnungsatlas.atlas.models import IndicatorValue
from begegnungsatlas.participation.errors import ParticipationError, RateLimited
from begegnungsatlas.participation.models import Answer, QuestionKind, Response
from begegnungsatlas.participation.selectors import area_table, export_rows, question_result
from begegnungsatlas.participation.services.surveys import (
    response_submit,
    survey_publish,
    survey_result_to_atlas,
    survey_save,
)

from .conftest import DUEREN, JUELICH, kommune, q

KREUZAU = "053580028028"


def _answer(survey, choice, area_code, i, extra=None):
    answers = {q(survey, "single").pk: choice, q(survey, "area").pk: kommune(area_code)} | (extra or {})
    return response_submit(survey=survey, answers=answers, client=f"c{i}")


def test_builder_validates_questions(planner, kommune_level):
    with pytest.raises(ParticipationError, match="mindestens zwei Antwortmöglichkeiten"):
        survey_save(actor=planner, data={"title": "T", "area_level": kommune_level},
                    questions=[{"text": "Eine?", "kind": QuestionKind.SINGLE, "choices": ["nur"]}])
    with pytest.raises(ParticipationError, match="mindestens eine Frage"):
        survey_save(actor=planner, data={"title": "T", "area_level": kommune_level}, questions=[])


def test_only_the_planner_builds_surveys(editor_dueren, kommune_level):
    with pytest.raises(PermissionDenied):
        survey_save(actor=editor_dueren, data={"title": "T", "area_level": kommune_level},
                    questions=[{"text": "?", "kind": QuestionKind.TEXT}])


def test_publish_period_must_be_forward(survey, planner):
    now = timezone.now()
    with pytest.raises(ParticipationError, match="nach dem Beginn"):
        survey_publish(actor=planner, survey=survey, opens_at=now, closes_at=now - timedelta(days=1))


def test_answer_is_stored_anonymously_with_its_area(survey):
    loc = q(survey, "location")
    response = response_submit(survey=survey, client="abc", answers={
        q(survey, "single").pk: 0, q(survey, "multiple").pk: ["0", "2"], q(survey, "scale").pk: 2,
        q(survey, "number").pk: 4.5, q(survey, "text").pk: "mehr Bänke", loc.pk: (6.4836, 50.8048)})
    assert response.area == kommune(DUEREN)  # from the location, lifted to the survey's level
    assert Answer.objects.get(response=response, question=loc).area is not None
    field_names = {f.name for f in Response._meta.get_fields()}
    assert not field_names & {"ip", "ip_address", "client", "client_hash", "user", "submitted_at"}
    assert Answer.objects.get(response=response, question=q(survey, "multiple")).options == [0, 2]


def test_honeypot_closed_required_and_rate_limit(survey, settings):
    assert response_submit(survey=survey, answers={q(survey, "single").pk: 0}, client="x", honeypot="bot") is None
    assert not Response.objects.exists()
    with pytest.raises(ParticipationError, match="Engagiert"):
        response_submit(survey=survey, answers={}, client="x")
    with pytest.raises(ParticipationError, match="nicht .mehr. geöffnet"):
        response_submit(survey=survey, answers={q(survey, "single").pk: 0}, client="x",
                        now=survey.closes_at + timedelta(seconds=1))
    settings.BEGEGNUNGSATLAS_SUGGESTION_RATE = 2
    for _i in range(2):
        response_submit(survey=survey, answers={q(survey, "single").pk: 0}, client="same")
    with pytest.raises(RateLimited):
        response_submit(survey=survey, answers={q(survey, "single").pk: 0}, client="same")
    assert Response.objects.count() == 2


def test_results_hide_small_numbers_also_when_derivable(survey):
    for i in range(7):
        _answer(survey, 0, DUEREN, i)
    for i in range(3):
        _answer(survey, 1, DUEREN, 10 + i)
    result = question_result(q(survey, "single"))
    shown = {label: cell for label, cell in result.options}
    assert shown["nein"].hidden  # 3 < 5
    assert shown["ja"].hidden  # 7 would reveal "nein" = 10 - 7
    assert not result.answered.hidden
    table = area_table(q(survey, "single"))
    row = table.rows[0]
    assert row.area == kommune(DUEREN)
    assert row.hidden == [True, True]
    assert not row.total_hidden


def test_area_totals_under_five_are_hidden(survey):
    for i in range(6):
        _answer(survey, 0, DUEREN, i)
    for i in range(2):
        _answer(survey, 0, JUELICH, 20 + i)
    table = area_table(q(survey, "single"))
    by_name = {r.area.code: r for r in table.rows}
    assert by_name[JUELICH].total_hidden
    assert by_name[JUELICH].hidden[0]
    # Jülich's 2 hidden → Düren's "ja" must be hidden too (the column total 8 is shown or hidden consistently)
    assert by_name[DUEREN].hidden[0] or table.column_totals[0].hidden


def test_export_has_no_free_text_and_no_coordinates(client, survey):
    for i in range(6):
        _answer(survey, 0, DUEREN, i, {q(survey, "text").pk: "Ich heiße Erika Mustermann",
                                       q(survey, "location").pk: (6.4836, 50.8048)})
    head, rows = export_rows(survey)
    flat = " ".join(str(v) for row in rows for v in row)
    assert "Mustermann" not in flat
    assert "50.80" not in flat
    assert "6.48" not in flat
    csv_response = client.get(reverse("participation:survey_export", args=[survey.pk, "csv"]))
    assert "Mustermann" not in csv_response.content.decode("utf-8-sig")
    xlsx = client.get(reverse("participation:survey_export", args=[survey.pk, "xlsx"]))
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in ws[1]] == head


def test_result_goes_to_the_atlas_with_suppression(survey, planner):
    # ja/nein per Kommune: Düren 6/6, Jülich 2/5, Kreuzau 6/6. Jülich's 2 is hidden, its 5 too (the row total
    # would reveal the 2); the column totals then force one more cell per column: Düren's (first of the
    # smallest). Kreuzau stays visible.
    n = 0
    for code, yes, no in ((DUEREN, 6, 6), (JUELICH, 2, 5), (KREUZAU, 6, 6)):
        for choice, count in ((0, yes), (1, no)):
            for _i in range(count):
                n += 1
                _answer(survey, choice, code, n)
    indicator = survey_result_to_atlas(actor=planner, question=q(survey, "single"), option=0, slug="umfrage-ja")
    values = {v.area.code: v for v in IndicatorValue.objects.filter(indicator=indicator).select_related("area")}
    assert values[JUELICH].status == "suppressed"
    assert values[JUELICH].value is None
    assert values[DUEREN].status == "suppressed"
    assert values[KREUZAU].value == 6.0
    with pytest.raises(ParticipationError):
        survey_result_to_atlas(actor=planner, question=q(survey, "text"), option=0, slug="x")


def test_result_to_atlas_needs_the_planner(survey, editor_dueren):
    with pytest.raises(PermissionDenied):
        survey_result_to_atlas(actor=editor_dueren, question=q(survey, "single"), option=0, slug="x")
