"""Surveys: the public answer page and results; the planner's builder, publishing, export, atlas."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from begegnungsatlas.core.http import client_address
from begegnungsatlas.core.ratelimit import client_hash
from begegnungsatlas.funding.exports import to_csv, to_xlsx

from .. import selectors
from ..errors import ParticipationError, RateLimited
from ..forms import AnswerForm, PublishForm, QuestionFormSet, ResultToAtlasForm, SurveyForm
from ..models import Question, QuestionKind, Survey
from ..permissions import can_manage_participation
from ..services import surveys as services


@require_http_methods(["GET", "POST"])
def survey_answer(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=pk, is_published=True)
    if not services.survey_is_open(survey):
        return render(request, "participation/survey_closed.html", {"survey": survey}, status=410)
    form = AnswerForm(request.POST or None, survey=survey)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.response_submit(survey=survey, answers=form.answers(),
                                         client=client_hash(client_address(request), scope="survey"),
                                         honeypot=form.cleaned_data.get("website") or "")
            except RateLimited as exc:
                form.add_error(None, str(exc))
                status = 429
            except ParticipationError as exc:
                form.add_error(None, str(exc))
            else:
                return redirect("participation:survey_thanks", pk=survey.pk)
    rows = [(q, form[f"q{q.pk}"] if q.kind != QuestionKind.LOCATION else None,
             form.location_fields(q) if q.kind == QuestionKind.LOCATION else None) for q in form.questions]
    return render(request, "participation/survey_answer.html", {"survey": survey, "form": form, "rows": rows},
                  status=status)


def survey_thanks(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=pk, is_published=True)
    return render(request, "participation/thanks.html", {"survey": survey})


def _results_allowed(request: HttpRequest, survey: Survey) -> bool:
    return (survey.is_published and survey.results_public) or can_manage_participation(request.user).allowed


def survey_results(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=pk)
    if not _results_allowed(request, survey):
        raise Http404
    manage = can_manage_participation(request.user).allowed
    texts = {q.pk: selectors.free_texts(q) for q in survey.questions.filter(kind=QuestionKind.TEXT)} if manage else {}
    return render(request, "participation/survey_results.html", {
        "survey": survey, "results": selectors.survey_results(survey), "free_texts": texts,
        "can_manage": can_manage_participation(request.user).allowed, "atlas_form": ResultToAtlasForm(),
    })


def survey_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=pk)
    if not _results_allowed(request, survey) or fmt not in ("csv", "xlsx"):
        raise Http404
    head, rows = selectors.export_rows(survey)
    if fmt == "csv":
        response = HttpResponse(to_csv(head, rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(to_xlsx(head, rows, "Ergebnisse"),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="umfrage-{survey.pk}.{fmt}"'
    return response


def survey_list(request: HttpRequest) -> HttpResponse:
    can_manage_participation(request.user).enforce()
    return render(request, "participation/survey_list.html", {"surveys": selectors.surveys_for_planner()})


def _question_rows(survey: Survey | None) -> list[dict[str, Any]] | None:
    if survey is None:
        return None
    return [{"text": q.text, "kind": q.kind, "required": q.required, "choices": "\n".join(q.choices),
             "scale_min": q.scale_min, "scale_max": q.scale_max} for q in survey.questions.all()]


@require_http_methods(["GET", "POST"])
def survey_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    can_manage_participation(request.user).enforce()
    survey = get_object_or_404(Survey, pk=pk) if pk is not None else None
    post = request.POST if request.method == "POST" else None
    initial = {"title": survey.title, "description": survey.description, "area_level": survey.area_level,
               "results_public": survey.results_public} if survey else None
    form = SurveyForm(post, initial=initial)
    questions = QuestionFormSet(post, prefix="q", initial=_question_rows(survey))
    status = 200
    if post is not None:
        status = 400
        if form.is_valid() and questions.is_valid():
            rows = [{k: v for k, v in f.cleaned_data.items() if k != "DELETE"} for f in questions.forms
                    if f.cleaned_data.get("text") and not f.cleaned_data.get("DELETE")]
            try:
                saved = services.survey_save(actor=request.user, survey=survey, data=form.cleaned_data,
                                             questions=rows)
            except ParticipationError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Die Umfrage wurde gespeichert."))
                return redirect("participation:survey_publish", pk=saved.pk)
    return render(request, "participation/survey_form.html", {"form": form, "questions": questions,
                                                              "survey": survey}, status=status)


@require_http_methods(["GET", "POST"])
def survey_publish(request: HttpRequest, pk: int) -> HttpResponse:
    can_manage_participation(request.user).enforce()
    survey = get_object_or_404(Survey, pk=pk)
    form = PublishForm(request.POST or None, initial={"opens_at": survey.opens_at, "closes_at": survey.closes_at})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.survey_publish(actor=request.user, survey=survey, **form.cleaned_data)
            except ParticipationError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Die Umfrage ist veröffentlicht."))
                return redirect("participation:surveys")
    return render(request, "participation/survey_publish.html", {"form": form, "survey": survey}, status=status)


@require_POST
def survey_to_atlas(request: HttpRequest, pk: int) -> HttpResponse:
    can_manage_participation(request.user).enforce()
    survey = get_object_or_404(Survey, pk=pk)
    form = ResultToAtlasForm(request.POST)
    if form.is_valid():
        question = get_object_or_404(Question, pk=form.cleaned_data["question"], survey=survey)
        try:
            indicator = services.survey_result_to_atlas(actor=request.user, question=question,
                                                        option=form.cleaned_data["option"],
                                                        slug=form.cleaned_data["slug"])
        except ValueError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Im Atlas als Indikator „%(t)s“ veröffentlicht.") % {"t": indicator.title})
    else:
        messages.error(request, _("Bitte Antwort und Kürzel angeben."))
    return redirect("participation:survey_results", pk=pk)
