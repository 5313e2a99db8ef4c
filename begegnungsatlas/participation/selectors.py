"""Reads of participation: open surveys, results with small-number suppression, the moderation queue."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from statistics import median
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from begegnungsatlas.analysis.suppression import suppress
from begegnungsatlas.atlas.models import Area

from .models import Answer, Question, QuestionKind, Report, ReportStatus, Survey

THRESHOLD = 5
CHOICE_KINDS = {QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.SCALE}


def surveys_for_planner() -> QuerySet[Survey]:
    return Survey.objects.annotate(n_responses=Count("responses"))


def surveys_open() -> QuerySet[Survey]:
    now = timezone.now()
    return Survey.objects.filter(is_published=True, opens_at__lte=now, closes_at__gt=now)


def surveys_with_public_results() -> QuerySet[Survey]:
    return Survey.objects.filter(is_published=True, results_public=True)


@dataclass
class Cell:
    count: int
    hidden: bool

    @property
    def shown(self) -> str:
        return "<5" if self.hidden else str(self.count)


@dataclass
class QuestionResult:
    question: Question
    answered: Cell
    options: list[tuple[str, Cell]]  # choice/scale questions
    number_summary: dict[str, float] | None = None  # number questions with enough answers


@dataclass
class AreaRow:
    area: Area
    counts: list[int]
    hidden: list[bool]
    total: int
    total_hidden: bool

    @property
    def pairs(self) -> list[tuple[int, bool]]:
        return list(zip(self.counts, self.hidden, strict=True))


@dataclass
class AreaTable:
    question: Question
    options: list[str]
    rows: list[AreaRow]
    column_totals: list[Cell]
    total: Cell


def _option_counts(question: Question, answers: list[Answer]) -> list[int]:
    counter: Counter[int] = Counter(i for a in answers for i in a.options)
    return [counter.get(i, 0) for i in range(len(question.options))]


def question_result(question: Question) -> QuestionResult:
    """Counts per option with the total of respondents; every count under 5 is hidden (also when derivable)."""
    answers = list(question.answers.all())
    if question.kind in CHOICE_KINDS:
        counts = _option_counts(question, answers)
        table = [counts] if question.kind != QuestionKind.MULTIPLE else [[*counts]]
        mask = suppress(table, THRESHOLD)
        answered_hidden = len(answers) < THRESHOLD or (
            question.kind != QuestionKind.MULTIPLE and mask.row_totals[0])
        return QuestionResult(question, Cell(len(answers), answered_hidden),
                              [(label, Cell(n, mask.cells[0][i]))
                               for i, (label, n) in enumerate(zip(question.options, counts, strict=True))])
    summary = None
    if question.kind == QuestionKind.NUMBER and len(answers) >= THRESHOLD:
        values = [a.number for a in answers if a.number is not None]
        summary = {"median": float(median(values)), "mean": sum(values) / len(values)}
    return QuestionResult(question, Cell(len(answers), len(answers) < THRESHOLD), [], summary)


def area_table(question: Question) -> AreaTable:
    """Counts per area (of the survey's level) and option, suppressed as one table with its margins."""
    answers = (Answer.objects.filter(question=question, response__area__isnull=False)
               .select_related("response__area"))
    by_area: dict[int, list[Answer]] = defaultdict(list)
    areas: dict[int, Area] = {}
    for a in answers:
        area = a.response.area
        assert area is not None
        by_area[area.pk].append(a)
        areas[area.pk] = area
    ordered = sorted(areas.values(), key=lambda a: a.name)
    counts = [_option_counts(question, by_area[a.pk]) for a in ordered]
    options = question.options
    if not counts:
        return AreaTable(question, options, [], [Cell(0, True) for _o in options], Cell(0, True))
    mask = suppress(counts, THRESHOLD)
    rows = [AreaRow(a, counts[r], mask.cells[r], sum(counts[r]), mask.row_totals[r]) for r, a in enumerate(ordered)]
    columns = [Cell(sum(c[i] for c in counts), mask.column_totals[i]) for i in range(len(options))]
    return AreaTable(question, options, rows, columns, Cell(sum(map(sum, counts)), mask.total))


def survey_results(survey: Survey) -> list[tuple[QuestionResult, AreaTable | None]]:
    questions = survey.questions.prefetch_related("answers")
    return [(question_result(q), area_table(q) if q.kind in CHOICE_KINDS else None) for q in questions]


def free_texts(question: Question) -> list[str]:
    """Free-text answers, for the planner's eyes only (never public, never exported: they may name people)."""
    return [t for t in question.answers.exclude(text="").values_list("text", flat=True)]


def export_rows(survey: Survey) -> tuple[list[str], list[list[Any]]]:
    """The suppressed results as one long table: no free text, no coordinates, no response ids."""
    head = ["Frage", "Antwort", "Gebiet", "Anzahl"]
    rows: list[list[Any]] = []
    for result, table in survey_results(survey):
        q = result.question
        rows.append([q.text, "beantwortet (gesamt)", "alle", result.answered.shown])
        for label, cell in result.options:
            rows.append([q.text, label, "alle", cell.shown])
        if table is not None:
            for row in table.rows:
                for i, label in enumerate(table.options):
                    rows.append([q.text, label, row.area.name, "<5" if row.hidden[i] else row.counts[i]])
        if result.number_summary:
            rows.append([q.text, "Median", "alle", result.number_summary["median"]])
    return head, rows


def reports_public() -> QuerySet[Report]:
    return Report.objects.filter(is_published=True).select_related("category", "kommune")


def reports_pending() -> QuerySet[Report]:
    return Report.objects.filter(is_published=False, status=ReportStatus.NEW).select_related("category")


def report_counts_by_kommune() -> dict[int, int]:
    """Published reports per Kommune (area id → count)."""
    rows = (Report.objects.filter(is_published=True, kommune__isnull=False)
            .values_list("kommune_id").annotate(n=Count("id")))
    return {kommune_id: n for kommune_id, n in rows}
