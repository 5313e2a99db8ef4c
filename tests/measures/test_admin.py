"""Measures and participation in /verwaltung/: planners can look, nobody writes past the services."""

from __future__ import annotations

import pytest
from django.urls import reverse

from begegnungsatlas.measures import demo as measures_demo
from begegnungsatlas.measures.models import Measure, Werkzeugblatt
from begegnungsatlas.participation import demo as participation_demo
from begegnungsatlas.participation.models import Report, Survey

MODELS = ["measures_handlungsfeld", "measures_measure", "measures_werkzeugblatt", "participation_survey",
          "participation_report", "participation_reportcategory"]


@pytest.fixture
def loaded(db):
    measures_demo.load(out=lambda *_a: None)
    participation_demo.load(out=lambda *_a: None)
    Report.objects.filter(is_example=True).update(reporter_email="geheim@example.org")


@pytest.fixture
def staff_planner(make_user):
    return make_user("planner", username="planung-admin", is_staff=True)


def test_planner_sees_the_lists_and_details_read_only(client, loaded, staff_planner):
    client.force_login(staff_planner)
    for model in MODELS:
        assert client.get(reverse(f"admin:{model}_changelist")).status_code == 200, model
        assert client.get(reverse(f"admin:{model}_add")).status_code == 403, model
    sheet = Werkzeugblatt.objects.first()
    page = client.get(reverse("admin:measures_werkzeugblatt_change", args=[sheet.pk])).content.decode()
    assert "Beispiel: Material und Druck" in page  # cost lines inline
    assert 'name="status"' not in page  # no editable field
    report = Report.objects.first()
    page = client.get(reverse("admin:participation_report_change", args=[report.pk])).content.decode()
    assert report.title in page
    assert "geheim@example.org" not in page


def test_admin_posts_change_nothing(client, loaded, staff_planner):
    client.force_login(staff_planner)
    measure = Measure.objects.first()
    response = client.post(reverse("admin:measures_measure_change", args=[measure.pk]), {"title": "Gekapert"})
    assert response.status_code == 403
    response = client.post(reverse("admin:measures_measure_delete", args=[measure.pk]), {"post": "yes"})
    assert response.status_code == 403
    survey = Survey.objects.get()
    response = client.post(reverse("admin:participation_survey_delete", args=[survey.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert Measure.objects.get(pk=measure.pk).title == measure.title
    assert Survey.objects.filter(pk=survey.pk).exists()


def test_other_staff_roles_are_refused(client, loaded, make_user):
    client.force_login(make_user("moderator", is_staff=True))
    for model in MODELS:
        assert client.get(reverse(f"admin:{model}_changelist")).status_code == 403, model
