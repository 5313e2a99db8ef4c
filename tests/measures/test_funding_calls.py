"""Measures financed by funding calls: chosen in the measure form, shown on the measure and on the call page."""

from __future__ import annotations

from django.urls import reverse

from begegnungsatlas.core.models import AuditEvent
from begegnungsatlas.funding import demo as funding_demo
from begegnungsatlas.funding.models import Call, CallStatus
from begegnungsatlas.measures.models import Measure


def _form(catalogue, **extra):
    data = {"handlungsfeld": catalogue["bildung"].pk, "number": "B-03", "title": "Begegnungscafés", "kind": "new",
            "description": "", "responsible_office": "", "is_published": "on",
            "links-TOTAL_FORMS": "0", "links-INITIAL_FORMS": "0", "links-MIN_NUM_FORMS": "0",
            "links-MAX_NUM_FORMS": "20"}
    data.update(extra)
    return data


def test_planner_links_funding_calls_in_the_form_and_both_pages_show_it(client, catalogue, planner):
    call = funding_demo.create_open_call(planner)
    client.force_login(planner)
    response = client.post(reverse("measures:create"), _form(catalogue, funding_calls=[call.pk]))
    assert response.status_code == 302
    measure = Measure.objects.get(title="Begegnungscafés")
    assert list(measure.funding_calls.all()) == [call]
    event = AuditEvent.objects.filter(action="measures.measure_create").latest("at")
    assert event.changes["relations"]["funding_calls"] == [call.pk]
    client.logout()
    detail = client.get(reverse("measures:detail", args=[measure.pk])).content.decode()
    assert reverse("funding:call", args=[call.pk]) in detail
    assert call.title in detail
    call_page = client.get(reverse("funding:call", args=[call.pk])).content.decode()
    assert "Finanzierte Werkzeuge aus dem Werkzeugkatalog" in call_page
    assert reverse("measures:detail", args=[measure.pk]) in call_page


def test_drafts_stay_hidden_on_either_side(client, catalogue, planner):
    call = funding_demo.create_open_call(planner)
    draft_measure = catalogue["draft"]
    draft_measure.funding_calls.add(call)
    client.logout()
    call_page = client.get(reverse("funding:call", args=[call.pk])).content.decode()
    assert draft_measure.title not in call_page
    assert "Finanzierte Werkzeuge" not in call_page
    published = catalogue["published"]
    published.funding_calls.add(call)
    Call.objects.filter(pk=call.pk).update(status=CallStatus.DRAFT)
    detail = client.get(reverse("measures:detail", args=[published.pk])).content.decode()
    assert reverse("funding:call", args=[call.pk]) not in detail
    client.force_login(planner)
    detail = client.get(reverse("measures:detail", args=[published.pk])).content.decode()
    assert reverse("funding:call", args=[call.pk]) in detail


def test_an_unknown_call_in_the_form_is_a_400_and_nothing_is_saved(client, catalogue, planner):
    client.force_login(planner)
    response = client.post(reverse("measures:create"), _form(catalogue, funding_calls=[999999]))
    assert response.status_code == 400
    assert not Measure.objects.filter(title="Begegnungscafés").exists()
