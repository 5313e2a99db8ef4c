"""Citizens' reports: submission (honeypot, rate limit, photo re-encoded without metadata), moderation with a
public answer and an e-mail to the reporter, counts per Kommune into the atlas."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from begegnungsatlas.atlas.models import AreaLevel, Indicator, IndicatorKind
from begegnungsatlas.atlas.selectors.areas import area_assignment
from begegnungsatlas.atlas.services.tables import Table
from begegnungsatlas.atlas.services.values_import import Mapping, values_import
from begegnungsatlas.core.permissions import signed_in
from begegnungsatlas.core.ratelimit import rate_count, rate_exceeded
from begegnungsatlas.core.services import audit_record

from ..errors import ParticipationError, RateLimited
from ..models import Report, ReportKind, ReportStatus
from ..permissions import can_moderate_reports

if TYPE_CHECKING:
    from begegnungsatlas.core.permissions import Actor


PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_PIXELS = 40_000_000
REPORT_FIELDS = ("kind", "category", "title", "description", "lon", "lat", "reporter_email")


def clean_photo(data: bytes) -> bytes:
    """Check an uploaded photo by its content and re-encode it as JPEG without any metadata (EXIF, GPS).

    Raises ``ParticipationError`` for non-images, other formats, oversized files or huge pixel counts.
    """
    if len(data) > settings.BEGEGNUNGSATLAS_MAX_PHOTO_BYTES:
        raise ParticipationError(_("Das Foto ist zu groß (höchstens %(mb)s MB).")
                                 % {"mb": settings.BEGEGNUNGSATLAS_MAX_PHOTO_BYTES // (1024 * 1024)})
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt = probe.format
            if fmt not in PHOTO_FORMATS:
                raise ParticipationError(_("Bitte laden Sie ein Foto als JPEG, PNG oder WebP hoch."))
            if probe.width * probe.height > MAX_PIXELS:
                raise ParticipationError(_("Das Foto hat zu viele Bildpunkte."))
            probe.load()
            image = probe.convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ParticipationError(_("Die Datei ist kein lesbares Foto.")) from exc
    image.thumbnail((2000, 2000))
    out = io.BytesIO()
    # a fresh image from pixel data only: no EXIF, GPS, XMP or ICC data is carried over
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    clean.save(out, format="JPEG", quality=85)
    return out.getvalue()


@transaction.atomic
def report_submit(*, data: dict[str, Any], client: str, honeypot: str = "", photo: bytes | None = None,
                  trusted: bool = False, is_example: bool = False) -> Report | None:
    """Save a citizen's report (unpublished, status "new") and audit it.

    ``trusted`` is for internal callers only (the demo loader): no honeypot and no rate limit; ``is_example``
    labels demo content. Views never pass either.
    """
    if honeypot.strip() and not trusted:
        return None
    if not trusted and rate_exceeded(scope="participation:report", client=client, limit=settings.BEGEGNUNGSATLAS_SUGGESTION_RATE):
        raise RateLimited(_("Von Ihrem Anschluss kamen in der letzten Stunde schon mehrere Meldungen. "
                            "Bitte versuchen Sie es später noch einmal."))
    clean = {k: data.get(k) for k in REPORT_FIELDS}
    if not (clean.get("title") or "").strip():
        raise ParticipationError(_("Bitte beschreiben Sie Ihre Meldung kurz."))
    if clean.get("kind") not in ReportKind.values:
        raise ParticipationError(_("Bitte wählen Sie: Problem oder Idee."))
    if clean.get("category") is None:
        raise ParticipationError(_("Bitte wählen Sie eine Kategorie."))
    lon, lat = clean.get("lon"), clean.get("lat")
    if lon is None or lat is None:
        raise ParticipationError(_("Bitte setzen Sie den Ort in der Karte oder geben Sie die Koordinaten ein."))
    kommune, area = area_assignment(lon=float(lon), lat=float(lat))
    if kommune is None:
        raise ParticipationError(_("Der Ort liegt außerhalb der Gebiete dieser Installation."))
    for key in ("title", "description", "reporter_email"):
        clean[key] = (clean.get(key) or "").strip()
    report = Report(kommune=kommune, area=area, is_example=is_example, **clean)
    if photo:
        report.photo.save(f"{get_random_string(24)}.jpg", ContentFile(clean_photo(photo)), save=False)
    report.save()
    if not trusted:
        rate_count(scope="participation:report", client=client)
    audit_record(actor=None, action="participation.report_submit", obj=report, changes={"kind": report.kind})
    return report


@transaction.atomic
def report_moderate(*, actor: Actor, report: Report, status: str, public_answer: str = "",
                    publish: bool = True, check_permission: bool = True) -> Report:
    """Set status and public answer; publishing makes the report visible. The reporter gets an e-mail.

    ``check_permission=False`` only for internal callers (the demo loader, actor ``None``).
    """
    if check_permission:
        can_moderate_reports(actor).enforce()
    if status not in ReportStatus.values:
        raise ParticipationError(_("Unbekannter Status."))
    if status in (ReportStatus.DONE, ReportStatus.DECLINED) and not public_answer.strip():
        raise ParticipationError(_("Bei „erledigt“ und „abgelehnt“ ist eine öffentliche Antwort nötig."))
    report = Report.objects.select_for_update().get(pk=report.pk)
    before = {"status": report.status, "is_published": report.is_published}
    report.status, report.public_answer, report.is_published = status, public_answer.strip(), publish
    report.moderated_by, report.moderated_at = signed_in(actor), timezone.now()
    report.save()
    audit_record(actor=actor, action="participation.report_moderate", obj=report,
                 changes={"status": [before["status"], status], "is_published": [before["is_published"], publish]})
    if report.reporter_email and before["status"] != status:
        email = report.reporter_email
        transaction.on_commit(lambda: send_mail(
            subject=_("Ihre Meldung „%(t)s“: %(s)s") % {"t": report.title, "s": report.get_status_display()},
            message=_("Guten Tag,\n\nder Stand Ihrer Meldung „%(t)s“ ist jetzt: %(s)s.\n\n%(a)s\n\n"
                      "Diese Nachricht wurde automatisch versandt.")
            % {"t": report.title, "s": report.get_status_display(), "a": report.public_answer},
            from_email=None, recipient_list=[email], fail_silently=True))
    return report


@transaction.atomic
def example_reports_delete() -> int:
    """Remove the demo's example reports (and their photos) before the demo is loaded again."""
    count = 0
    for report in Report.objects.filter(is_example=True):
        if report.photo:
            report.photo.delete(save=False)
        audit_record(actor=None, action="participation.report_example_delete", obj=report, changes={})
        report.delete()
        count += 1
    return count


@transaction.atomic
def report_counts_to_atlas(*, actor: Actor, level: AreaLevel, period: str,
                           slug: str = "buergermeldungen", check_permission: bool = True) -> Indicator:
    """Published reports per Kommune as an atlas indicator (through the atlas value import)."""
    from ..selectors import report_counts_by_kommune

    if check_permission:
        can_moderate_reports(actor).enforce()
    if not level.is_municipality:
        raise ParticipationError(_("Meldungen werden je Kommune gezählt: bitte die Ebene der Kommunen wählen."))
    counts = report_counts_by_kommune()
    indicator, _created = Indicator.objects.update_or_create(slug=slug, defaults={
        "title": _("Bürgermeldungen (veröffentlicht)"), "unit": _("Meldungen"), "kind": IndicatorKind.COUNT,
        "decimals": 0, "source": _("Bürgermeldungen im Begegnungsatlas"),
        "definition": _("Zahl der veröffentlichten Meldungen (Probleme und Ideen) je Kommune."),
    })
    rows = [[a.code, counts.get(a.pk, 0)] for a in level.areas.all()]
    values_import(table=Table(header=["code", "wert"], rows=rows, kind="csv"), actor=actor, mapping=Mapping(
        level=level, area_column="code", layout="long", value_column="wert", indicator=indicator, period=period))
    return indicator
