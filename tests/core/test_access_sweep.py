"""Every route, walked automatically: what is not public must refuse strangers.

The URL resolver is walked so that a new view cannot be added without being covered here. Each route is
requested with real object ids from the demo data (so the permission check runs, not only a 404):

- anonymous visitors may read only the public pages in ``PUBLIC``; everything else answers with a redirect
  to the login page, 403, 404 or 405 — for GET and for POST, and a POST changes nothing;
- a signed-in person without any role gets no more than an anonymous visitor on the protected routes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from begegnungsatlas.core.models import AuditEvent

PUBLIC = {
    "web:home", "web:data_sources", "set_language", "login", "logout",
    "password_reset", "password_reset_done", "password_reset_confirm", "password_reset_complete", "healthz",
    "places:map", "places:points", "places:outlines", "places:context", "places:detail", "places:suggest", "places:suggest_thanks",
    "atlas:index", "atlas:map", "atlas:values", "atlas:places", "atlas:map_export", "atlas:geometry", "atlas:area",
    "atlas:compare", "atlas:mss", "atlas:mss_export", "atlas:mss_method", "atlas:method", "atlas:catalogue",
    "atlas:catalogue_export", "atlas:indicator",
    # The list of calls and a published call with its public attachments are public by design.
    "funding:index", "funding:call",
    # Versorgung: everybody sees the published scenarios (and may compare two); running is for planners.
    "gaps:index", "gaps:compare",
    # The published Werkzeugkatalog, its PDF and the Werkstattplan are public; drafts answer 404 there.
    "measures:catalogue", "measures:catalogue_pdf", "measures:plan", "measures:detail",
    # Participation: citizens answer surveys and report problems without an account.
    "participation:index", "participation:privacy", "participation:survey_answer", "participation:survey_thanks",
    "participation:report", "participation:report_thanks", "participation:reports",
    # Results and their export only when the planner released them (404 otherwise); photos only when published.
    "participation:survey_results", "participation:survey_export", "participation:report_photo",
    # Sozialräume: the list of adopted versions is public; drafts, proposals and edits are for planners.
    "sozialraum:index",
}


def _walk(patterns: list[Any], prefix: str = "", ns: str = "") -> Iterator[tuple[str, str, Any]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            child_ns = f"{ns}:{p.namespace}" if ns and p.namespace else (p.namespace or ns)
            yield from _walk(p.url_patterns, prefix + str(p.pattern), child_ns)
        elif isinstance(p, URLPattern):
            name = f"{ns}:{p.name}" if ns else (p.name or "")
            yield name, prefix + str(p.pattern), p


def _protected_routes() -> list[tuple[str, str]]:
    return [
        (name, route) for name, route, _p in _walk(get_resolver().url_patterns)
        if not route.startswith("verwaltung/") and not route.startswith("api/") and name not in PUBLIC
    ]


@pytest.fixture
def demo_objects(db: Any, planner: Any) -> dict[str, str]:
    from begegnungsatlas.atlas import demo as atlas_demo
    from begegnungsatlas.atlas.models import Area, Indicator
    from begegnungsatlas.funding import demo as funding_demo
    from begegnungsatlas.funding.models import Application, Document, Grant, ReviewAssignment, Voucher
    from begegnungsatlas.measures import demo as measures_demo
    from begegnungsatlas.measures.models import Handlungsfeld, Werkzeugblatt
    from begegnungsatlas.places.models import Suggestion
    from begegnungsatlas.places.services.places import place_create

    atlas_demo.indicators_dortmund(out=lambda *_a: None)
    funding_demo.load(out=lambda *_a: None)
    measures_demo.load(out=lambda *_a: None)
    from begegnungsatlas.participation import demo as participation_demo
    from begegnungsatlas.participation.models import Report, Survey

    participation_demo.load(out=lambda *_a: None)
    survey, report = Survey.objects.first(), Report.objects.first()
    assert survey is not None
    assert report is not None
    planned = Werkzeugblatt.objects.select_related("measure").first()
    assert planned is not None
    place = place_create(actor=planner, data={"name": "Treff", "lon": 7.4653, "lat": 51.5136})
    suggestion = Suggestion.objects.create(kind="new_place", name="Vorschlag")
    application = Application.objects.exclude(grant=None).first() or Application.objects.first()
    grant = Grant.objects.first()
    voucher = Voucher.objects.first()
    document = Document.objects.filter(call=None).first()
    assignment = ReviewAssignment.objects.first()
    from begegnungsatlas.atlas.models import AreaLevel, Region
    from begegnungsatlas.gaps.services.analysis import GapInputs
    from begegnungsatlas.gaps.services.population import zensus2011_import
    from begegnungsatlas.gaps.services.scenarios import scenario_save

    # A real (unpublished) scenario through the service, so every page renders what planners really get.
    place_create(actor=planner, data={"name": "Seniorentreff Düren", "lon": 6.4830, "lat": 50.8035},
                 target_groups=["senioren"])
    grid = zensus2011_import(region=Region.objects.get(slug="kreis-dueren")).grid
    scenario = scenario_save(name="intern", actor=planner, inputs=GapInputs(
        grid=grid, group="ab65", method="coverage", radius=2000.0,
        level=AreaLevel.objects.get(region=grid.region, slug="kommune"), place_groups=("senioren",)))
    from begegnungsatlas.sozialraum.demo import load as sozialraum_load
    from begegnungsatlas.sozialraum.models import Proposal, SozialraumLevel

    atlas_demo.indicators_kreis_dueren(out=lambda *_a: None)
    sozialraum_load(out=lambda *_a: None)
    sr_draft = SozialraumLevel.objects.get(status="draft")
    sr_proposal = Proposal.objects.first()
    from begegnungsatlas.sozialraum.models import Report

    sr_report = Report.objects.create(sozialraum=sr_draft, kind="datencheck", title="t", pdf=b"%PDF-")
    for obj in (application, grant, voucher, document, assignment, sr_proposal):
        assert obj is not None
    values = {
        "pk": str(place.pk), "token": "abc", "uidb64": "MQ", "level_id": str(Area.objects.first().level_id),
        "area_id": str(Area.objects.first().pk), "slug": Indicator.objects.first().slug, "fmt": "csv",
        "call_pk": str(application.call_id), "document_pk": str(document.pk), "number": "1",
        "action": "approve", "kind": "applications", "layer": "kitas",
    }
    by_name = {
        "places:moderation_detail": {"pk": str(suggestion.pk)},
        "funding:application": {"pk": str(application.pk)}, "funding:application_edit": {"pk": str(application.pk)},
        "funding:application_attach": {"pk": str(application.pk)},
        "funding:application_transition": {"pk": str(application.pk)},
        "funding:application_screen": {"pk": str(application.pk)},
        "funding:application_assign": {"pk": str(application.pk)},
        "funding:application_pdf": {"pk": str(application.pk)}, "funding:revision_pdf": {"pk": str(application.pk)},
        "funding:review": {"pk": str(assignment.pk)}, "funding:conflict": {"pk": str(assignment.pk)},
        "funding:grant": {"pk": str(grant.pk)}, "funding:voucher_upload": {"pk": str(grant.pk)},
        "funding:contract_edit": {"pk": str(grant.pk)}, "funding:contract_pdf": {"pk": str(grant.pk)},
        "funding:voucher_action": {"pk": str(voucher.pk)}, "funding:document": {"pk": str(document.pk)},
        "funding:call_edit": {"pk": str(application.call_id)}, "funding:call_setup": {"pk": str(application.call_id)},
        "funding:call_attachment_add": {"pk": str(application.call_id)},
        "funding:call_attachment_delete": {"pk": str(application.call_id)},
        "funding:call_status": {"pk": str(application.call_id)},
        "funding:call_extension": {"pk": str(application.call_id)},
        "funding:selection": {"pk": str(application.call_id)},
        "gaps:scenario": {"pk": str(scenario.pk)}, "gaps:scenario_publish": {"pk": str(scenario.pk)},
        "gaps:scenario_export": {"pk": str(scenario.pk)}, "gaps:scenario_pdf": {"pk": str(scenario.pk)},
        **{f"measures:{n}": {"pk": str(planned.measure_id)}
           for n in ("edit", "sheet", "step_add", "step_done", "note_add")},
        "measures:field_edit": {"pk": str(Handlungsfeld.objects.first().pk)},
        **{f"participation:{n}": {"pk": str(survey.pk)}
           for n in ("survey_edit", "survey_publish", "survey_to_atlas")},
        "participation:moderation_detail": {"pk": str(report.pk)},
        **{name: {"pk": str(sr_draft.pk)} for name in (
            "sozialraum:level", "sozialraum:level_geojson", "sozialraum:level_edit", "sozialraum:level_undo",
            "sozialraum:level_adopt", "sozialraum:level_new_version", "sozialraum:report_create")},
        "sozialraum:report": {"pk": str(sr_report.pk)},
        "sozialraum:proposal": {"pk": str(sr_proposal.pk)}, "sozialraum:proposal_adopt": {"pk": str(sr_proposal.pk)},
    }
    return {"__values__": values, "__by_name__": by_name}  # type: ignore[dict-item]


def _url(name: str, route: str, objs: dict[str, Any]) -> str:
    import re

    values = {**objs["__values__"], **objs["__by_name__"].get(name, {})}
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], route)


def _refused(response: Any) -> bool:
    if response.status_code in (302, 303):
        return "/anmelden/" in response["Location"]
    return response.status_code in (401, 403, 404, 405)


def test_the_sweep_covers_the_protected_areas():
    names = {name for name, _route in _protected_routes()}
    for expected in ("web:dashboard", "places:moderation", "places:edit", "places_import:upload", "atlas:import",
                     "funding:application", "funding:grant", "funding:audit", "funding:export",
                     "gaps:scenario", "gaps:scenario_create", "gaps:grid_upload",
                     "measures:edit", "measures:sheet", "measures:note_add", "participation:surveys",
                     "participation:moderation_detail", "participation:counts_to_atlas",
                     "sozialraum:propose", "sozialraum:level_edit", "sozialraum:level_adopt"):
        assert expected in names


def test_anonymous_visitors_are_refused_everywhere_that_is_not_public(client, demo_objects):
    events_before = AuditEvent.objects.count()
    failures = []
    for name, route in _protected_routes():
        url = _url(name, route, demo_objects)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if not _refused(response):
                failures.append(f"{method.upper()} {url} ({name}) -> {response.status_code}")
    assert not failures, failures
    assert AuditEvent.objects.count() == events_before


def test_a_signed_in_person_without_a_role_is_refused_too(client, make_user, demo_objects):
    client.force_login(make_user("none", username="nobody"))
    events_before = AuditEvent.objects.count()
    allowed_for_everyone = {"web:dashboard", "logout", "funding:apply", "password_change", "password_change_done"}
    failures = []
    for name, route in _protected_routes():
        if name in allowed_for_everyone:
            continue
        url = _url(name, route, demo_objects)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if response.status_code not in (403, 404, 405):
                failures.append(f"{method.upper()} {url} ({name}) -> {response.status_code}")
    assert not failures, failures
    assert AuditEvent.objects.count() == events_before


def test_every_html_page_has_the_content_security_policy_and_no_inline_script(client, make_user, demo_objects):
    import re

    client.force_login(make_user("planner", username="chefin", is_superuser=True, is_staff=True))
    routes = [(name, route) for name, route, _p in _walk(get_resolver().url_patterns)
              if not route.startswith(("verwaltung/", "api/")) and name != "logout"]
    routes += [("admin", "verwaltung/"), ("admin-users", "verwaltung/core/user/"), ("missing", "gibt-es-nicht/")]
    html_pages, failures = 0, []
    for name, route in routes:
        response = client.get(_url(name, route, demo_objects))
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        html_pages += 1
        policy = response.get("Content-Security-Policy", "")
        script_src = next((d for d in policy.split(";") if d.strip().startswith("script-src")), "")
        if script_src.strip() != "script-src 'self'":
            failures.append(f"{route} ({name}): CSP {policy!r}")
        body = response.content.decode()
        for tag in re.findall(r"<script\b[^>]*>", body):
            if "src=" not in tag and 'type="application/json"' not in tag:
                failures.append(f"{route} ({name}): inline {tag}")
    assert html_pages > 40
    assert not failures, failures
