from __future__ import annotations

from django.urls import reverse

from begegnungsatlas.participation import demo
from begegnungsatlas.participation.models import Report, Survey


def test_demo_survey_and_reports_are_labelled_examples(client, db):
    demo.load(out=lambda *_a: None)
    demo.load(out=lambda *_a: None)
    survey = Survey.objects.get()
    assert survey.is_example
    assert survey.title.startswith("Beispiel")
    assert survey.responses.count() == demo.RESPONSES
    assert Report.objects.filter(is_example=True).count() == 3
    assert all(r.title.startswith("Beispiel") for r in Report.objects.all())
    page = client.get(reverse("participation:survey_results", args=[survey.pk])).content.decode()
    assert "Beispiel:" in page
    assert client.get(reverse("participation:survey_answer", args=[survey.pk])).status_code == 200


def test_dashboard_links_for_planner_and_moderator(client, planner, moderator):
    demo.load(out=lambda *_a: None)
    client.force_login(planner)
    page = client.get(reverse("web:dashboard")).content.decode()
    assert reverse("participation:surveys") in page
    client.force_login(moderator)
    page = client.get(reverse("web:dashboard")).content.decode()
    assert "Meldungen: 1 neue" in page
    assert reverse("participation:surveys") not in page
