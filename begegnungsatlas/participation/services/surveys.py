"""Surveys: the planner builds and publishes, citizens answer anonymously, results go to the atlas."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from begegnungsatlas.atlas.models import Area, Indicator, IndicatorKind
from begegnungsatlas.atlas.selectors.areas import area_ids_at
from begegnungsatlas.atlas.services.tables import Table
from begegnungsatlas.atlas.services.values_import import Mapping, values_import
from begegnungsatlas.core.ratelimit import rate_count, rate_exceeded
from begegnungsatlas.core.services import audit_record

from ..errors import ParticipationError, RateLimited
from ..models import Answer, Question, QuestionKind, Response, Survey
from ..permissions import can_manage_participation

if TYPE_CHECKING:
    from begegnungsatlas.core.permissions import Actor


CHOICE_KINDS = {QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.SCALE}


def _check_questions(questions: Sequence[dict[str, Any]]) -> None:
    if not questions:
        raise ParticipationError(_("Eine Umfrage braucht mindestens eine Frage."))
    for q in questions:
        text = (q.get("text") or "").strip()
        if not text:
            raise ParticipationError(_("Jede Frage braucht einen Text."))
        if q.get("kind") not in QuestionKind.values:
            raise ParticipationError(_("Unbekannte Fragenart bei „%(q)s“.") % {"q": text})
        if q["kind"] in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and len(q.get("choices") or []) < 2:
            raise ParticipationError(_("„%(q)s“ braucht mindestens zwei Antwortmöglichkeiten.") % {"q": text})
        if q["kind"] == QuestionKind.SCALE and not (
                int(q.get("scale_min", 1)) < int(q.get("scale_max", 5)) <= int(q.get("scale_min", 1)) + 10):
            raise ParticipationError(_("„%(q)s“: die Skala braucht 2 bis 11 Stufen.") % {"q": text})


@transaction.atomic
def survey_save(*, actor: Actor, data: dict[str, Any], questions: Sequence[dict[str, Any]],
                survey: Survey | None = None, check_permission: bool = True) -> Survey:
    """Create or update a survey with its questions; questions are fixed once answers came in."""
    if check_permission:
        can_manage_participation(actor).enforce()
    if not (data.get("title") or "").strip():
        raise ParticipationError(_("Bitte geben Sie einen Titel an."))
    if data.get("area_level") is None:
        raise ParticipationError(_("Bitte wählen Sie die Gebietsebene der Auswertung."))
    _check_questions(questions)
    if survey is not None and survey.responses.exists():
        raise ParticipationError(_("Zu dieser Umfrage gibt es schon Antworten; die Fragen lassen sich nicht mehr ändern."))
    obj = survey or Survey()
    for name in ("title", "description", "area_level", "is_example", "results_public"):
        if name in data:
            setattr(obj, name, data[name].strip() if isinstance(data[name], str) else data[name])
    obj.save()
    obj.questions.all().delete()
    Question.objects.bulk_create([
        Question(survey=obj, sort=i, text=q["text"].strip(), kind=q["kind"], required=bool(q.get("required")),
                 choices=[str(c).strip() for c in q.get("choices") or [] if str(c).strip()],
                 scale_min=int(q.get("scale_min") or 1), scale_max=int(q.get("scale_max") or 5))
        for i, q in enumerate(questions)
    ])
    audit_record(actor=actor, action="participation.survey_save", obj=obj,
                 changes={"questions": [q["text"] for q in questions]})
    return obj


@transaction.atomic
def example_surveys_delete() -> int:
    """Remove the demo's example surveys (with their questions and responses) before the demo is loaded again."""
    count = 0
    for survey in Survey.objects.filter(is_example=True):
        audit_record(actor=None, action="participation.survey_example_delete", obj=survey, changes={})
        survey.delete()
        count += 1
    return count


@transaction.atomic
def survey_publish(*, actor: Actor, survey: Survey, opens_at: datetime, closes_at: datetime,
                   check_permission: bool = True) -> Survey:
    if check_permission:
        can_manage_participation(actor).enforce()
    if closes_at <= opens_at:
        raise ParticipationError(_("Das Ende des Zeitraums muss nach dem Beginn liegen."))
    if not survey.questions.exists():
        raise ParticipationError(_("Eine Umfrage ohne Fragen kann nicht veröffentlicht werden."))
    survey.opens_at, survey.closes_at, survey.is_published = opens_at, closes_at, True
    survey.save(update_fields=["opens_at", "closes_at", "is_published"])
    audit_record(actor=actor, action="participation.survey_publish", obj=survey,
                 changes={"opens_at": opens_at.isoformat(), "closes_at": closes_at.isoformat()})
    return survey


def survey_is_open(survey: Survey, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return bool(survey.is_published and survey.opens_at and survey.closes_at
                and survey.opens_at <= now < survey.closes_at)


def _area_on_level(survey: Survey, area: Area | None) -> Area | None:
    """The area itself or its ancestor on the survey's level."""
    while area is not None and area.level_id != survey.area_level_id:
        area = area.parent
    return area


def _answer(question: Question, raw: Any) -> dict[str, Any] | None:
    """Turn a cleaned form value into answer fields; ``None`` when not answered."""
    if raw in (None, "", [], ()):
        if question.required:
            raise ParticipationError(_("Bitte beantworten Sie die Frage „%(q)s“.") % {"q": question.text})
        return None
    n = len(question.options)
    if question.kind in (QuestionKind.SINGLE, QuestionKind.SCALE):
        index = int(raw)
        if not 0 <= index < n:
            raise ParticipationError(_("Ungültige Antwort bei „%(q)s“.") % {"q": question.text})
        return {"options": [index]}
    if question.kind == QuestionKind.MULTIPLE:
        indices = sorted({int(v) for v in raw})
        if any(not 0 <= i < n for i in indices):
            raise ParticipationError(_("Ungültige Antwort bei „%(q)s“.") % {"q": question.text})
        return {"options": indices}
    if question.kind == QuestionKind.NUMBER:
        return {"number": float(raw)}
    if question.kind == QuestionKind.TEXT:
        return {"text": str(raw).strip()[:5000]}
    if question.kind == QuestionKind.LOCATION:
        lon, lat = raw
        return {"lon": float(lon), "lat": float(lat)}
    if question.kind == QuestionKind.AREA:
        return {"area": raw}
    raise ParticipationError(_("Unbekannte Fragenart."))  # pragma: no cover


@transaction.atomic
def response_submit(*, survey: Survey, answers: dict[int, Any], client: str, honeypot: str = "",
                    now: datetime | None = None) -> Response | None:
    """Store one anonymous response. ``answers`` maps question id → cleaned value.

    Honeypot filled → nothing stored, ``None`` (bots see the same thank-you page). No IP address and no
    time of day are stored (only the date), and no audit event is written, so answers cannot be matched to
    server logs.
    """
    if honeypot.strip():
        return None
    if not survey_is_open(survey, now):
        raise ParticipationError(_("Diese Umfrage ist nicht (mehr) geöffnet."))
    scope = f"participation:survey:{survey.pk}"
    if rate_exceeded(scope=scope, client=client, limit=settings.BEGEGNUNGSATLAS_SUGGESTION_RATE):
        raise RateLimited(_("Von Ihrem Anschluss kamen in der letzten Stunde schon mehrere Antworten. "
                            "Bitte versuchen Sie es später noch einmal."))
    rows = []
    response_area: Area | None = None
    for question in survey.questions.all():
        fields = _answer(question, answers.get(question.pk))
        if fields is None:
            continue
        if question.kind == QuestionKind.LOCATION:
            _kommune, area_id = area_ids_at([fields["lon"]], [fields["lat"]])[0]
            if _kommune is None:
                raise ParticipationError(_("Der gewählte Ort liegt außerhalb des Gebiets der Umfrage."))
            fields["area"] = Area.objects.filter(pk=area_id or _kommune).first()
        if question.kind in (QuestionKind.AREA, QuestionKind.LOCATION) and response_area is None:
            response_area = _area_on_level(survey, fields.get("area"))
        rows.append((question, fields))
    if not rows:
        raise ParticipationError(_("Bitte beantworten Sie mindestens eine Frage."))
    response = Response.objects.create(survey=survey, area=response_area)
    Answer.objects.bulk_create([Answer(response=response, question=q, **f) for q, f in rows])
    rate_count(scope=scope, client=client)
    # Deliberately no audit event per response: its timestamp and order would tie an anonymous response to
    # a point in time (and so to web server logs).
    return response


@transaction.atomic
def survey_result_to_atlas(*, actor: Actor, question: Question, option: int, slug: str,
                           check_permission: bool = True) -> Indicator:
    """Publish "respondents per area who chose ``option``" as an atlas indicator.

    The values go through the atlas value import (one write path for indicator values); cells under the
    suppression threshold (and those that would reveal them) are written as suppressed, not as numbers.
    """
    from ..selectors import area_table

    if check_permission:
        can_manage_participation(actor).enforce()
    if question.kind not in CHOICE_KINDS or not 0 <= option < len(question.options):
        raise ParticipationError(_("Nur eine Antwortmöglichkeit einer Auswahl- oder Skalenfrage kann in den Atlas."))
    survey = question.survey
    table = area_table(question)
    if not table.rows:
        raise ParticipationError(_("Es gibt noch keine Antworten mit Gebiet."))
    indicator, _created = Indicator.objects.update_or_create(slug=slug, defaults={
        "title": f"{survey.title}: {question.text} – {question.options[option]}"[:200],
        "definition": _("Zahl der Antwortenden der Umfrage, die diese Antwort gewählt haben "
                        "(Werte unter 5 gesperrt)."),
        "unit": _("Personen"), "source": _("Umfrage „%(s)s“") % {"s": survey.title},
        "kind": IndicatorKind.COUNT, "decimals": 0, "reference_date": survey.closes_at.date().isoformat()
        if survey.closes_at else "", "region": survey.area_level.region,
    })
    period = str(survey.closes_at.year if survey.closes_at else timezone.localdate().year)
    data_rows = [[row.area.code, "." if row.hidden[option] else row.counts[option]] for row in table.rows]
    values_import(table=Table(header=["code", "wert"], rows=data_rows, kind="csv"), actor=actor, mapping=Mapping(
        level=survey.area_level, area_column="code", layout="long", value_column="wert", indicator=indicator,
        period=period, skip_unmatched=True))
    audit_record(actor=actor, action="participation.result_to_atlas", obj=question,
                 changes={"indicator": indicator.slug, "option": option, "period": period})
    return indicator
