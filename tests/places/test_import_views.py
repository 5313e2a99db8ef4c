"""Web import: upload → mapping → preview → confirm, only for planners; temp files cleaned up."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from begegnungsatlas.places.models import ContextFeature, Organisation, Place

DATA = Path(__file__).parent / "data"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(tmp_path: Path, settings) -> Path:
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def _upload(client, data: bytes, name: str = "orte.csv", **extra):
    return client.post(reverse("places_import:upload"),
                       {"file": SimpleUploadedFile(name, data), "target": "places", **extra})


def test_full_flow_upload_mapping_preview_confirm(client, planner, private_media: Path) -> None:
    client.force_login(planner)
    assert client.get(reverse("places_import:upload")).status_code == 200
    response = _upload(client, (DATA / "orte_semikolon.csv").read_bytes(), source="Webtest")
    assert response.status_code == 302
    mapping_url = response["Location"]
    assert "/zuordnung/" in mapping_url
    assert len(list((private_media / "uploads" / "places-import").iterdir())) == 1

    page = client.get(mapping_url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Zeichenkodierung: UTF-8" in html
    assert 'value="Bezeichnung" selected' in html

    fields = {"name": "Bezeichnung", "street": "Straße", "housenumber": "Hausnummer", "lat": "Breite",
              "lon": "Länge", "opening_hours": "Öffnungszeiten", "target_groups": "Zielgruppen"}
    response = client.post(mapping_url, fields)
    assert response.status_code == 302
    preview_url = response["Location"]

    before = Place.objects.count()
    page = client.get(preview_url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Vorschau: 7 Zeilen gelesen – 2 neu" in html
    assert "Der Name fehlt." in html
    assert "Astronauten" in html
    assert Place.objects.count() == before

    response = client.post(preview_url, {"duplicate_action": "skip"})
    assert response.status_code == 200
    assert "Import abgeschlossen: 7 Zeilen gelesen – 2 neu angelegt" in response.content.decode()
    assert Place.objects.count() == before + 2
    place = Place.objects.get(name="Treffpunkt Marktplatz")
    assert place.source == "Webtest"
    assert place.street == "Markt 1"
    assert not Organisation.objects.filter(name="Stadt Düren (Test)").exists()  # actor column was not mapped
    assert list((private_media / "uploads" / "places-import").iterdir()) == []  # cleaned up


def test_strict_confirm_aborts_and_writes_nothing(client, planner) -> None:
    client.force_login(planner)
    mapping_url = _upload(client, (DATA / "orte_semikolon.csv").read_bytes())["Location"]
    preview_url = mapping_url.replace("/zuordnung/", "/vorschau/")
    before = Place.objects.count()
    response = client.post(preview_url, {"duplicate_action": "skip", "strict": "on"})
    assert response.status_code == 200
    assert "Import abgebrochen: 5 fehlerhafte Zeilen. Es wurde nichts gespeichert." in response.content.decode()
    assert Place.objects.count() == before


def test_context_layer_via_web(client, planner) -> None:
    client.force_login(planner)
    response = client.post(reverse("places_import:upload"), {
        "file": SimpleUploadedFile("x.geojson", (DATA / "orte.geojson").read_bytes()),
        "target": "context", "layer": "Test Kitas", "layer_name": "Kitas (Test)"})
    preview_url = response["Location"].replace("/zuordnung/", "/vorschau/")
    client.post(preview_url, {"duplicate_action": "skip"})
    assert ContextFeature.objects.filter(layer="test-kitas").count() == 3


def test_bad_uploads_get_german_messages(client, planner, settings) -> None:
    client.force_login(planner)
    response = _upload(client, b"\x00\x01\x02binary", name="orte.csv")
    assert response.status_code == 200
    assert "Das Dateiformat wurde nicht erkannt" in response.content.decode()
    response = _upload(client, (DATA / "kaputt.geojson").read_bytes(), name="orte.csv")
    assert "kein gültiges JSON" in response.content.decode()
    settings.BEGEGNUNGSATLAS_MAX_IMPORT_BYTES = 50
    response = _upload(client, (DATA / "orte_semikolon.csv").read_bytes())
    assert "Die Datei ist zu groß" in response.content.decode()


def test_token_of_another_planner_or_forged_is_refused(client, planner, make_user) -> None:
    client.force_login(planner)
    mapping_url = _upload(client, (DATA / "orte_semikolon.csv").read_bytes())["Location"]
    other = make_user("planner", username="planner-2")
    client.force_login(other)
    response = client.get(mapping_url, follow=True)
    assert "gehört zu einem anderen Konto" in response.content.decode()
    response = client.get(reverse("places_import:preview", args=["gefälscht"]), follow=True)
    assert "Dieser Import ist unbekannt" in response.content.decode()


def test_cancel_deletes_the_file(client, planner, private_media: Path) -> None:
    client.force_login(planner)
    mapping_url = _upload(client, (DATA / "orte_semikolon.csv").read_bytes())["Location"]
    cancel_url = mapping_url.replace("/zuordnung/", "/abbrechen/")
    assert client.post(cancel_url).status_code == 302
    assert list((private_media / "uploads" / "places-import").iterdir()) == []


def test_anonymous_is_sent_to_login(client) -> None:
    response = client.get(reverse("places_import:upload"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    response = client.post(reverse("places_import:upload"), {})
    assert response.status_code == 302


@pytest.mark.parametrize("role", ["kommune_editor", "operator", "moderator", "reviewer"])
def test_other_roles_are_denied(client, make_user, role: str) -> None:
    user = make_user(role, kommune_code="053580008008" if role == "kommune_editor" else None)
    client.force_login(user)
    response = client.get(reverse("places_import:upload"))
    assert response.status_code == 403
    assert "Nur die Sozialplanung darf Daten importieren." in response.content.decode()
    response = client.post(reverse("places_import:upload"),
                           {"file": SimpleUploadedFile("o.csv", (DATA / "orte_semikolon.csv").read_bytes())})
    assert response.status_code == 403
    assert client.get(reverse("places_import:preview", args=["x"])).status_code == 403
    assert client.post(reverse("places_import:cancel", args=["x"])).status_code == 403
