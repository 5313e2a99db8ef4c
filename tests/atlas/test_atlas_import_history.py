"""Re-imports replace only what they matched; a full replacement needs the confirmed list; history with undo."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from begegnungsatlas.atlas.models import AreaLevel, Indicator, IndicatorValue, ValueImport
from begegnungsatlas.atlas.services.tables import read_table
from begegnungsatlas.atlas.services.values_history import ReplaceNotConfirmed, value_import_undo
from begegnungsatlas.atlas.services.values_import import Mapping, values_import
from begegnungsatlas.core.models import AuditEvent
from tests.conftest import login_redirect

pytestmark = pytest.mark.django_db
DUEREN, JUELICH, TITZ = "053580008008", "053580024024", "053580036036"


@pytest.fixture(autouse=True)
def private_media(tmp_path: Path, settings) -> Path:
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def level() -> AreaLevel:
    return AreaLevel.objects.get(region__slug="kreis-dueren", slug="kommune")


@pytest.fixture
def ind() -> Indicator:
    return Indicator.objects.create(slug="t-hist", title="Historie")


def _csv(*pairs: tuple[str, str]) -> bytes:
    return ("ARS;Wert\n" + "".join(f"{a};{v}\n" for a, v in pairs)).encode()


def _import(level, ind, data: bytes, actor=None, **kw):
    mapping = Mapping(level=level, area_column="ARS", layout="wide", period="2024", value_columns={"Wert": ind})
    return values_import(table=read_table(data), mapping=mapping, actor=actor, **kw)


def _value(ind, code: str) -> float | None:
    row = IndicatorValue.objects.filter(indicator=ind, area__code=code, period="2024").first()
    return None if row is None else row.value


def test_reimport_keeps_values_of_areas_not_in_the_file(level, ind) -> None:
    _import(level, ind, _csv((DUEREN, "1"), (JUELICH, "2"), (TITZ, "3")))
    result = _import(level, ind, _csv((DUEREN, "10")))
    assert (_value(ind, DUEREN), _value(ind, JUELICH), _value(ind, TITZ)) == (10, 2, 3)
    assert (result.created, result.updated, result.deleted, result.kept) == (0, 1, 0, 2)


def test_full_replacement_needs_the_confirmed_list(level, ind) -> None:
    _import(level, ind, _csv((DUEREN, "1"), (JUELICH, "2")))
    with pytest.raises(ReplaceNotConfirmed) as exc:
        _import(level, ind, _csv((DUEREN, "10")), replace_all=True)
    plan = exc.value.plan
    assert [(d["code"], d["value"]) for d in plan.to_delete] == [(JUELICH, 2.0)]
    assert _value(ind, DUEREN) == 1  # nothing changed
    with pytest.raises(ReplaceNotConfirmed):
        _import(level, ind, _csv((DUEREN, "10")), replace_all=True, confirm="falsch")
    result = _import(level, ind, _csv((DUEREN, "10")), replace_all=True, confirm=plan.token)
    assert (_value(ind, DUEREN), _value(ind, JUELICH)) == (10, None)
    assert result.deleted == 1


def test_web_full_replacement_shows_the_list_then_deletes(client, planner, level, ind) -> None:
    _import(level, ind, _csv((DUEREN, "1"), (JUELICH, "2")))
    client.force_login(planner)
    r = client.post(reverse("atlas:import"), {"art": "werte", "datei": SimpleUploadedFile("neu.csv", _csv((DUEREN, "7")))})
    url = r["Location"]
    post = {"ebene": level.id, "layout": "wide", "gebietsspalte": "ARS", "zuordnung": "code", "dezimal": "de",
            "zeitpunkt": "2024", "spalte_1": "t-hist", "ersetzen": "1"}
    page = client.post(url, post)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="replace-plan"' in html
    assert "Jülich" in html
    assert JUELICH in html
    assert "Importieren und 1 Wert löschen" in html
    assert 'value="t-hist" selected' in html  # the column mapping is kept
    assert _value(ind, DUEREN) == 1
    token = html.split('name="bestaetigung" value="', 1)[1].split('"', 1)[0]
    done = client.post(url, {**post, "bestaetigung": token})
    assert 'id="import-ok"' in done.content.decode()
    assert (_value(ind, DUEREN), _value(ind, JUELICH)) == (7, None)
    record = ValueImport.objects.latest("id")
    assert (record.file_name, record.n_deleted, record.replace_all, record.actor) == ("neu.csv", 1, True, planner)


def test_web_reimport_without_replacement_keeps_the_rest(client, planner, level, ind) -> None:
    _import(level, ind, _csv((DUEREN, "1"), (JUELICH, "2")))
    client.force_login(planner)
    r = client.post(reverse("atlas:import"), {"art": "werte", "datei": SimpleUploadedFile("n.csv", _csv((DUEREN, "7")))})
    done = client.post(r["Location"], {"ebene": level.id, "layout": "wide", "gebietsspalte": "ARS",
                                       "zuordnung": "code", "dezimal": "de", "zeitpunkt": "2024", "spalte_1": "t-hist"})
    assert "0 neu, 1 überschrieben, 0 gelöscht; 1 Werte der Ebene" in done.content.decode()
    assert (_value(ind, DUEREN), _value(ind, JUELICH)) == (7, 2)


def test_undo_restores_previous_values_in_order(client, planner, level, ind) -> None:
    first = _import(level, ind, _csv((DUEREN, "1"), (JUELICH, "2")), actor=planner, file_name="a.csv")
    plan = None
    try:
        _import(level, ind, _csv((DUEREN, "10"), (TITZ, "30")), replace_all=True)
    except ReplaceNotConfirmed as exc:
        plan = exc.plan
    assert plan is not None
    second = _import(level, ind, _csv((DUEREN, "10"), (TITZ, "30")), actor=planner, replace_all=True,
                     confirm=plan.token, file_name="b.csv")
    assert (_value(ind, DUEREN), _value(ind, JUELICH), _value(ind, TITZ)) == (10, None, 30)
    client.force_login(planner)
    page = client.get(reverse("atlas:import_history"))
    assert "a.csv" in page.content.decode()
    assert "b.csv" in page.content.decode()
    # The older import cannot be undone while the newer one that changed the same values stands.
    refused = client.post(reverse("atlas:import_undo", args=[first.history_id]))
    assert refused.status_code == 400
    assert "Ein späterer Import (b.csv" in refused.content.decode()
    assert client.post(reverse("atlas:import_undo", args=[second.history_id])).status_code == 302
    assert (_value(ind, DUEREN), _value(ind, JUELICH), _value(ind, TITZ)) == (1, 2, None)
    assert AuditEvent.objects.filter(action="atlas.values_import_undo").count() == 1
    assert client.post(reverse("atlas:import_undo", args=[first.history_id])).status_code == 302
    assert IndicatorValue.objects.filter(indicator=ind).count() == 0
    again = client.post(reverse("atlas:import_undo", args=[first.history_id]))
    assert "bereits rückgängig" in again.content.decode()


def test_undo_is_for_planners_only(client, editor_dueren, level, ind) -> None:
    result = _import(level, ind, _csv((DUEREN, "1")))
    url = reverse("atlas:import_undo", args=[result.history_id])
    assert login_redirect(client.post(url))
    client.force_login(editor_dueren)
    assert client.post(url).status_code == 403
    assert client.get(reverse("atlas:import_history")).status_code == 403
    with pytest.raises(PermissionDenied, match="Nur die Sozialplanung"):
        value_import_undo(actor=editor_dueren, record_id=result.history_id)
    assert _value(ind, DUEREN) == 1
    assert not AuditEvent.objects.filter(action="atlas.values_import_undo").exists()
