"""Data for PDFs and e-mails: the application copy, decision notices, the cooperation contract.

Builds plain dicts for ``reports.render_pdf`` and sends mail through Django's mail API.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from begegnungsatlas.core import installation
from begegnungsatlas.places.models import OrganisationKind
from begegnungsatlas.reports import render_pdf

from .models import ActorStatus, Application, ApplicationRevision, Contract, Decision, PlaceMode
from .money import format_eur
from .rules import local

F = TypeVar("F", bound=Callable[..., Any])


def _in_german(func: F) -> F:
    """Letters, notices, contracts and frozen revisions are official German documents, whatever UI language
    the person who triggered them uses (a fresh ``override`` per call, so it is thread-safe and nestable)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with translation.override("de"):
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


@_in_german
def application_data(application: Application) -> dict[str, Any]:
    """The applicant's content as a JSON-serialisable dict (what a revision freezes)."""
    return {
        "title": application.title,
        "place_mode": application.place_mode,
        "place_id": application.place_id,
        "place": application.place.name if application.place else "",
        "location": application.location,
        "concept": application.concept,
        "target_groups": [str(t) for t in application.target_groups.all()],
        "target_groups_note": application.target_groups_note,
        "staff_hours_per_week": application.staff_hours_per_week,
        "own_funds_cents": application.own_funds_cents,
        "volunteers": application.volunteers,
        "organisation_note": application.organisation_note,
        "contact_name": application.contact_name,
        "contact_email": application.contact_email,
        "contact_phone": application.contact_phone,
        "actors": [
            {"name": a.name, "kind": a.kind, "status": a.status, "role": a.role} for a in application.actors.all()
        ],
        "attachments": [d.original_name for d in application.attachments.all()],
    }


def _dash(value: Any) -> str:
    return "–" if value in (None, "") else str(value)


@_in_german
def application_pdf(application: Application, revision: ApplicationRevision | None = None) -> bytes:
    """The PDF copy of a submitted revision (default: the latest), or of the current draft."""
    revision = revision or application.revisions.order_by("-number").first()
    content = revision.data if revision else application_data(application)
    kinds = dict(OrganisationKind.choices)
    status = dict(ActorStatus.choices)
    a = {
        "reference": application.reference,
        "revision": str(revision.number) if revision else _("Entwurf"),
        "submitted_at": local(revision.created_at) if revision else "–",
        "submitted_by": revision.created_by.get_username() if revision else "–",
        "kommune": application.kommune.name,
        "partner": _dash(application.partner.name if application.partner else ""),
        "title": _dash(content["title"]),
        "place_mode": str(dict(PlaceMode.choices).get(content["place_mode"], "")),
        "place": _dash(content["place"]),
        "location": _dash(content["location"]),
        "concept": content["concept"],
        "target_groups": content["target_groups"] or ["–"],
        "target_groups_note": content["target_groups_note"],
        "staff_hours": _dash(content["staff_hours_per_week"]) + " " + _("Std./Woche"),
        "own_funds": format_eur(content["own_funds_cents"]) or "–",
        "volunteers": _dash(content["volunteers"]),
        "organisation_note": content["organisation_note"],
        "contact": ", ".join(x for x in (content["contact_name"], content["contact_email"],
                                         content["contact_phone"]) if x),
        "actors": [{"name": x["name"], "kind": str(kinds.get(x["kind"], x["kind"])),
                    "status": str(status.get(x["status"], x["status"])), "role": x["role"]}
                   for x in content["actors"]],
        "attachments": content["attachments"],
    }
    return render_pdf("application", {
        "sender": installation.current().letterhead, "footer": application.reference, "is_example": application.is_example,
        "call_title": application.call.title, "application": a,
    })


@_in_german
def send_receipt(application: Application) -> None:
    """Receipt (Eingangsbestätigung) with the PDF copy of the submitted revision."""
    revision = application.revisions.order_by("-number").first()
    assert revision is not None
    recipients = _recipients(application)
    if not recipients:
        return
    body = _(
        "Guten Tag,\n\nIhre Bewerbung %(ref)s „%(title)s“ zum Aufruf „%(call)s“ ist am %(at)s eingegangen "
        "(Fassung %(n)s). Im Anhang finden Sie eine Kopie der eingereichten Bewerbung als PDF.\n\n"
        "Mit freundlichen Grüßen\n%(sender)s"
    ) % {"ref": application.reference, "title": application.title, "call": application.call.title,
         "at": local(revision.created_at), "n": revision.number, "sender": installation.current().letterhead}
    message = EmailMessage(
        subject=_("Eingangsbestätigung: Bewerbung %(ref)s") % {"ref": application.reference},
        body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=recipients,
    )
    message.attach(f"Bewerbung-{application.reference}-Fassung-{revision.number}.pdf",
                   application_pdf(application, revision), "application/pdf")
    message.send()


def _recipients(application: Application) -> list[str]:
    return sorted(e for e in {application.contact_email, application.created_by.email} if e)


@_in_german
def send_info_request(application: Application, note: str) -> None:
    """"Informationen nachfordern": tells the applicant what is missing and that the application is open again."""
    recipients = _recipients(application)
    if not recipients:
        return
    body = _(
        "Guten Tag,\n\nzu Ihrer Bewerbung %(ref)s „%(title)s“ zum Aufruf „%(call)s“ benötigen wir weitere "
        "Informationen:\n\n%(note)s\n\nBitte ergänzen Sie die Bewerbung und reichen Sie sie erneut ein: "
        "%(url)s\n\nMit freundlichen Grüßen\n%(sender)s"
    ) % {"ref": application.reference, "title": application.title, "call": application.call.title, "note": note,
         "url": reverse("funding:application", args=[application.pk]), "sender": installation.current().letterhead}
    EmailMessage(
        subject=_("Nachforderung zu Ihrer Bewerbung %(ref)s") % {"ref": application.reference},
        body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=recipients,
    ).send()


@_in_german
def notice_pdf(application: Application) -> bytes:
    selected = application.decision == Decision.SELECTED
    call = application.call
    if selected:
        subject = _("Förderzusage: „Ort der Begegnung“ %(title)s") % {"title": application.title}
        paragraphs = [
            _("wir freuen uns, Ihnen mitteilen zu können, dass Ihre Bewerbung %(ref)s zum Aufruf „%(call)s“ "
              "ausgewählt wurde.") % {"ref": application.reference, "call": call.title},
            _("Für Ihren „Ort der Begegnung“ stehen die folgenden nicht-investiven Mittel bereit. Sie werden über "
              "den Kreis abgerechnet; eine Auszahlung an die Kommune erfolgt nicht. Bitte reichen Sie zuvor "
              "eingeholte Angebote und die Rechnungen beim Kreis ein. Bauleistungen, Ausstattung und Einrichtung "
              "sind nicht förderfähig."),
            _("Die Zuständigkeiten, Aufgaben und Pflichten der Beteiligten regelt ein Kooperationsvertrag, den wir "
              "Ihnen gesondert zusenden."),
        ]
        budget = [{"name": line.name, "amount": format_eur(line.amount_cents)} for line in call.budget_lines.all()]
    else:
        subject = _("Ihre Bewerbung %(ref)s zum Aufruf „%(call)s“") % {"ref": application.reference,
                                                                       "call": call.title}
        paragraphs = [
            _("vielen Dank für Ihre Bewerbung „%(title)s“. Leider können wir sie nicht fördern.")
            % {"title": application.title},
            _("Es werden %(n)s „Orte der Begegnung“ gefördert; die Auswahl erfolgte nach den veröffentlichten "
              "Kriterien.") % {"n": call.number_of_grants},
        ]
        budget = []
    return render_pdf("notice", {
        "sender": installation.current().letterhead, "footer": application.reference, "is_example": application.is_example,
        "recipient": [application.kommune.name, _("z. Hd. %(name)s") % {"name": application.contact_name}],
        "place_date": _("%(place)s, den %(date)s") % {"place": installation.current().letter_place,
                                                     "date": timezone.localdate().strftime("%d.%m.%Y")},
        "subject": subject, "salutation": _("Sehr geehrte Damen und Herren,"), "paragraphs": paragraphs,
        "budget": budget, "reason": application.decision_reason or "–", "signature": installation.current().letterhead,
    })


@_in_german
def send_notice(application: Application) -> None:
    recipients = _recipients(application)
    if not recipients:
        return
    message = EmailMessage(
        subject=_("Entscheidung über Ihre Bewerbung %(ref)s") % {"ref": application.reference},
        body=_("Guten Tag,\n\nim Anhang erhalten Sie den Bescheid zu Ihrer Bewerbung %(ref)s „%(title)s“.\n\n"
               "Mit freundlichen Grüßen\n%(sender)s")
        % {"ref": application.reference, "title": application.title, "sender": installation.current().letterhead},
        from_email=settings.DEFAULT_FROM_EMAIL, to=recipients,
    )
    message.attach(f"Bescheid-{application.reference}.pdf", notice_pdf(application), "application/pdf")
    message.send()


@_in_german
def contract_pdf(contract: Contract) -> bytes:
    grant = contract.grant
    application = grant.application
    return render_pdf("contract", {
        "sender": installation.current().letterhead, "footer": application.reference, "is_example": application.is_example,
        "contract": {
            "reference": application.reference, "place": application.title, "call": application.call.title,
            "subject": contract.subject, "starts_on": contract.starts_on.strftime("%d.%m.%Y"),
            "ends_on": contract.ends_on.strftime("%d.%m.%Y"),
            "signature_status": str(contract.get_signature_status_display()),
            "budget": [{"name": line.name, "amount": format_eur(line.amount_cents)} for line in grant.lines.all()],
            "parties": [
                {"name": p.name, "kind": p.kind, "responsibilities": p.responsibilities, "tasks": p.tasks or "–",
                 "duties": p.duties or "–", "signed_on": p.signed_on.strftime("%d.%m.%Y") if p.signed_on else ""}
                for p in contract.parties.all()
            ],
        },
    })
