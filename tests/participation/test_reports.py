"""Citizens' reports: photo checks and EXIF stripping, moderation with e-mail, privacy purge, atlas counts."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from begegnungsatlas.atlas.models import AreaLevel, IndicatorValue
from begegnungsatlas.participation.errors import ParticipationError
from begegnungsatlas.participation.models import Report, ReportCategory
from begegnungsatlas.participation.services.privacy import reporter_data_purge
from begegnungsatlas.participation.services.reports import (
    clean_photo,
    report_counts_to_atlas,
    report_moderate,
    report_submit,
)

from .conftest import DUEREN, kommune

GPS_TAG = 0x8825


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), (200, 10, 10))
    exif = Image.Exif()
    exif[0x010F] = "Kamerahersteller"
    exif[GPS_TAG] = {1: "N", 2: (50.0, 48.0, 17.0), 3: "E", 4: (6.0, 29.0, 1.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def _data(**extra):
    return {"kind": "problem", "category": ReportCategory.objects.get(slug="barrieren"), "title": "Stufe",
            "description": "", "lon": 6.4836, "lat": 50.8048, "reporter_email": "ich@example.org"} | extra


def test_photo_is_reencoded_without_exif_and_gps(db):
    raw = jpeg_with_gps()
    assert GPS_TAG in Image.open(io.BytesIO(raw)).getexif()
    cleaned = Image.open(io.BytesIO(clean_photo(raw)))
    assert cleaned.format == "JPEG"
    assert len(cleaned.getexif()) == 0
    assert "exif" not in cleaned.info


def test_non_images_and_big_files_are_refused(db, settings):
    with pytest.raises(ParticipationError, match="kein lesbares Foto"):
        clean_photo(b"GIF89a not really" + b"\0" * 100)
    with pytest.raises(ParticipationError, match="kein lesbares Foto"):
        clean_photo(b"<svg xmlns='http://www.w3.org/2000/svg'></svg>")
    gif = io.BytesIO()
    Image.new("RGB", (4, 4)).save(gif, format="GIF")
    with pytest.raises(ParticipationError, match="JPEG, PNG oder WebP"):
        clean_photo(gif.getvalue())
    settings.BEGEGNUNGSATLAS_MAX_PHOTO_BYTES = 100
    with pytest.raises(ParticipationError, match="zu groß"):
        clean_photo(jpeg_with_gps())


def test_submit_assigns_kommune_and_stays_private_until_moderated(client, db):
    report = report_submit(data=_data(), client="a", photo=jpeg_with_gps())
    assert report.kommune == kommune(DUEREN)
    assert not report.is_published
    assert len(Image.open(report.photo.open("rb")).getexif()) == 0
    assert client.get(reverse("participation:report_photo", args=[report.pk])).status_code == 404
    assert "Stufe" not in client.get(reverse("participation:reports")).content.decode()


def test_outside_point_and_honeypot(db):
    with pytest.raises(ParticipationError, match="außerhalb"):
        report_submit(data=_data(lon=10.0, lat=53.5), client="a")
    assert report_submit(data=_data(), client="a", honeypot="spam") is None
    assert not Report.objects.exists()


def test_moderation_publishes_answers_and_mails_the_reporter(client, moderator, django_capture_on_commit_callbacks):
    report = report_submit(data=_data(), client="a")
    with pytest.raises(ParticipationError, match="öffentliche Antwort"):
        report_moderate(actor=moderator, report=report, status="declined")
    with django_capture_on_commit_callbacks(execute=True):
        report_moderate(actor=moderator, report=report, status="done", public_answer="Rampe gebaut.")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ich@example.org"]
    assert "erledigt" in mail.outbox[0].subject
    page = client.get(reverse("participation:reports")).content.decode()
    assert "Rampe gebaut." in page
    assert "ich@example.org" not in page


def test_only_moderation_moderates(client, editor_dueren):
    report = report_submit(data=_data(), client="a")
    with pytest.raises(PermissionDenied):
        report_moderate(actor=editor_dueren, report=report, status="done", public_answer="x")
    client.force_login(editor_dueren)
    assert client.get(reverse("participation:moderation")).status_code == 403
    assert client.post(reverse("participation:moderation_detail", args=[report.pk]),
                       {"status": "done", "public_answer": "x"}).status_code == 403
    assert Report.objects.get(pk=report.pk).status == "new"


def test_report_form_with_photo_in_the_browser_path(client, db):
    response = client.post(reverse("participation:report"), {
        "kind": "idea", "category": ReportCategory.objects.get(slug="gruen").pk, "title": "Mehr Bäume",
        "description": "", "lat": "50.8048", "lon": "6.4836", "reporter_email": "", "website": "",
        "photo_upload": SimpleUploadedFile("x.jpg", jpeg_with_gps(), content_type="image/jpeg"),
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    report = Report.objects.get(title="Mehr Bäume")
    assert report.photo.name.endswith(".jpg")
    bad = client.post(reverse("participation:report"), {
        "kind": "idea", "category": ReportCategory.objects.get(slug="gruen").pk, "title": "Virus", "lat": "50.8",
        "lon": "6.48", "photo_upload": SimpleUploadedFile("x.jpg", b"MZ\x90\x00", content_type="image/jpeg"),
    })
    assert bad.status_code == 400
    assert "kein lesbares Foto" in bad.content.decode()
    assert not Report.objects.filter(title="Virus").exists()


def test_reporter_email_is_purged_after_the_period(db, settings):
    settings.BEGEGNUNGSATLAS_REPORTER_DATA_DAYS = 30
    old = report_submit(data=_data(), client="a")
    new = report_submit(data=_data(title="neu"), client="b")
    Report.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - timedelta(days=31))
    assert reporter_data_purge() == 1
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.reporter_email == ""
    assert old.email_deleted_at is not None
    assert new.reporter_email == "ich@example.org"
    Report.objects.filter(pk=new.pk).update(submitted_at=timezone.now() - timedelta(days=40))
    out = io.StringIO()
    call_command("purge_reporter_data", stdout=out)
    assert "1 E-Mail-Adressen gelöscht" in out.getvalue()
    assert not Report.objects.exclude(reporter_email="").exists()


def test_report_counts_per_kommune_go_to_the_atlas(moderator):
    report = report_submit(data=_data(), client="a")
    report_moderate(actor=moderator, report=report, status="in_progress")
    report_submit(data=_data(title="unveröffentlicht"), client="b")
    level = AreaLevel.objects.get(region__slug="kreis-dueren", is_municipality=True)
    indicator = report_counts_to_atlas(actor=moderator, level=level, period="2026")
    values = {v.area.code: v.value for v in IndicatorValue.objects.filter(indicator=indicator).select_related("area")}
    assert values[DUEREN] == 1.0
    assert sum(values.values()) == 1.0
