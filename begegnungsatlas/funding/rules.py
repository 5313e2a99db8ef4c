"""Rules of the call: completeness, deadlines, and the guards named in ``workflow.TRANSITIONS``.

Guards take ``(application, actor, now)`` and raise ``FundingError`` with a German message when the
transition is not allowed. They only read; the service does the writing.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .errors import FundingError
from .models import ActorStatus, Application, Call, CallStatus, DeadlineExtension, Decision, PlaceMode

if TYPE_CHECKING:
    from begegnungsatlas.core.permissions import Actor



def local(dt: datetime) -> str:
    """An aware datetime as German local time (Europe/Berlin), e.g. „01.03.2024, 23:59:59 Uhr“."""
    value = timezone.localtime(dt)
    return _("%(date)s, %(time)s Uhr") % {"date": value.strftime("%d.%m.%Y"), "time": value.strftime("%H:%M:%S")}


def effective_deadline(call: Call, kommune_id: int | None) -> tuple[datetime, DeadlineExtension | None]:
    """The deadline that applies to one Kommune: the call's, or a documented individual extension."""
    extension = None
    if kommune_id is not None:
        extension = DeadlineExtension.objects.filter(call=call, kommune_id=kommune_id).first()
    if extension is not None and extension.until > call.deadline:
        return extension.until, extension
    return call.deadline, None


def missing_items(application: Application) -> list[str]:
    """Each item still missing before the application can be submitted, named for the applicant."""
    missing: list[str] = []
    if not application.title.strip():
        missing.append(_("Name des Ortes der Begegnung"))
    if application.place_mode in (PlaceMode.REGISTER, PlaceMode.POTENTIAL) and application.place_id is None:
        missing.append(_("Ort aus dem Register (bitte auswählen oder „neuer Ort“ wählen)"))
    if not application.location.strip():
        missing.append(_("Lage und Adresse"))
    if len(application.concept.strip()) < 50:
        missing.append(_("Konzept (mindestens 50 Zeichen)"))
    if application.pk is None or not application.target_groups.exists():
        missing.append(_("mindestens eine Zielgruppe"))
    if application.pk is None or not application.actors.filter(status=ActorStatus.CURRENT).exists():
        missing.append(_("mindestens ein bereits beteiligter Akteur"))
    if application.pk is None or not application.actors.filter(status=ActorStatus.TARGETED).exists():
        missing.append(_("mindestens ein Akteur, der beteiligt werden soll (Zielvorgabe)"))
    if application.staff_hours_per_week is None:
        missing.append(_("Personaleinsatz (Stunden pro Woche)"))
    if application.volunteers is None:
        missing.append(_("Zahl der ehrenamtlich Engagierten"))
    if not application.contact_name.strip():
        missing.append(_("feste Ansprechperson"))
    if not application.contact_email.strip():
        missing.append(_("E-Mail der Ansprechperson"))
    return missing


def _check_deadline(application: Application, now: datetime) -> None:
    call = application.call
    deadline, _extension = effective_deadline(call, application.kommune_id)
    if now > deadline:
        raise FundingError(
            _("Die Bewerbungsfrist ist am %(deadline)s abgelaufen. Eine Einreichung oder Änderung ist nicht mehr "
              "möglich. Bitte wenden Sie sich bei Fragen an die Sozialplanung des Kreises.")
            % {"deadline": local(deadline)}
        )


def guard_submit(application: Application, actor: Actor, now: datetime) -> None:
    call = application.call
    if call.status != CallStatus.PUBLISHED:
        raise FundingError(_("Der Aufruf „%(call)s“ ist nicht (mehr) geöffnet.") % {"call": call.title})
    if now < call.opens_at:
        raise FundingError(_("Die Bewerbung ist erst ab %(opens)s möglich.") % {"opens": local(call.opens_at)})
    _check_deadline(application, now)
    missing = missing_items(application)
    if missing:
        raise FundingError(
            _("Die Bewerbung ist noch nicht vollständig. Es fehlt: %(items)s.") % {"items": "; ".join(missing)}
        )


def guard_resubmit(application: Application, actor: Actor, now: datetime) -> None:
    # Requested information may come after the deadline: the office asked for it.
    missing = missing_items(application)
    if missing:
        raise FundingError(
            _("Die Bewerbung ist noch nicht vollständig. Es fehlt: %(items)s.") % {"items": "; ".join(missing)}
        )


def guard_before_deadline(application: Application, actor: Actor, now: datetime) -> None:
    _check_deadline(application, now)


def guard_screening_passed(application: Application, actor: Actor, now: datetime) -> None:
    if not (application.screening_complete and application.screening_eligible):
        raise FundingError(
            _("Bitte zuerst die Vorprüfung abschließen: Vollständigkeit und Förderfähigkeit müssen bestätigt sein.")
        )


def guard_ineligible(application: Application, actor: Actor, now: datetime) -> None:
    if application.screening_eligible is not False and application.screening_complete is not False:
        raise FundingError(
            _("Eine Ablehnung in der Vorprüfung setzt voraus, dass die Vorprüfung „unvollständig“ oder "
              "„nicht förderfähig“ ergeben hat.")
        )


def guard_decision_recorded(application: Application, actor: Actor, now: datetime) -> None:
    if application.decision not in (Decision.SELECTED, Decision.REJECTED) or not application.decision_reason.strip():
        raise FundingError(_("Bitte die Entscheidung mit Begründung über die Auswahl treffen."))


def guard_selected(application: Application, actor: Actor, now: datetime) -> None:
    if application.decision != Decision.SELECTED:
        raise FundingError(_("Nur ausgewählte Bewerbungen können bewilligt werden."))


def formatted_deadline(call: Call) -> str:
    return formats.date_format(timezone.localtime(call.deadline), "DATETIME_FORMAT")
