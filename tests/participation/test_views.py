"""Participation pages: answering without an account, results, builder and moderation with denials."""

from __future__ import annotations

from django.urls import reverse

from begegnungsatlas.participation.models import Response, Survey

from .conftest import q


def test_answer_a_survey_in_the_browser_form(client, survey):
    url = reverse("participation:survey_answer", args=[survey.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'data-map="picker"' in page.content.decode()
    loc = q(survey, "location")
    response = client.post(url, {f"q{q(survey, 'single').pk}": "1", f"q{q(survey, 'number').pk}": "3,5",
                                 f"q{loc.pk}_lat": "50.8048", f"q{loc.pk}_lon": "6.4836", "website": ""})
    assert response.status_code == 302
    answers = {a.question.kind: a for a in Response.objects.get().answers.select_related("question")}
    assert answers["number"].number == 3.5
    assert answers["single"].options == [1]


def test_missing_required_answer_is_a_400_with_message(client, survey):
    response = client.post(reverse("participation:survey_answer", args=[survey.pk]), {"website": ""})
    assert response.status_code == 400
    assert not Response.objects.exists()


def test_results_are_public_only_when_released(client, survey, planner):
    url = reverse("participation:survey_results", args=[survey.pk])
    assert client.get(url).status_code == 200
    Survey.objects.filter(pk=survey.pk).update(results_public=False)
    assert client.get(url).status_code == 404
    assert client.get(reverse("participation:survey_export", args=[survey.pk, "csv"])).status_code == 404
    client.force_login(planner)
    assert client.get(url).status_code == 200


def test_builder_pages_refuse_others(client, survey, editor_dueren):
    assert client.get(reverse("participation:surveys")).status_code == 302
    client.force_login(editor_dueren)
    for name, args in (("participation:surveys", []), ("participation:survey_create", []),
                       ("participation:survey_edit", [survey.pk]), ("participation:survey_publish", [survey.pk])):
        assert client.get(reverse(name, args=args)).status_code == 403
    assert client.post(reverse("participation:survey_to_atlas", args=[survey.pk]),
                       {"question": q(survey, "single").pk, "option": 0, "slug": "x"}).status_code == 403


def test_planner_builds_a_survey_with_the_formset(client, planner, kommune_level):
    client.force_login(planner)
    response = client.post(reverse("participation:survey_create"), {
        "title": "Neue Umfrage", "description": "", "area_level": kommune_level.pk,
        "q-TOTAL_FORMS": "2", "q-INITIAL_FORMS": "0", "q-MIN_NUM_FORMS": "0", "q-MAX_NUM_FORMS": "50",
        "q-0-text": "Farbe?", "q-0-kind": "single", "q-0-choices": "rot\ngrün\n", "q-0-scale_min": "1",
        "q-0-scale_max": "5", "q-1-text": "", "q-1-kind": "text", "q-1-scale_min": "1", "q-1-scale_max": "5",
    })
    assert response.status_code == 302
    survey = Survey.objects.get(title="Neue Umfrage")
    assert survey.questions.get().choices == ["rot", "grün"]


def test_privacy_page_is_german_and_names_the_period(client, settings):
    settings.BEGEGNUNGSATLAS_REPORTER_DATA_DAYS = 90
    page = client.get(reverse("participation:privacy")).content.decode()
    assert "Datenschutzhinweise" in page
    assert "90 Tage" in page
    assert "keine IP-Adresse" in page


def test_free_texts_only_for_the_planner(client, survey, planner):
    from begegnungsatlas.participation.services.surveys import response_submit

    response_submit(survey=survey, client="t", answers={q(survey, "single").pk: 0,
                                                         q(survey, "text").pk: "Erika aus der Lindenstraße"})
    url = reverse("participation:survey_results", args=[survey.pk])
    assert "Lindenstraße" not in client.get(url).content.decode()
    client.force_login(planner)
    assert "Lindenstraße" in client.get(url).content.decode()
