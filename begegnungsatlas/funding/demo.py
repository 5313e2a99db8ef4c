"""Demo data for the funding call: the real 2024 call (historical, closed) and one open example call.

The applications are invented (``is_example=True``, labelled "Beispiel" everywhere) and walk through every
state of the workflow; one grant holds quotes and invoices, one invoice approved and paid.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.test.utils import override_settings
from django.utils import timezone

from begegnungsatlas.atlas.models import Area
from begegnungsatlas.core import installation
from begegnungsatlas.core.demo import DEMO_PASSWORD
from begegnungsatlas.core.models import Role, User
from begegnungsatlas.places.models import TargetGroup
from begegnungsatlas.reports import render_pdf

from .models import Application, Call, CallStatus, CostType, VoucherKind
from .money import format_eur
from .services.applications import (
    application_create,
    application_screen,
    application_transition,
    application_update,
)
from .services.calls import call_create, call_set_status
from .services.grants import voucher_approve, voucher_check, voucher_pay, voucher_upload
from .services.reviews import review_save, reviewer_assign
from .services.selection import selection_decide
from .workflow import State

BERLIN = ZoneInfo("Europe/Berlin")
SEED_TITLE = "„Orte der Begegnung“ in den kreisangehörigen Kommunen (2024)"
OPEN_TITLE = "Orte der Begegnung – zweite Runde (Beispielaufruf)"

SEED_TEXT = (
    "Der Kreis Düren möchte zwei Kommunen bei der Konzeptionierung, Einrichtung oder Weiterentwicklung von je einem "
    "„Ort der Begegnung“ unterstützen. Hierzu stehen Finanzmittel aus dem Bundesprojekt „Zukunftswerkstatt "
    "Kommunen – attraktiv im Wandel“ (ZWK) des BMFSFJ zur Verfügung. Für die Konzeption und den Aufbau einer "
    "Organisationsstruktur stehen nicht-investive Finanzmittel zur Verfügung: allgemeine Beratungsleistungen, "
    "Begleitung beim Aufbau und der Organisation des „Ortes der Begegnung“, Durchführung von Einzelveranstaltungen "
    "oder Erstattung von Sachkosten z. B. für Öffentlichkeitsarbeit.\n\n"
    "Pro förderfähigem „Ort der Begegnung“ stehen 1.500 € Sachmittel und 3.500 € Beratungsleistungen zur "
    "Verfügung. Die Beträge werden über den Fachbereich Demografie im Amt für Generationen, Demografie, Inklusion "
    "und Sozialplanung abgerechnet. Eine Auszahlung an die Kommunen erfolgt nicht. Die zuvor eingeholten Angebote "
    "und die Rechnungen müssen beim Kreis Düren eingereicht werden. Eine finanzielle Beteiligung der Kommunen ist "
    "nicht notwendig. Die Finanzierung von Bauleistungen, Ausstattung oder Einrichtung ist nicht möglich.\n\n"
    "Die Übernahme von Beratungs- und Unterstützungsleistungen durch Dritte wird mittels Kooperationsvertrag "
    "geregelt, in dem die Zuständigkeiten, Aufgaben und Pflichten benannt sind."
)
SEED_ELIGIBILITY = (
    "Die kreisangehörigen Kommunen des Kreises Düren, auch gemeinsam mit geeigneten Partnerorganisationen "
    "(Vereine, Verbände, Wohlfahrtsverbände, freie Gruppen). Ein „Ort der Begegnung“ kann eine eigenständige "
    "Immobilie, eine mitgenutzte Immobilie (z. B. Kindergarten, Flüchtlingsunterkunft) oder virtuell sein und "
    "braucht eine feste Struktur: feste Ansprechperson, Zielgruppen, geregelte Öffnungszeiten."
)
BUDGET_LINES = [
    ("Sachmittel", 150000, ["Öffentlichkeitsarbeit", "Sachkosten für Einzelveranstaltungen"]),
    ("Beratungsleistungen", 350000, ["Allgemeine Beratungsleistungen",
                                     "Begleitung beim Aufbau und der Organisation",
                                     "Durchführung von Einzelveranstaltungen"]),
]
INELIGIBLE = ["Bauleistungen", "Ausstattung", "Einrichtung"]
# The six published criteria of the seed; the seed gives no weights, so they are weighted equally.
CRITERIA = [
    ("Verteilung der Kommunen im Kreisgebiet", "Räumliche Streuung der geförderten Orte über den Kreis.", 1, True),
    ("Zahl der beteiligten Akteur:innen (aktuell) und der zu beteiligenden Akteur:innen",
     "Eigene Zielvorgabe der Kommune.", 1, False),
    ("Zusammensetzung der beteiligten Akteur:innen", "Vereine, Wohlfahrtsverbände, Kirchen, Initiativen …", 1, False),
    ("Angesprochene Zielgruppen", "Für welche Zielgruppen wird der „Ort der Begegnung“ aufgebaut?", 1, False),
    ("Organisation", "Personal- und Finanzeinsatz, ehrenamtliche Unterstützung.", 1, False),
    ("Lage im Kreisgebiet", "Lage des Ortes im Kreis.", 1, True),
]

DEMO_USERS = [
    # username, role, label, kommune name (Kreis Düren)
    ("planung", Role.PLANNER, "Sozialplanung Kreis Düren", None),
    ("planung2", Role.PLANNER, "Sozialplanung Kreis Düren (zweite Person, Vier-Augen)", None),
    ("gutachten", Role.REVIEWER, "Fachamt (Gutachten)", None),
    ("gutachten2", Role.REVIEWER, "Fachamt (zweite Gutachterin)", None),
    ("pruefung", Role.AUDITOR, "Rechnungsprüfung", None),
    ("kommune-dueren", Role.KOMMUNE_EDITOR, "Redaktion Stadt Düren", "Düren"),
    ("kommune-juelich", Role.KOMMUNE_EDITOR, "Redaktion Stadt Jülich", "Jülich"),
    ("kommune-heimbach", Role.KOMMUNE_EDITOR, "Redaktion Stadt Heimbach", "Heimbach"),
    ("kommune-niederzier", Role.KOMMUNE_EDITOR, "Redaktion Gemeinde Niederzier", "Niederzier"),
    ("kommune-kreuzau", Role.KOMMUNE_EDITOR, "Redaktion Gemeinde Kreuzau", "Kreuzau"),
    ("kommune-merzenich", Role.KOMMUNE_EDITOR, "Redaktion Gemeinde Merzenich", "Merzenich"),
    ("kommune-linnich", Role.KOMMUNE_EDITOR, "Redaktion Stadt Linnich", "Linnich"),
    ("kommune-noervenich", Role.KOMMUNE_EDITOR, "Redaktion Gemeinde Nörvenich", "Nörvenich"),
    ("kommune-titz", Role.KOMMUNE_EDITOR, "Redaktion Gemeinde Titz", "Titz"),
    ("kommune-aldenhoven", Role.KOMMUNE_EDITOR, "Redaktion Gemeinde Aldenhoven", "Aldenhoven"),
    ("kommune-inden", Role.KOMMUNE_EDITOR, "Redaktion Gemeinde Inden", "Inden"),
    ("kommune-nideggen", Role.KOMMUNE_EDITOR, "Redaktion Stadt Nideggen", "Nideggen"),
]


def kommune(name: str) -> Area:
    return Area.objects.get(Q(name=name) | Q(name__startswith=name + ","), region__slug="kreis-dueren",
                            level__is_municipality=True)


def berlin(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=BERLIN)


def demo_user(username: str) -> User:
    for name, role, label, kommune_name in DEMO_USERS:
        if name == username:
            user, _created = User.objects.get_or_create(username=username)
            user.role, user.first_name = role, label
            user.email = f"{username}@example.org"
            user.kommune = kommune(kommune_name) if kommune_name else None
            user.set_password(DEMO_PASSWORD)
            user.save()
            return user
    raise KeyError(username)


def create_seed_call(actor: User, *, status: str = CallStatus.CLOSED) -> Call:
    """The real call of 2024 from the seed document (deadline 1 March 2024, end of day, Europe/Berlin)."""
    call = call_create(
        actor=actor,
        data={"title": SEED_TITLE,
              "text": SEED_TEXT + "\n\nHinweis der Demo: Das Konzept nennt keinen Beginn der Bewerbungsphase; "
              "der 08.01.2024 ist eine Annahme. Gewichte der Kriterien nennt das Konzept ebenfalls nicht; "
              "sie sind hier gleich gewichtet.",
              "eligibility": SEED_ELIGIBILITY,
              # The seed names no start date; the concept was published in early 2024.
              "opens_at": berlin(2024, 1, 8, 0, 0, 0), "deadline": berlin(2024, 3, 1, 23, 59, 59),
              "number_of_grants": 2, "scale_max": 5},
        budget_lines=BUDGET_LINES, ineligible=INELIGIBLE, criteria=CRITERIA,
        region=kommune("Düren").region, is_historical=True,
    )
    call = call_set_status(actor=actor, call=call, status=CallStatus.PUBLISHED)
    if status != CallStatus.PUBLISHED:
        call = call_set_status(actor=actor, call=call, status=status)
    return call


def create_open_call(actor: User, *, now: datetime | None = None) -> Call:
    now = now or timezone.now()
    opens = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=14)
    deadline = (opens + timedelta(days=90)).replace(hour=23, minute=59, second=59)
    call = call_create(
        actor=actor,
        data={"title": OPEN_TITLE, "text": "Beispielaufruf nach dem Muster des Aufrufs 2024.\n\n" + SEED_TEXT,
              "eligibility": SEED_ELIGIBILITY, "opens_at": opens, "deadline": deadline, "number_of_grants": 2,
              "scale_max": 5},
        budget_lines=BUDGET_LINES, ineligible=INELIGIBLE, criteria=CRITERIA, region=kommune("Düren").region,
        is_example=True,
    )
    return call_set_status(actor=actor, call=call, status=CallStatus.PUBLISHED)


EXAMPLES: dict[str, dict[str, Any]] = {
    "Düren": {"title": "Begegnungscafé im Quartier Nord-Düren",
              "concept": "Ein offenes Begegnungscafé im Gemeindezentrum, das Familien, Seniorinnen und Senioren und "
                         "neu Zugewanderte zusammenbringt: Sprachcafé, Elternfrühstück und Reparaturtreff.",
              "groups": ["familien", "senioren", "neuzugewanderte"], "staff": 12, "vol": 15,
              "actors": [("Caritasverband Düren-Jülich", "wohlfahrtsverband", "current", "Betrieb des Cafés"),
                         ("Evangelische Gemeinde", "kirche", "current", "stellt die Räume bereit"),
                         ("Integrationsrat", "initiative", "targeted", "Sprachcafé")]},
    "Heimbach": {"title": "Treffpunkt Rurtal",
                 "concept": "Ein Treffpunkt im ehemaligen Bahnhofsgebäude für Jung und Alt mit Angeboten der "
                            "Vereine, einer digitalen Sprechstunde und offenen Räumen für spontane Gruppen.",
                 "groups": ["alle", "senioren"], "staff": 6, "vol": 20,
                 "actors": [("Heimatverein", "verein", "current", "Programm"),
                            ("Jugendtreff", "initiative", "targeted", "Jugendabende")]},
    "Niederzier": {"title": "Generationenhaus Niederzier",
                   "concept": "Ein Generationenhaus in der alten Schule mit Mittagstisch, Hausaufgabenhilfe und "
                              "Kursen für ältere Menschen, getragen von Vereinen und der Gemeinde.",
                   "groups": ["kinder", "senioren"], "staff": 8, "vol": 10,
                   "actors": [("DRK Ortsverein", "wohlfahrtsverband", "current", "Mittagstisch"),
                              ("Förderverein der Grundschule", "verein", "targeted", "Hausaufgabenhilfe")]},
}


def _fill(actor: User, application: Application, spec: dict[str, Any]) -> None:
    application_update(
        actor=actor, application=application,
        data={"title": spec["title"], "place_mode": "new", "location": f"Beispielstraße 1, {application.kommune.name}",
              "concept": spec["concept"], "staff_hours_per_week": spec["staff"], "volunteers": spec["vol"],
              "own_funds_cents": None, "contact_name": "Beispiel Ansprechperson",
              "contact_email": actor.email, "organisation_note": "Beispieldaten."},
        target_groups=list(TargetGroup.objects.filter(slug__in=spec["groups"])),
        actors=[{"name": n, "kind": k, "status": s, "role": r} for n, k, s, r in spec["actors"]],
    )


def _example_spec(name: str) -> dict[str, Any]:
    return EXAMPLES.get(name) or {
        "title": f"Ort der Begegnung {name} (Beispiel)",
        "concept": f"Beispielkonzept für einen „Ort der Begegnung“ in {name}: offene Räume für Vereine, Familien "
                   "und ältere Menschen, mit fester Ansprechperson und geregelten Öffnungszeiten.",
        "groups": ["familien", "alle"], "staff": 5, "vol": 6,
        "actors": [("Sportverein", "verein", "current", "Angebote"), ("Pfarrei", "kirche", "targeted", "Räume")]}


def example_application(call: Call, kommune_name: str, *, user: str, state: str, office: User,
                        now: datetime, reviewers: list[tuple[User, int]] | None = None) -> Application:
    """An example application of ``kommune_name`` walked to ``state`` (through the real services)."""
    applicant = User.objects.get(username=user)
    application = application_create(actor=applicant, call=call, now=now, is_example=True)
    _fill(applicant, application, _example_spec(kommune_name))
    if state == State.DRAFT:
        return application
    if state == State.WITHDRAWN:
        application = application_transition(actor=applicant, application=application, to=State.SUBMITTED, now=now)
        return application_transition(actor=applicant, application=application, to=State.WITHDRAWN, now=now,
                                      note="Beispiel: Kommune hat ihre Bewerbung zurückgezogen.")
    application = application_transition(actor=applicant, application=application, to=State.SUBMITTED, now=now)
    if state == State.SUBMITTED:
        return application
    application = application_transition(actor=office, application=application, to=State.SCREENING, now=now)
    if state == State.SCREENING:
        return application
    if state == "ineligible":
        application = application_screen(actor=office, application=application, complete=True, eligible=False,
                           note="Beispiel: beantragt wird ausschließlich Ausstattung (nicht förderfähig).")
        return application_transition(actor=office, application=application, to=State.DECIDED, now=now,
                                      note="Beantragt ist ausschließlich Ausstattung; diese ist nach dem Aufruf "
                                           "nicht förderfähig.")
    if state == State.MORE_INFO:
        return application_transition(actor=office, application=application, to=State.MORE_INFO, now=now,
                                      note="Bitte ergänzen Sie, welche Vereine bereits mitwirken.")
    application = application_screen(actor=office, application=application, complete=True, eligible=True)
    application = application_transition(actor=office, application=application, to=State.IN_REVIEW, now=now)
    for reviewer, points in reviewers or []:
        assignment = reviewer_assign(actor=office, application=application, reviewer=reviewer)
        if points >= 0:
            review_save(actor=reviewer, assignment=assignment, submit=True, now=now, scores={
                c.pk: (min(points + (i % 2), call.scale_max), "Beispielbegründung: nachvollziehbar dargestellt.")
                for i, c in enumerate(call.criteria.all())})
    application.refresh_from_db()
    return application


def _voucher_pdf(kind: str, supplier: str, cents: int, number: str, on: date, description: str) -> SimpleUploadedFile:
    pdf = render_pdf("example_voucher", {"sender": supplier, "is_example": True, "kind": kind, "supplier": supplier,
                                         "address": "Beispielweg 5, 52349 Düren", "number": number,
                                         "date": on.strftime("%d.%m.%Y"), "description": description,
                                         "amount": format_eur(cents),
                                         "recipient": installation.current().name})
    return SimpleUploadedFile(f"{kind}-{number}.pdf", pdf, content_type="application/pdf")


def load(*, out: Callable[[str], object] = print) -> None:
    if Call.objects.filter(title=SEED_TITLE).exists():
        out("Förderung: Demo-Daten sind schon vorhanden.")
        return
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        _load(out)


def _load(out: Callable[[str], object]) -> None:
    users = {name: demo_user(name) for name, *_rest in DEMO_USERS}
    office, office2 = users["planung"], users["planung2"]
    rev1, rev2 = users["gutachten"], users["gutachten2"]

    # 1) The real 2024 call with invented example applications, decided as it might have been.
    seed = create_seed_call(office, status=CallStatus.PUBLISHED)
    feb = berlin(2024, 2, 20, 10, 0, 0)
    dueren = example_application(seed, "Düren", user="kommune-dueren", state=State.IN_REVIEW, office=office,
                                 now=feb, reviewers=[(rev1, 4), (rev2, 4)])
    heimbach = example_application(seed, "Heimbach", user="kommune-heimbach", state=State.IN_REVIEW, office=office,
                                   now=feb, reviewers=[(rev1, 3), (rev2, 4)])
    niederzier = example_application(seed, "Niederzier", user="kommune-niederzier", state=State.IN_REVIEW,
                                     office=office, now=feb, reviewers=[(rev1, 4), (rev2, 3)])
    example_application(seed, "Kreuzau", user="kommune-kreuzau", state=State.WITHDRAWN, office=office, now=feb)
    example_application(seed, "Merzenich", user="kommune-merzenich", state="ineligible", office=office, now=feb)
    selection_decide(actor=office, call=seed, selected=[dueren.pk, heimbach.pk], now=berlin(2024, 3, 20, 9, 0, 0),
                     reasons={dueren.pk: "Hohe Bewertung; Kreisstadt mit vielen beteiligten Akteur:innen.",
                              heimbach.pk: "Gute Bewertung; Lage im Süden des Kreises sorgt für räumliche Streuung.",
                              niederzier.pk: "Gute Bewertung, aber nah an der ausgewählten Bewerbung aus Düren "
                                             "(räumliche Verteilung)."})
    seed = call_set_status(actor=office, call=seed, status=CallStatus.CLOSED)
    for app in (dueren, heimbach):
        application_transition(actor=office, application=app, to=State.GRANTED, now=berlin(2024, 4, 2, 9, 0, 0))
    grant = Application.objects.get(pk=dueren.pk).grant
    lines = {line.name: line for line in grant.lines.all()}
    cost = {c.name: c for c in CostType.objects.filter(call=seed)}
    applicant = users["kommune-dueren"]
    quote = voucher_upload(actor=applicant, grant=grant, line=lines["Beratungsleistungen"], kind=VoucherKind.QUOTE,
                           supplier="Beratungsbüro Beispiel GmbH", amount_cents=240000,
                           cost_type=cost["Begleitung beim Aufbau und der Organisation"], date_=date(2024, 4, 10),
                           description="Prozessbegleitung, 4 Workshops",
                           upload=_voucher_pdf("Angebot", "Beratungsbüro Beispiel GmbH", 240000, "A-17",
                                               date(2024, 4, 10), "Prozessbegleitung, 4 Workshops"))
    voucher_check(actor=office, voucher=quote)
    invoice = voucher_upload(actor=applicant, grant=grant, line=lines["Beratungsleistungen"],
                             kind=VoucherKind.INVOICE, supplier="Beratungsbüro Beispiel GmbH", amount_cents=120000,
                             cost_type=cost["Begleitung beim Aufbau und der Organisation"], date_=date(2024, 6, 3),
                             description="Workshops 1 und 2", quote=quote,
                             upload=_voucher_pdf("Rechnung", "Beratungsbüro Beispiel GmbH", 120000, "R-2024-031",
                                                 date(2024, 6, 3), "Workshops 1 und 2"))
    voucher_check(actor=office, voucher=invoice)
    voucher_approve(actor=office2, voucher=invoice)
    voucher_pay(actor=office2, voucher=invoice, payee="Beratungsbüro Beispiel GmbH", paid_on=date(2024, 6, 20),
                reference="KD-2024-0815")
    flyer = voucher_upload(actor=applicant, grant=grant, line=lines["Sachmittel"], kind=VoucherKind.INVOICE,
                           supplier="Druckerei Beispiel", amount_cents=48950, cost_type=cost["Öffentlichkeitsarbeit"],
                           date_=date(2024, 7, 1), description="Flyer und Plakate",
                           upload=_voucher_pdf("Rechnung", "Druckerei Beispiel", 48950, "2024-118", date(2024, 7, 1),
                                               "Flyer und Plakate"))
    voucher_check(actor=office, voucher=flyer)  # awaits the second person's approval in the demo
    application_transition(actor=office, application=Application.objects.get(pk=heimbach.pk), to=State.CLOSED,
                           now=berlin(2025, 3, 31, 12, 0, 0), note="Beispiel: Förderung abgerechnet.")

    # 2) An open example call with applications in every earlier state.
    now = timezone.now()
    open_call = create_open_call(office, now=now)
    example_application(open_call, "Jülich", user="kommune-juelich", state=State.DRAFT, office=office, now=now)
    example_application(open_call, "Linnich", user="kommune-linnich", state=State.SUBMITTED, office=office, now=now)
    example_application(open_call, "Nörvenich", user="kommune-noervenich", state=State.SCREENING, office=office,
                        now=now)
    example_application(open_call, "Titz", user="kommune-titz", state=State.MORE_INFO, office=office, now=now)
    example_application(open_call, "Aldenhoven", user="kommune-aldenhoven", state=State.IN_REVIEW, office=office,
                        now=now, reviewers=[(rev2, 4), (rev1, -1)])
    example_application(open_call, "Inden", user="kommune-inden", state=State.IN_REVIEW, office=office, now=now,
                        reviewers=[(rev2, 4)])
    example_application(open_call, "Nideggen", user="kommune-nideggen", state=State.IN_REVIEW, office=office,
                        now=now, reviewers=[(rev2, 3), (rev1, -1)])
    out(f"Förderung: Aufruf 2024 (historisch) und Beispielaufruf mit {Application.objects.count()} "
        "Beispielbewerbungen geladen.")
    out("Förderung – Demo-Zugänge (Passwort: " + DEMO_PASSWORD + "): " + ", ".join(name for name, *_r in DEMO_USERS))

