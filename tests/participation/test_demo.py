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


def test_demo_writes_reports_and_surveys_through_the_services(db):
    from begegnungsatlas.core.models import AuditEvent

    demo.load(out=lambda *_a: None)
    demo.load(out=lambda *_a: None)
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions.count("participation.report_submit") == 6
    assert actions.count("participation.report_moderate") == 4
    assert actions.count("participation.report_example_delete") == 3
    assert actions.count("participation.survey_example_delete") == 1
    published = Report.objects.filter(is_published=True)
    assert published.count() == 2
    assert all(r.moderated_at is not None for r in published)
    assert Report.objects.get(is_published=False).status == "new"
