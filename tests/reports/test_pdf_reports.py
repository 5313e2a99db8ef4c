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


def pdfua_marks(pdf: bytes) -> dict[str, object]:
    """What a PDF/UA checker looks at first: the tag tree, language, Marked flag and the XMP claim."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    xmp = reader.xmp_metadata
    xml = xmp.stream.get_data().decode("utf-8") if xmp is not None else ""
    mark = root.get("/MarkInfo")
    return {
        "struct_tree": "/StructTreeRoot" in root,
        "lang": str(root.get("/Lang", "")),
        "marked": bool(mark.get_object().get("/Marked")) if mark is not None else False,
        "pdfua_part": "<pdfuaid:part>1</pdfuaid:part>" in xml,
        "title": str((reader.metadata or {}).get("/Title", "")),
        "display_title": bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle")),
    }


DATENCHECK = {"title": "Datencheck Jülich", "region": "Kreis Düren", "period": "2011 – 2022", "is_example": False,
              "footer": "Begegnungsatlas", "sources": [["Zensus 2011", "© Statistisches Bundesamt"]],
              "sections": [{"name": "Jülich", "is_kreis": False, "rows": [["Einwohner:innen", "1", "2", "1"]],
                            "age": None}]}


def test_accessible_pdf_is_tagged_and_claims_pdf_ua_1():
    pdf = render_pdf("datencheck", DATENCHECK, accessible=True)
    marks = pdfua_marks(pdf)
    assert marks["struct_tree"]
    assert marks["lang"] == "de-DE"
    assert marks["marked"] is True
    assert marks["pdfua_part"]
    assert marks["title"] == "Datencheck Jülich"
    assert marks["display_title"]


def test_pdf_ua_is_only_claimed_when_asked_for():
    assert not pdfua_marks(render_pdf("datencheck", DATENCHECK))["pdfua_part"]


def test_png_preview_of_the_same_document():
    from begegnungsatlas.reports import render_png

    pages = render_png("notice", DATA, ppi=40)
    assert pages
    assert all(p.startswith(b"\x89PNG") for p in pages)
