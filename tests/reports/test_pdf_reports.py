from __future__ import annotations

import zlib

import pytest

from begegnungsatlas.reports import ReportError, render_pdf


def _text_streams(pdf: bytes) -> bytes:
    out = b""
    for chunk in pdf.split(b"stream\n")[1:]:
        body = chunk.split(b"\nendstream")[0]
        try:
            out += zlib.decompress(body)
        except zlib.error:
            out += body
    return out


DATA = {"sender": "Kreis Düren", "subject": "Förderzusage für Jülich", "recipient": ["Stadt Jülich"],
        "place_date": "Düren, 01.03.2024", "salutation": "Sehr geehrte Damen und Herren,",
        "paragraphs": ["Größe, Übermut, Ärger: 1.500,00 € #nicht *fett* $x$"],
        "budget": [{"name": "Sachmittel", "amount": "1.500,00 €"}], "reason": "weil", "signature": "Kreis Düren"}


def test_render_notice_is_pdf_with_embedded_fonts_and_unicode_map():
    pdf = render_pdf("notice", DATA)
    assert pdf.startswith(b"%PDF-")
    streams = _text_streams(pdf)
    # The ToUnicode maps of the embedded subset fonts must cover ü (00FC), ö (00F6), ß (00DF) and € (20AC):
    # these are only present when the glyphs were found in the embedded fonts (no tofu).
    for code in (b"00FC", b"00F6", b"00C4", b"20AC"):
        assert code in streams.upper(), code
    assert b"/FontFile" in pdf


def test_markup_in_data_is_text_not_code():
    # Typst markup in user text must neither break the compile nor be evaluated.
    render_pdf("notice", DATA | {"reason": '#panic("x") ] ) } @ref <l>'})


def test_unknown_template_is_refused():
    with pytest.raises(ReportError):
        render_pdf("../secret", {})
