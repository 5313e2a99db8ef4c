"""Sozialraum pages: planners propose (background job), edit with the live check, undo, adopt; others read adopted."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from begegnungsatlas.atlas.models import AreaLevel
from begegnungsatlas.core.jobs import Job
from begegnungsatlas.core.models import AuditEvent
from begegnungsatlas.sozialraum.models import EditStep, Proposal, SozialraumLevel
from begegnungsatlas.sozialraum.services.layout import layout_of
from tests.conftest import login_redirect


def _propose_form(dueren: dict[str, Any], **kw: Any) -> dict[str, Any]:
    return {"name": "Dichte", "base_level": dueren["kommune"].pk, "indicators": [dueren["density"].slug],
            "weights": "", "period": dueren["period"], "method": "maxp",
            "population_indicator": dueren["population"].slug, "min_population": 40000, **kw}


def test_planner_proposes_in_the_background_and_sees_the_quality(client, planner, dueren,
                                                                 django_capture_on_commit_callbacks):
    client.force_login(planner)
    assert client.get(reverse("sozialraum:propose")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(reverse("sozialraum:propose"), _propose_form(dueren))
    assert resp.status_code == 302
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    job = Job.objects.get()
    assert job.status == "done", job.message
    proposal = Proposal.objects.get()
    assert job.result_url == reverse("sozialraum:proposal", args=[proposal.pk])
    html = client.get(job.result_url).content.decode()
    assert "Güte des Vorschlags" in html
    assert "Kompaktheit" in html
    # a second proposal (Ward) and the comparison
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("sozialraum:propose"), _propose_form(dueren, name="Ward", method="ward", n_regions=3,
                                                                 min_population=""))
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    a, b = Proposal.objects.order_by("pk")
    html = client.get(reverse("sozialraum:proposal_compare") + f"?a={a.pk}&b={b.pk}").content.decode()
    assert "Rand-Index" in html
    assert "Ward" in html


def test_a_failing_proposal_says_why_in_german(client, planner, dueren, django_capture_on_commit_callbacks):
    client.force_login(planner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("sozialraum:propose"), _propose_form(dueren, min_population=50_000_000))
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    job = Job.objects.get()
    assert job.status == "failed"
    assert "nicht erreichbar" in job.message
    assert not Proposal.objects.exists()


def test_edit_page_move_check_undo_and_adopt(client, planner, draft):
    client.force_login(planner)
    draft.min_population = 1
    draft.save()
    url = reverse("sozialraum:level", args=[draft.pk])
    html = client.get(url).content.decode()
    assert "In Nachbar-Sozialraum verschieben" in html
    assert 'id="sr-map"' in html
    from tests.sozialraum.test_services import _neighbour_move

    unit, source, target = _neighbour_move(draft)
    edit_url = reverse("sozialraum:level_edit", args=[draft.pk])
    check = client.post(edit_url, {"action": "move", "unit": unit, "target": target, "check": "1"})
    assert check.status_code == 200
    assert "Prüfung bestanden" in check.content.decode()
    assert not EditStep.objects.exists()  # the check writes nothing
    client.post(edit_url, {"action": "move", "unit": unit, "target": target})
    assert unit in next(p.units for p in layout_of(draft.level) if p.code == target)
    # a move to a Sozialraum that is not a neighbour is refused with a German message
    far = next((p.code for p in layout_of(draft.level) if p.code not in (source, target)), None)
    if far is not None:
        bad = client.post(edit_url, {"action": "move", "unit": unit, "target": far, "check": "1"}).content.decode()
        assert "grenzt nicht an" in bad or "Prüfung bestanden" in bad
    client.post(reverse("sozialraum:level_undo", args=[draft.pk]))
    assert unit in next(p.units for p in layout_of(draft.level) if p.code == source)
    resp = client.post(reverse("sozialraum:level_adopt", args=[draft.pk]), {"adopted_on": "2026-11-30"})
    assert resp.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "adopted"
    assert str(draft.adopted_on) == "2026-11-30"
    assert AuditEvent.objects.filter(action="sozialraum.adopt").exists()


def test_public_sees_adopted_levels_only_and_cannot_edit(client, make_user, planner, draft):
    level = draft.level
    area = level.areas.first()
    for who in (None, make_user("none", username="x"), make_user("editor", username="y", kommune_code=None)):
        client.logout()
        if who is not None:
            client.force_login(who)

        def refused(response: Any, anonymous: bool = who is None) -> bool:
            # Anonymous visitors are asked to sign in, signed-in people get the reason (403).
            return login_redirect(response) if anonymous else response.status_code == 403

        assert refused(client.get(reverse("sozialraum:level", args=[draft.pk])))
        assert refused(client.get(reverse("sozialraum:level_geojson", args=[draft.pk])))
        assert refused(client.get(reverse("atlas:area", args=[area.pk])))
        assert refused(client.get(reverse("atlas:geometry", args=[level.pk])))
        assert level.slug not in client.get(reverse("atlas:map") + "?region=kreis-dueren").content.decode()
        assert client.post(reverse("sozialraum:level_edit", args=[draft.pk]),
                           {"action": "rename", "code": "SR01", "name": "x"}).status_code in (302, 403)
        assert client.get(reverse("sozialraum:propose")).status_code in (302, 403)
        assert client.post(reverse("sozialraum:level_adopt", args=[draft.pk]),
                           {"adopted_on": "2026-01-01"}).status_code in (302, 403)
    assert not EditStep.objects.exists()
    import datetime as dt

    from begegnungsatlas.sozialraum.services.versions import sozialraum_adopt

    sozialraum_adopt(sr=draft, adopted_on=dt.date(2026, 11, 30), actor=planner)
    client.logout()
    assert client.get(reverse("sozialraum:level", args=[draft.pk])).status_code == 200
    assert client.get(reverse("atlas:area", args=[area.pk])).status_code == 200
    page = client.get(reverse("atlas:map") + f"?region=kreis-dueren&ebene={level.slug}"
                      f"&indikator={draft.population_indicator.slug}").content.decode()
    assert level.name in page
    values = client.get(reverse("atlas:values") + f"?region=kreis-dueren&ebene={level.slug}"
                        f"&indikator=einwohner_zensus2022&periode=2022-05-15").json()
    assert values["level"] == level.pk
    assert client.get(reverse("sozialraum:index")).status_code == 200
    assert AreaLevel.objects.filter(pk=level.pk, is_draft=False).exists()
    assert SozialraumLevel.objects.get(pk=draft.pk).status == "adopted"


@pytest.mark.parametrize("route", ["sozialraum:proposal", "sozialraum:proposal_adopt"])
def test_proposals_are_for_planners_only(client, make_user, proposal, route):
    client.force_login(make_user("none", username="z"))
    assert client.get(reverse(route, args=[proposal.pk])).status_code in (403, 405)
    assert client.post(reverse(route, args=[proposal.pk]), {"series": "x"}).status_code in (403, 405)
    assert not SozialraumLevel.objects.exists()


def test_report_job_makes_a_pdf_the_planner_downloads(client, planner, make_user, draft, dueren,
                                                       django_capture_on_commit_callbacks):
    from begegnungsatlas.sozialraum.models import Report

    client.force_login(planner)
    url = reverse("sozialraum:report_create", args=[draft.pk])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(url, {"kind": "datencheck", "title": "Datencheck 2022",
                                 "indicators": [dueren["population"].slug], "period_from": "2022-05-15",
                                 "period_to": "2022-05-15"})
    assert resp.status_code == 302
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    job = Job.objects.get()
    assert job.status == "done", job.message
    report = Report.objects.get()
    pdf = client.get(job.result_url)
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content if pdf.streaming else [pdf.content]).startswith(b"%PDF-")
    client.force_login(make_user("none", username="nope"))
    assert client.get(reverse("sozialraum:report", args=[report.pk])).status_code == 403


def test_nav_and_dashboard_link_to_the_sozialraum_pages(client, planner):
    client.force_login(planner)
    html = client.get(reverse("web:dashboard")).content.decode()
    assert html.count(f'href="{reverse("sozialraum:index")}"') >= 2  # main navigation and dashboard
