"""Letters and contracts name the installation's Kreis from the settings (``core.installation``)."""

from __future__ import annotations

from typing import Any

from django.test import override_settings

from begegnungsatlas.funding import letters

from .test_grants import grant, make_grant  # noqa: F401 - fixtures

EUSKIRCHEN = {"BEGEGNUNGSATLAS_INSTALLATION_NAME": "Kreis Euskirchen",
              "BEGEGNUNGSATLAS_LETTERHEAD": "Kreis Euskirchen – Sozialplanung",
              "BEGEGNUNGSATLAS_LETTER_PLACE": "Euskirchen"}


def test_contract_and_notice_use_the_configured_kreis(open_call: Any, applicant: Any, office: Any, reviewer: Any,
                                                      monkeypatch: Any) -> None:
    seen: list[tuple[str, dict[str, Any]]] = []
    monkeypatch.setattr(letters, "render_pdf", lambda name, data: seen.append((name, data)) or b"%PDF-")
    with override_settings(**EUSKIRCHEN):
        granted = make_grant(open_call, applicant, office, reviewer)
        letters.notice_pdf(granted.application)
    names = {p.name for p in granted.contract.parties.all()}
    assert "Kreis Euskirchen" in names
    assert "Kreis Düren" not in names
    notice = next(data for name, data in seen if name == "notice")
    assert notice["sender"] == notice["signature"] == "Kreis Euskirchen – Sozialplanung"
    assert notice["place_date"].startswith("Euskirchen, den ")
