"""Opening hours: validation, open now, next opening, NRW public holidays."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from begegnungsatlas.places import opening_hours as oh

B = oh.BERLIN
WEEKDAYS_PH_OFF = "Mo-Fr 09:00-17:00; PH off"


@pytest.mark.parametrize(
    ("when", "holiday"),
    [(datetime(2025, 6, 19, 10, tzinfo=B), "Fronleichnam"), (datetime(2025, 11, 1, 10, tzinfo=B), "Allerheiligen")],
)
def test_nrw_only_holidays_close_a_ph_off_place(when, holiday):
    expr = "Mo-Su 09:00-17:00; PH off"
    assert not oh.is_open_at(expr, when), holiday
    # the day before is an ordinary day
    assert oh.is_open_at(expr, when - timedelta(days=1))


def test_without_ph_off_the_place_is_open_on_fronleichnam():
    assert oh.is_open_at("Mo-Su 09:00-17:00", datetime(2025, 6, 19, 10, tzinfo=B))


def test_nationwide_holiday_is_closed():
    assert not oh.is_open_at(WEEKDAYS_PH_OFF, datetime(2025, 10, 3, 10, tzinfo=B))  # Tag der Deutschen Einheit


def test_next_opening_across_a_weekend():
    friday_evening = datetime(2025, 6, 20, 18, 0, tzinfo=B)
    state = oh.state_at(WEEKDAYS_PH_OFF, friday_evening)
    assert not state.is_open
    assert state.next_opening == datetime(2025, 6, 23, 9, 0, tzinfo=B)
    label = oh.open_label(WEEKDAYS_PH_OFF, friday_evening)
    assert label.state == "closed"
    assert label.text == "geschlossen – öffnet wieder Montag, 09:00 Uhr"


def test_next_opening_skips_the_nrw_holiday():
    wednesday_evening = datetime(2025, 6, 18, 18, 0, tzinfo=B)  # Thursday 19.06. is Fronleichnam
    assert oh.state_at(WEEKDAYS_PH_OFF, wednesday_evening).next_opening == datetime(2025, 6, 20, 9, 0, tzinfo=B)


def test_open_label_open_and_same_day():
    assert oh.open_label(WEEKDAYS_PH_OFF, datetime(2025, 6, 18, 10, tzinfo=B)).text == "jetzt geöffnet"
    early = oh.open_label(WEEKDAYS_PH_OFF, datetime(2025, 6, 18, 7, tzinfo=B))
    assert early.text == "geschlossen – öffnet wieder heute, 09:00 Uhr"


def test_open_label_without_hours_and_with_broken_stored_hours():
    assert oh.open_label("", datetime(2025, 6, 18, 10, tzinfo=B)).state == "none"
    assert oh.open_label("Mo-Fx 9-17", datetime(2025, 6, 18, 10, tzinfo=B)).state == "unknown"


def test_validate_gives_a_german_message():
    with pytest.raises(oh.OpeningHoursError, match="nicht im OpenStreetMap-Format lesbar.*Beispiel"):
        oh.validate("täglich von 9 bis 17 Uhr")
    assert oh.validate("  Mo-Fr 09:00-17:00  ") == "Mo-Fr 09:00-17:00"
    assert oh.validate("") == ""


def test_augmentation_keeps_the_stored_text_and_adds_dates():
    out = oh.augment_with_regional_holidays("Mo-Fr 09:00-17:00; PH off", years=range(2025, 2026))
    assert out == "Mo-Fr 09:00-17:00; PH off; 2025 Jun 19,2025 Nov 01 off"
    assert oh.augment_with_regional_holidays("Mo 10:00-12:00", years=range(2025, 2026)) == "Mo 10:00-12:00"
