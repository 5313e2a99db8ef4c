"""Catalogue, detail, Werkstattplan, PDF and the edit pages, with role denials."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.urls import reverse

from begegnungsatlas.measures.models import Measure, ProgressNote, Step

from .conftest import JUELICH, measure_titles


def test_catalogue_lists_published_measures_grouped_by_field(client, catalogue):
    response = client.get(reverse("measures:catalogue"))
    assert response.status_code == 200
    assert measure_titles(response) == {"Lernpatenschaften", "Wohnberatung"}
    assert [f.slug for f, _ms in response.context["groups"]] == ["bildung", "wohnen"]
    assert "Lernen vor Ort" in response.content.decode()


def test_catalogue_filters(client, catalogue):
    url = reverse("measures:catalogue")
    assert measure_titles(client.get(url, {"feld": "wohnen"})) == {"Wohnberatung"}
    assert measure_titles(client.get(url, {"art": "existing"})) == {"Wohnberatung"}
    assert measure_titles(client.get(url, {"zielgruppe": "senioren"})) == {"Lernpatenschaften"}
    assert measure_titles(client.get(url, {"gebiet": catalogue["dueren"].pk})) == {"Lernpatenschaften"}
    assert measure_titles(client.get(url, {"q": "beratung"})) == {"Wohnberatung"}


def test_catalogue_bad_filter_is_a_400_with_the_form(client, catalogue):
    response = client.get(reverse("measures:catalogue"), {"art": "lila"})
    assert response.status_code == 400
    assert response.context["form"].errors["art"]


def test_the_planner_sees_drafts_the_public_does_not(client, catalogue, planner):
    draft = catalogue["draft"]
    assert client.get(reverse("measures:detail", args=[draft.pk])).status_code == 404
    client.force_login(planner)
    assert "Geheimer Entwurf" in measure_titles(client.get(reverse("measures:catalogue")))
    assert client.get(reverse("measures:detail", args=[draft.pk])).status_code == 200


def test_detail_shows_sheet_but_notes_only_to_partners(client, catalogue, planner, editor_dueren):
    m = catalogue["published"]
    ProgressNote.objects.create(sheet=m.sheet, author=planner, author_label="planner", text="interne Notiz")
    page = client.get(reverse("measures:detail", args=[m.pk])).content.decode()
    assert "Auftakt" in page
    assert "12.500,00 €" in page
    assert "interne Notiz" not in page
    client.force_login(editor_dueren)
    page = client.get(reverse("measures:detail", args=[m.pk])).content.decode()
    assert "interne Notiz" in page
    assert reverse("measures:note_add", args=[m.pk]) in page


def test_werkstattplan_timeline_and_table(client, catalogue):
    response = client.get(reverse("measures:plan"))
    assert response.status_code == 200
    timeline = response.context["timeline"]
    assert [r.measure.title for r in timeline.rows] == ["Lernpatenschaften"]
    assert timeline.start == date(2025, 1, 1)
    assert timeline.end == date(2026, 12, 31)
    row = timeline.rows[0]
    assert row.span.x == 0.0
    assert 0 < row.span.width < 100
    assert {v: (n, cost) for v, _l, n, cost in timeline.status_counts}["active"] == (1, "12.500,00 €")
    assert timeline.cost_total == "12.500,00 €"
    page = response.content.decode()
    # SVG coordinates are plain numbers in every UI language (no decimal comma)
    import re

    xs = re.findall(r'<rect class="tl-[^"]*" x="([^"]*)%" width="([^"]*)%"', page)
    assert xs
    assert all(float(x) >= 0 and 0 < float(w) <= 100 for x, w in xs)
    assert "<svg" in page
    assert "<table" in page
    assert "01.01.2025" in page


def test_catalogue_pdf(client, catalogue):
    response = client.get(reverse("measures:catalogue_pdf"), {"feld": "bildung"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_planner_creates_a_measure_through_the_form(client, catalogue, planner):
    client.force_login(planner)
    response = client.post(reverse("measures:create"), {
        "handlungsfeld": catalogue["bildung"].pk, "number": "B-02", "title": "Lesepaten", "kind": "new",
        "description": "", "responsible_office": "", "target_groups": [catalogue["seniors"].pk],
        "partner_kommunen": [catalogue["dueren"].pk], "is_published": "on",
        "links-TOTAL_FORMS": "2", "links-INITIAL_FORMS": "0", "links-MIN_NUM_FORMS": "0", "links-MAX_NUM_FORMS": "20",
        "links-0-title": "Projekt", "links-0-url": "https://example.org/lesen", "links-1-title": "", "links-1-url": "",
    })
    m = Measure.objects.get(title="Lesepaten")
    assert response.status_code == 302
    assert [link.title for link in m.links.all()] == ["Projekt"]
    assert list(m.partner_kommunen.all()) == [catalogue["dueren"]]


def test_planner_edits_the_sheet_through_formsets(client, catalogue, planner):
    client.force_login(planner)
    m = catalogue["other"]
    data = {"goals": "Beratung ausbauen", "resources": "", "status": "planned",
            "costs-TOTAL_FORMS": "2", "costs-INITIAL_FORMS": "0", "costs-MIN_NUM_FORMS": "0",
            "costs-MAX_NUM_FORMS": "50", "costs-0-item": "Honorar Moderation", "costs-0-kind": "fees",
            "costs-0-amount": "1000,50", "costs-0-note": "zwei Abende", "costs-1-item": "", "costs-1-kind": "other",
            "costs-1-amount": "", "costs-1-note": "",
            "steps-TOTAL_FORMS": "2", "steps-INITIAL_FORMS": "0", "steps-MIN_NUM_FORMS": "0",
            "steps-MAX_NUM_FORMS": "100",
            "steps-0-title": "Start", "steps-0-owner": "Amt", "steps-0-start": "2025-01-01",
            "steps-0-end": "2025-02-01", "steps-1-title": "", "steps-1-start": "", "steps-1-end": "",
            "ind-TOTAL_FORMS": "1", "ind-INITIAL_FORMS": "0", "ind-MIN_NUM_FORMS": "0", "ind-MAX_NUM_FORMS": "30",
            "ind-0-description": "", "ind-0-target": ""}
    response = client.post(reverse("measures:sheet", args=[m.pk]), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    m.refresh_from_db()
    assert [(c.item, c.kind, c.amount, c.note) for c in m.sheet.cost_lines.all()] == [
        ("Honorar Moderation", "fees", Decimal("1000.50"), "zwei Abende")]
    negative = client.post(reverse("measures:sheet", args=[m.pk]), data | {"costs-0-amount": "-5"})
    assert negative.status_code == 400
    assert m.sheet.cost_lines.get().amount == Decimal("1000.50")
    assert [s.title for s in m.sheet.steps.all()] == ["Start"]
    bad = data | {"steps-0-end": "2024-01-01"}
    response = client.post(reverse("measures:sheet", args=[m.pk]), bad)
    assert response.status_code == 400
    assert "Das Ende liegt vor dem Beginn." in response.content.decode()
    assert Step.objects.get(sheet=m.sheet).end == date(2025, 2, 1)


def test_edit_pages_refuse_non_planners(client, catalogue, editor_dueren):
    m = catalogue["published"]
    for name in ("measures:edit", "measures:sheet"):
        assert client.get(reverse(name, args=[m.pk])).status_code == 302  # anonymous → login
    client.force_login(editor_dueren)
    for name in ("measures:edit", "measures:sheet"):
        assert client.get(reverse(name, args=[m.pk])).status_code == 403
        assert client.post(reverse(name, args=[m.pk]), {"title": "gekapert"}).status_code == 403
    assert client.get(reverse("measures:create")).status_code == 403
    assert client.get(reverse("measures:field_edit", args=[catalogue["bildung"].pk])).status_code == 403
    assert Measure.objects.get(pk=m.pk).title == "Lernpatenschaften"


def test_partner_adds_a_step_non_partner_is_refused(client, catalogue, editor_dueren, make_user):
    m = catalogue["published"]
    client.force_login(editor_dueren)
    response = client.post(reverse("measures:step_add", args=[m.pk]), {
        "step-title": "Elternabend", "step-owner": "Stadt", "step-start": "2025-05-01", "step-end": "2025-05-01"})
    assert response.status_code == 302
    assert m.sheet.steps.filter(title="Elternabend").exists()
    client.force_login(make_user("kommune_editor", kommune_code=JUELICH))
    response = client.post(reverse("measures:note_add", args=[m.pk]), {"note-text": "fremd"})
    assert response.status_code == 403
    step = m.sheet.steps.first()
    assert client.post(reverse("measures:step_done", args=[m.pk]), {"step": step.pk, "done": "on"}).status_code == 403
    assert not ProgressNote.objects.exists()


def test_mine_lists_partner_measures(client, catalogue, operator, make_user):
    client.force_login(operator)
    response = client.get(reverse("measures:mine"))
    assert [m.title for m in response.context["measures"]] == ["Lernpatenschaften"]
    client.force_login(make_user("reviewer"))
    assert client.get(reverse("measures:mine")).status_code == 403


def test_catalogue_queries_do_not_grow_with_the_number_of_measures(client, catalogue, planner,
                                                                     django_assert_max_num_queries):
    from begegnungsatlas.measures.services import measure_save

    url = reverse("measures:catalogue")
    client.get(url)
    for i in range(15):
        measure_save(actor=planner, data={"handlungsfeld": catalogue["bildung"], "title": f"Extra {i}",
                                          "kind": "new", "is_published": True})
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert len(measure_titles(response)) == 17


def test_werkstattplan_marks_today_on_the_axis(client, catalogue, planner):
    from datetime import timedelta

    from django.utils import timezone

    from begegnungsatlas.measures.services import SheetPlan, sheet_save

    today = timezone.localdate()
    sheet_save(actor=planner, measure=catalogue["other"], data={"status": "active"}, plan=SheetPlan(
        steps=[{"title": "jetzt", "start": today - timedelta(days=10), "end": today + timedelta(days=10)}]))
    timeline = client.get(reverse("measures:plan")).context["timeline"]
    assert timeline.today_x is not None
    assert 0 < timeline.today_x < 100


def test_sheet_shows_cost_lines_with_total_and_the_pdf_lists_them(client, catalogue):
    from begegnungsatlas.measures.catalogue_pdf import _measure

    page = client.get(reverse("measures:detail", args=[catalogue["published"].pk])).content.decode()
    assert "Ressourcen und Kosten" in page
    for text in ("Lernmaterial", "Bücher", "2.500,00 €"):
        assert text in page
    assert "12.500,00 €" in page  # the total
    measure = Measure.objects.select_related("sheet").get(pk=catalogue["published"].pk)
    assert _measure(measure)["plan"] == "in Umsetzung, Kosten 12.500,00 €"
    assert _measure(catalogue["other"])["plan"] == ""
