"""Planners create indicators and area levels from the import dialog (no admin), audited; others cannot."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from begegnungsatlas.atlas.models import Area, AreaLevel, Indicator, IndicatorValue
from begegnungsatlas.atlas.services.catalogue import area_level_create, indicator_create
from begegnungsatlas.core.models import AuditEvent
from begegnungsatlas.data import DATA_DIR

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(tmp_path: Path, settings) -> Path:
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def test_indicator_created_in_the_dialog_then_imported(client, planner, private_media) -> None:
    level = AreaLevel.objects.get(region__slug="kreis-dueren", slug="kommune")
    client.force_login(planner)
    r = client.post(reverse("atlas:import"), {"art": "werte", "datei": SimpleUploadedFile(
        "w.csv", b"ARS;Wert\n053580008008;94149\n")})
    url = r["Location"]
    kept = private_media / "uploads" / "atlas-import"  # the one upload store (core.uploads)
    assert len(list(kept.iterdir())) == 1
    other = Client()
    other.force_login(planner.__class__.objects.create_user("planner-2", role="planner"))
    assert "anderen Konto" in other.get(url).content.decode()  # the token is bound to the person
    post = {"ebene": level.id, "layout": "long", "gebietsspalte": "ARS", "wertspalte": "Wert", "zeitpunkt": "15.05.2022"}
    page = client.post(url, {**post, "aktion": "indikator_anlegen", "neu_titel": "Einwohner Düren (Test)",
                             "neu_einheit": "Personen", "neu_art": "count"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Indikator „Einwohner Düren (Test)“ angelegt" in html
    ind = Indicator.objects.get(title="Einwohner Düren (Test)")
    assert f'<option value="{ind.slug}" selected>' in html
    assert '<option selected>ARS</option>' in html  # the mapping is kept
    assert AuditEvent.objects.filter(action="atlas.indicator_create").exists()
    done = client.post(url, {**post, "indikator": ind.slug})
    assert 'id="import-ok"' in done.content.decode()
    assert IndicatorValue.objects.get(indicator=ind, period="2022-05-15").value == 94149
    assert list(kept.iterdir()) == []  # removed after the import


def test_level_created_in_the_dialog_then_boundaries_imported(client, planner) -> None:
    doc = json.loads((DATA_DIR / "boundaries" / "kreis_dueren_gemeinden_2022.geojson").read_text(encoding="utf-8"))
    client.force_login(planner)
    r = client.post(reverse("atlas:import"), {"art": "grenzen", "datei": SimpleUploadedFile(
        "g.geojson", json.dumps(doc).encode())})
    url = r["Location"]
    page = client.post(url, {"aktion": "ebene_anlegen", "neu_region_name": "Testkreis", "neu_ebene": "Gemeinde",
                             "neu_ebene_mehrzahl": "Gemeinden"})
    assert page.status_code == 200
    level = AreaLevel.objects.get(region__name="Testkreis", name="Gemeinde")
    assert f'<option value="{level.pk}" selected>' in page.content.decode()
    client.post(url, {"ebene": level.pk, "schluessel": "ARS", "name": "name"})
    assert Area.objects.filter(level=level).count() == 15
    assert AuditEvent.objects.filter(action="atlas.level_create").exists()


def test_only_planners_create(editor_dueren) -> None:
    with pytest.raises(PermissionDenied):
        indicator_create(actor=editor_dueren, title="X")
    with pytest.raises(PermissionDenied):
        area_level_create(actor=editor_dueren, name="X", region_name="Y")
    assert not Indicator.objects.filter(title="X").exists()


def test_boundary_mapping_is_kept_after_a_rejected_try(client, planner) -> None:
    doc = json.loads((DATA_DIR / "boundaries" / "kreis_dueren_gemeinden_2022.geojson").read_text(encoding="utf-8"))
    doc["features"][1]["properties"]["ARS"] = doc["features"][0]["properties"]["ARS"]  # a duplicate key
    level = area_level_create(actor=planner, name="Gemeinde", region_name="Testkreis 2")
    client.force_login(planner)
    url = client.post(reverse("atlas:import"), {"art": "grenzen", "datei": SimpleUploadedFile(
        "g.geojson", json.dumps(doc).encode())})["Location"]
    bad = client.post(url, {"ebene": level.pk, "schluessel": "ARS", "name": "name", "quelle": "VG250"})
    html = bad.content.decode()
    assert bad.status_code == 400
    assert "doppelt" in html
    assert "<option selected>ARS</option>" in html
    assert "<option selected>name</option>" in html
    assert 'value="VG250"' in html
    assert f'<option value="{level.pk}" selected>' in html
