"""Receipts, notices and frozen revisions stay German when the person who triggers them uses the English UI."""

from __future__ import annotations

from typing import Any

from django.core import mail
from django.utils import translation

from begegnungsatlas.funding.services.applications import application_transition
from begegnungsatlas.funding.workflow import State


def test_submission_in_english_ui_sends_german_receipt_and_freezes_german_data(draft: Any, applicant: Any) -> None:
    mail.outbox.clear()
    with translation.override("en"):
        application = application_transition(actor=applicant, application=draft, to=State.SUBMITTED)
        # The caller's language is restored afterwards.
        assert translation.get_language() == "en"
    message = mail.outbox[0]
    assert message.subject.startswith("Eingangsbestätigung: Bewerbung")
    assert "Mit freundlichen Grüßen" in message.body
    assert "Kind regards" not in message.body
    revision = application.revisions.get()
    assert set(revision.data["target_groups"]) == {"Familien", "Ältere Menschen"}
