"""Call set-up in the browser layer: budget lines, cost types, criteria, scale and attachments (planners only)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from begegnungsatlas.atlas.models import Region
from begegnungsatlas.core.models import AuditEvent
from begegnungsatlas.funding.errors import FundingError
from begegnungsatlas.funding.models import Call, CallStatus, Document
from begegnungsatlas.funding.services.applications import application_transition
from begegnungsatlas.funding.services.calls import (
    BudgetLineInput,
    CriterionInput,
    call_set_status,
    call_setup_update,
)
from begegnungsatlas.funding.workflow import State
from tests.conftest import login_redirect

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def storage(settings: Any, tmp_path: Path) -> Path:
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    return tmp_path


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def formset(prefix: str, rows: list[dict[str, Any]], *, initial: int = 0) -> dict[str, Any]:
    data: dict[str, Any] = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(initial),
                            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{i}-{key}"] = value
    return data


def setup_post(lines: list[dict[str, Any]], criteria: list[dict[str, Any]], *, ineligible: str = "",
               scale_max: str = "5", initial_lines: int = 0, initial_criteria: int = 0) -> dict[str, Any]:
    return {"ineligible": ineligible, "scale_max": scale_max,
            **formset("lines", lines, initial=initial_lines), **formset("criteria", criteria, initial=initial_criteria)}


def new_call(client: Any) -> Call:
    data = {"title": "Orte der Begegnung 2026", "text": "Aufruftext", "eligibility": "Kommunen im Kreis Düren",
            "opens_at": "2026-01-05T00:00", "deadline": "2026-03-31T23:59:59", "number_of_grants": "2",
            "start_empty": "on", "region": Region.objects.get(slug="kreis-dueren").pk}
    response = client.post(reverse("funding:call_create"), data)
    call = Call.objects.get(title="Orte der Begegnung 2026")
    assert response.status_code == 302
    assert response["Location"] == reverse("funding:call_setup", args=[call.pk])
    assert not call.budget_lines.exists()
    assert not call.criteria.exists()
    return call


FIRST_SETUP = {
    "lines": [
        {"name": "Sachmittel", "amount": "1.500,00", "cost_types": "Öffentlichkeitsarbeit\nVeranstaltungen\n",
         "ORDER": "1"},
        {"name": "Beratungsleistungen", "amount": "3500", "cost_types": "Moderation\r\nProzessbegleitung",
         "ORDER": "2"},
    ],
    "criteria": [
        {"name": "Verteilung im Kreisgebiet", "description": "Räumliche Streuung", "weight": "2",
         "is_spatial": "on", "ORDER": "1"},
        {"name": "Beteiligte Akteur:innen", "description": "", "weight": "3", "ORDER": "2"},
        {"name": "Zielgruppen", "description": "Für wen?", "weight": "1", "ORDER": "3"},
    ],
}


def test_planner_creates_and_edits_the_set_up(client: Any, office: Any) -> None:
    client.force_login(office)
    call = new_call(client)
    url = reverse("funding:call_setup", args=[call.pk])
    page = client.get(url).content.decode()
    assert "Haushaltspositionen je Förderung" in page
    assert 'name="lines-0-amount"' in page

    response = client.post(url, setup_post(FIRST_SETUP["lines"], FIRST_SETUP["criteria"],
                                           ineligible="Bauleistungen\nAusstattung\nEinrichtung", scale_max="4"))
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.scale_max == 4
    lines = list(call.budget_lines.all())
    assert [(line.name, line.amount_cents) for line in lines] == [("Sachmittel", 150000),
                                                                   ("Beratungsleistungen", 350000)]
    assert [c.name for c in lines[1].cost_types.all()] == ["Moderation", "Prozessbegleitung"]
    assert sorted(c.name for c in call.cost_types.filter(eligible=False)) == ["Ausstattung", "Bauleistungen",
                                                                             "Einrichtung"]
    assert not call.cost_types.filter(eligible=False, budget_line__isnull=False).exists()
    criteria = list(call.criteria.all())
    assert [(c.name, c.weight, c.is_spatial) for c in criteria] == [
        ("Verteilung im Kreisgebiet", 2, True), ("Beteiligte Akteur:innen", 3, False), ("Zielgruppen", 1, False)]
    moderation = call.cost_types.get(name="Moderation")

    # Edit: change an amount, move a cost type, delete a line, reorder, re-weight, delete and add criteria.
    page = client.get(url).content.decode()
    assert 'value="1500,00"' in page
    assert "Bauleistungen\nAusstattung\nEinrichtung" in page
    edit = setup_post(
        [{"id": str(lines[0].pk), "name": "Sachmittel", "amount": "1.800,50", "ORDER": "2",
          "cost_types": "Öffentlichkeitsarbeit\nVeranstaltungen\nModeration"},
         {"id": str(lines[1].pk), "name": "Beratungsleistungen", "amount": "3.500,00", "ORDER": "1",
          "cost_types": "Prozessbegleitung", "DELETE": "on"},
         {"name": "Honorare", "amount": "500", "cost_types": "Honorare für Referent:innen", "ORDER": "1"}],
        [{"id": str(criteria[0].pk), "name": "Verteilung im Kreisgebiet", "weight": "5", "is_spatial": "on",
          "ORDER": "3"},
         {"id": str(criteria[1].pk), "name": "Beteiligte Akteur:innen", "weight": "3", "ORDER": "1",
          "DELETE": "on"},
         {"id": str(criteria[2].pk), "name": "Zielgruppen", "description": "Für wen genau?", "weight": "1",
          "ORDER": "2"},
         {"name": "Nachhaltigkeit", "description": "Trägt der Ort nach der Förderung?", "weight": "2",
          "ORDER": "1"}],
        ineligible="Bauleistungen\nAusstattung", scale_max="5", initial_lines=2, initial_criteria=3)
    response = client.post(url, edit)
    assert response.status_code == 302, response.content.decode()
    call.refresh_from_db()
    assert [(line.name, line.amount_cents) for line in call.budget_lines.all()] == [("Honorare", 50000),
                                                                                    ("Sachmittel", 180050)]
    assert call.budget_lines.get(name="Sachmittel").pk == lines[0].pk
    moved = call.cost_types.get(name="Moderation")
    assert moved.pk == moderation.pk
    assert moved.budget_line_id == lines[0].pk
    assert not call.cost_types.filter(name__in=["Prozessbegleitung", "Einrichtung"]).exists()
    assert [(c.name, c.weight) for c in call.criteria.all()] == [
        ("Nachhaltigkeit", 2), ("Zielgruppen", 1), ("Verteilung im Kreisgebiet", 5)]
    assert call.criteria.get(name="Zielgruppen").description == "Für wen genau?"
    assert call.scale_max == 5
    events = AuditEvent.objects.filter(action="funding.call.setup", object_id=str(call.pk)).order_by("pk")
    assert events.count() == 2
    assert events.last().changes["criteria"][1] == [  # type: ignore[union-attr]
        "Nachhaltigkeit: 2", "Zielgruppen: 1", "Verteilung im Kreisgebiet: 5 (räumlich)"]

    # The public page shows what was set up, and the call can be published.
    call_set_status(actor=office, call=call, status=CallStatus.PUBLISHED)
    client.logout()
    page = client.get(reverse("funding:call", args=[call.pk])).content.decode()
    assert "1.800,50 €" in page
    assert "2.300,50 €" in page
    assert "Nachhaltigkeit" in page


def test_new_call_copies_the_template_unless_asked_not_to(client: Any, office: Any) -> None:
    from begegnungsatlas.funding import demo

    demo.create_seed_call(office)
    client.force_login(office)
    data = {"title": "Mit Vorlage", "text": "T", "eligibility": "K", "opens_at": "2026-01-01T00:00",
            "deadline": "2026-03-01T23:59:59", "number_of_grants": "2",
            "region": Region.objects.get(slug="kreis-dueren").pk}
    client.post(reverse("funding:call_create"), data)
    assert Call.objects.get(title="Mit Vorlage").criteria.count() == 6
    client.post(reverse("funding:call_create"), {**data, "title": "Ohne Vorlage", "start_empty": "on"})
    assert Call.objects.get(title="Ohne Vorlage").criteria.count() == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"lines-0-amount": "1,500.00"}, "mehrdeutig"),
        ({"criteria-0-weight": "0"}, "größer oder gleich 1"),
        ({"criteria-0-DELETE": "on", "criteria-1-DELETE": "on", "criteria-2-DELETE": "on"},
         "mindestens ein Auswahlkriterium"),
        ({"ineligible": "Veranstaltungen"}, "Die Kostenart „Veranstaltungen“ steht mehrfach"),
        ({"lines-1-cost_types": ""}, "Dieses Feld ist zwingend erforderlich"),
        ({"criteria-2-name": "Zielgruppen", "criteria-1-name": "zielgruppen"}, "steht mehrfach"),
    ],
)
def test_bad_set_up_is_refused_in_german_and_nothing_is_saved(client: Any, office: Any, change: dict[str, str],
                                                             message: str) -> None:
    client.force_login(office)
    call = new_call(client)
    data = setup_post(FIRST_SETUP["lines"], FIRST_SETUP["criteria"], ineligible="Bauleistungen")
    data.update(change)
    response = client.post(reverse("funding:call_setup", args=[call.pk]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Es wurde nichts gespeichert" in page
    assert not call.budget_lines.exists()
    assert not call.cost_types.exists()
    assert not call.criteria.exists()


def test_service_validates_weights_and_foreign_rows(office: Any, open_call: Call) -> None:
    call_set_status(actor=office, call=open_call, status=CallStatus.DRAFT)
    lines = [BudgetLineInput(name="Sachmittel", amount_cents=100, cost_types=["A"])]
    with pytest.raises(FundingError, match="Gewicht für „K“: bitte eine ganze Zahl von 1 bis 100"):
        call_setup_update(actor=office, call=open_call, budget_lines=lines, ineligible=[],
                          criteria=[CriterionInput(name="K", weight=-1)], scale_max=5)
    with pytest.raises(FundingError, match="mindestens ein Auswahlkriterium"):
        call_setup_update(actor=office, call=open_call, budget_lines=lines, ineligible=[], criteria=[], scale_max=5)
    other = Call.objects.create(title="Anderer", text="x", eligibility="x", opens_at=open_call.opens_at,
                                deadline=open_call.deadline)
    foreign = other.criteria.create(name="Fremd", weight=1)
    with pytest.raises(FundingError, match="passen nicht zu diesem Aufruf"):
        call_setup_update(actor=office, call=open_call, budget_lines=lines, ineligible=[],
                          criteria=[CriterionInput(name="K", weight=1, pk=foreign.pk)], scale_max=5)
    assert open_call.criteria.count() == 6


def test_set_up_is_frozen_once_published_and_for_good_after_a_submission(
        client: Any, office: Any, open_call: Call, draft: Any, applicant: Any) -> None:
    client.force_login(office)
    url = reverse("funding:call_setup", args=[open_call.pk])
    line = open_call.budget_lines.first()
    assert line is not None
    data = setup_post(
        [{"id": str(line.pk), "name": line.name, "amount": "9.999,00", "cost_types": "Öffentlichkeitsarbeit"}],
        [{"id": str(c.pk), "name": c.name, "weight": "7"} for c in open_call.criteria.all()],
        initial_lines=1, initial_criteria=6)

    # Published, nothing submitted yet: refused, but the office may set the call back to preparation.
    page = client.post(url, data).content.decode()
    assert "Der Aufruf ist veröffentlicht oder geschlossen" in page
    assert "Nur Ansicht." in page
    line.refresh_from_db()
    assert line.amount_cents == 150000

    # After a submission: refused for good, and the call cannot go back to preparation.
    application_transition(actor=applicant, application=draft, to=State.SUBMITTED)
    response = client.post(reverse("funding:call_status", args=[open_call.pk]), {"status": "draft"}, follow=True)
    assert "nicht mehr auf „in Vorbereitung“ zurückgesetzt" in response.content.decode()
    open_call.refresh_from_db()
    assert open_call.status == CallStatus.PUBLISHED
    Call.objects.filter(pk=open_call.pk).update(status=CallStatus.DRAFT)  # even if it were in preparation
    page = client.post(url, data).content.decode()
    assert "bereits Bewerbungen eingereicht" in page
    assert "Es wurde nichts gespeichert" in page
    line.refresh_from_db()
    assert line.amount_cents == 150000
    assert set(open_call.criteria.values_list("weight", flat=True)) == {1}
    assert not AuditEvent.objects.filter(action="funding.call.setup").exists()


def test_published_call_without_submissions_can_be_corrected_after_reset(client: Any, office: Any,
                                                                         open_call: Call) -> None:
    client.force_login(office)
    client.post(reverse("funding:call_status", args=[open_call.pk]), {"status": "draft"})
    open_call.refresh_from_db()
    assert open_call.status == CallStatus.DRAFT
    criteria = list(open_call.criteria.all())
    lines = list(open_call.budget_lines.all())
    data = setup_post(
        [{"id": str(line.pk), "name": line.name, "amount": "2.000,00",
          "cost_types": "\n".join(c.name for c in line.cost_types.all())} for line in lines],
        [{"id": str(c.pk), "name": c.name, "weight": str(i + 1)} for i, c in enumerate(criteria)],
        ineligible="Bauleistungen\nAusstattung\nEinrichtung", initial_lines=len(lines), initial_criteria=6)
    assert client.post(reverse("funding:call_setup", args=[open_call.pk]), data).status_code == 302
    assert open_call.grant_total_cents == 400000
    assert list(open_call.criteria.values_list("weight", flat=True)) == [1, 2, 3, 4, 5, 6]


def test_attachments_upload_list_download_delete(client: Any, office: Any, open_call: Call, storage: Path,
                                                 django_capture_on_commit_callbacks: Any) -> None:
    client.force_login(office)
    add = reverse("funding:call_attachment_add", args=[open_call.pk])
    response = client.post(add, {"title": "Merkblatt", "file": SimpleUploadedFile("merkblatt.pdf", PDF)},
                           follow=True)
    assert "Die Anlage wurde hochgeladen." in response.content.decode()
    document = Document.objects.get(call=open_call)
    assert document.content_type == "application/pdf"
    assert len(stored_files(storage)) == 1
    assert AuditEvent.objects.filter(action="funding.call.attachment.add", object_id=str(open_call.pk)).exists()
    page = client.get(reverse("funding:call", args=[open_call.pk])).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert reverse("funding:call_attachment_delete", args=[open_call.pk, document.pk]) in page

    # A PNG that calls itself PDF is refused by its content; nothing is stored.
    response = client.post(add, {"file": SimpleUploadedFile("falsch.pdf", PNG, content_type="application/pdf")},
                           follow=True)
    assert "„falsch.pdf“ ist keine PDF-Datei" in response.content.decode()
    assert Document.objects.filter(call=open_call).count() == 1
    assert len(stored_files(storage)) == 1

    # Published call: everyone (also anonymous) sees and downloads the attachment.
    client.logout()
    page = client.get(reverse("funding:call", args=[open_call.pk])).content.decode()
    assert "Merkblatt" in page
    download = client.get(reverse("funding:document", args=[document.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]

    client.force_login(office)
    delete = reverse("funding:call_attachment_delete", args=[open_call.pk, document.pk])
    confirm = client.post(delete).content.decode()  # irreversible: a confirmation step first
    assert "Ja, Anlage löschen" in confirm
    assert Document.objects.filter(pk=document.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(delete, {"confirm": "1"}, follow=True)
    assert "wurde gelöscht" in response.content.decode()
    assert not Document.objects.filter(pk=document.pk).exists()
    assert stored_files(storage) == []
    assert AuditEvent.objects.filter(action="funding.call.attachment.delete").exists()


def test_attachment_size_limit(client: Any, office: Any, open_call: Call, storage: Path, settings: Any) -> None:
    settings.BEGEGNUNGSATLAS_MAX_DOCUMENT_BYTES = 20
    client.force_login(office)
    response = client.post(reverse("funding:call_attachment_add", args=[open_call.pk]),
                           {"file": SimpleUploadedFile("gross.pdf", PDF)}, follow=True)
    assert "ist zu groß" in response.content.decode()
    assert not Document.objects.exists()
    assert stored_files(storage) == []


def test_draft_call_attachment_is_not_public(client: Any, office: Any, storage: Path) -> None:
    client.force_login(office)
    call = new_call(client)
    client.post(reverse("funding:call_attachment_add", args=[call.pk]),
                {"file": SimpleUploadedFile("entwurf.pdf", PDF)})
    document = Document.objects.get(call=call)
    client.logout()
    assert login_redirect(client.get(reverse("funding:document", args=[document.pk])))


def test_only_planners_set_up_calls(client: Any, open_call: Call, storage: Path, applicant: Any, reviewer: Any,
                                    auditor: Any, office: Any) -> None:
    from begegnungsatlas.funding.services.calls import call_attachment_add

    document = call_attachment_add(actor=office, call=open_call, upload=SimpleUploadedFile("a.pdf", PDF))
    setup = reverse("funding:call_setup", args=[open_call.pk])
    add = reverse("funding:call_attachment_add", args=[open_call.pk])
    delete = reverse("funding:call_attachment_delete", args=[open_call.pk, document.pk])
    data = setup_post(FIRST_SETUP["lines"], FIRST_SETUP["criteria"])

    def attempts() -> list[Any]:
        return [client.get(setup), client.post(setup, data), client.get(reverse("funding:call_create")),
                client.post(add, {"file": SimpleUploadedFile("b.pdf", PDF)}), client.post(delete)]

    for response in attempts():
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    for user in (applicant, reviewer, auditor):
        client.force_login(user)
        for response in attempts():
            assert response.status_code == 403, user.role
        page = client.get(reverse("funding:call", args=[open_call.pk])).content.decode()
        assert "Anlagen verwalten" not in page
    assert Document.objects.filter(call=open_call).count() == 1
    assert open_call.criteria.count() == 6
    assert len(stored_files(storage)) == 1
