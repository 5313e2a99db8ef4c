from __future__ import annotations

import doctest

import pytest

from begegnungsatlas.funding import money, spread
from begegnungsatlas.funding.errors import FundingError
from begegnungsatlas.funding.money import format_eur, parse_eur


@pytest.mark.parametrize(("text", "cents"), [
    ("1.500,00", 150000), ("1500,50", 150050), ("1500", 150000), ("1.500", 150000), ("0,99", 99),
    ("3.500,00 €", 350000), ("12 345,6", 1234560), ("1.234.567,89", 123456789),
])
def test_parse_german_amounts(text, cents):
    assert parse_eur(text) == cents


@pytest.mark.parametrize(("text", "message"), [
    ("1,500.00", "mehrdeutig"), ("1500.50", "mehrdeutig"), ("-10,00", "nicht negativ"), ("abc", "kein gültiger"),
    ("", "bitte einen Betrag"), ("0,00", "größer als 0"), ("1,234", "kein gültiger"), ("1.50", "mehrdeutig"),
])
def test_parse_refuses_ambiguous_and_bad_input_in_german(text, message):
    with pytest.raises(FundingError, match=message):
        parse_eur(text, field="Betrag")


def test_format():
    assert format_eur(150000) == "1.500,00 €"
    assert format_eur(5) == "0,05 €"
    assert format_eur(123456789) == "1.234.567,89 €"


@pytest.mark.parametrize("module", [money, spread])
def test_doctests(module):
    result = doctest.testmod(module)
    assert result.attempted > 0
    assert result.failed == 0
