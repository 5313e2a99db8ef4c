"""English is really available: the catalogue is complete, compiled, and key pages switch language.

German stays the default; the language switch in ``base.html`` posts to ``/i18n/setlang/``.
"""

from __future__ import annotations

import gettext
import re
import shutil
from pathlib import Path
from typing import Any

import polib
import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from begegnungsatlas.places.services.places import place_create

PACKAGE = Path(__file__).resolve().parents[2] / "begegnungsatlas"
LOCALE = PACKAGE / "locale" / "en" / "LC_MESSAGES"
PO = LOCALE / "django.po"
MO = LOCALE / "django.mo"
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%%")


@pytest.fixture
def english(client: Any, db: Any) -> Any:
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


def _html(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# --- pages --------------------------------------------------------------------------------------------------


def test_german_is_the_default(client: Any, db: Any) -> None:
    html = _html(client, reverse("places:map"))
    assert '<html lang="de">' in html
    assert "<h1>Orte der Begegnung</h1>" in html
    assert "Places of encounter" not in html


@pytest.mark.parametrize(
    ("url", "english_texts", "german_texts"),
    [
        ("/orte/", ["<h1>Places of encounter</h1>", "Filter places", "Sign in"],
         ["Orte der Begegnung", "Orte filtern", "Anmelden"]),
        ("/atlas/karte/", ["<h1>Social space atlas", "Indicators"],
         ["<h1>Sozialraumatlas", "Indikatoren"]),
        ("/atlas/methode/", ["<h1>How the atlas calculates</h1>", "Missing and suppressed values"],
         ["So rechnet der Atlas", "Fehlende und gesperrte Werte"]),
        # "Förderung" names the section ("Funding", context "Bereich"), elsewhere a grant ("Grant").
        ("/foerderung/", ["<h1>Funding calls “Places of encounter”</h1>", "Calls", "Funding – Begegnungsatlas"],
         ["Förderaufrufe", "Aufrufe", "Grant – Begegnungsatlas"]),
        ("/anmelden/", ["<h1>Sign in</h1>", "Username", "Password"], ["Benutzername", "Passwort"]),
    ],
)
def test_key_pages_switch_to_english(english: Any, url: str, english_texts: list[str],
                                     german_texts: list[str]) -> None:
    html = _html(english, url)
    assert '<html lang="en">' in html
    assert "Skip to content" in html
    assert "Zum Inhalt springen" not in html
    for text in english_texts:
        assert text in html, text
    for text in german_texts:
        assert text not in html, text


def test_place_detail_in_english(english: Any, planner: Any) -> None:
    place = place_create(actor=planner, data={"name": "Treff am Markt", "lon": 6.4836, "lat": 50.8048,
                                              "opening_hours": "Mo-Fr 10:00-18:00"})
    html = _html(english, reverse("places:detail", args=[place.pk]))
    assert "<h1>Treff am Markt</h1>" in html
    for text in ("At a glance", "Location", "Opening hours", "Suggest a correction"):
        assert text in html, text
    for text in ("Auf einen Blick", "Öffnungszeiten", "Korrektur vorschlagen"):
        assert text not in html, text
    # Map labels for maps.js come translated from the template (no German hard-coded in the script).
    assert 'data-label-areas="Areas"' in html


def test_switching_back_to_german(english: Any) -> None:
    english.post(reverse("set_language"), {"language": "de", "next": "/"})
    html = _html(english, reverse("places:map"))
    assert "<h1>Orte der Begegnung</h1>" in html


def test_module_constants_follow_the_request_language() -> None:
    # Built at import time, so they must be lazy to be translated per request.
    from begegnungsatlas.atlas.selectors.mss import DYNAMICS_TEXT, STATUS_TEXT

    with translation.override("en"):
        assert [str(t) for t in STATUS_TEXT.values()] == ["high", "medium", "low", "very low"]
        assert str(DYNAMICS_TEXT[2]) == "stable"
    with translation.override("de"):
        assert str(STATUS_TEXT[4]) == "sehr niedrig"


# --- catalogue ----------------------------------------------------------------------------------------------


def test_catalogue_has_no_untranslated_or_fuzzy_entries() -> None:
    po = polib.pofile(str(PO))
    assert not po.metadata_is_fuzzy
    assert po.metadata["Language"] == "en"
    entries = [e for e in po if not e.obsolete]
    assert len(entries) > 1000
    problems = []
    for e in entries:
        if "fuzzy" in e.flags:
            problems.append(("fuzzy", e.msgid))
        strings = list(e.msgstr_plural.values()) if e.msgid_plural else [e.msgstr]
        if not strings or any(not s.strip() for s in strings):
            problems.append(("untranslated", e.msgid))
        # Named placeholders must survive translation exactly (a lost one breaks the % operator).
        sources = [e.msgid, e.msgid_plural] if e.msgid_plural else [e.msgid]
        if "python-format" in e.flags:
            want = sorted(PLACEHOLDER.findall(sources[-1]))
            for s in strings:
                if sorted(PLACEHOLDER.findall(s)) != want:
                    problems.append(("placeholders", e.msgid))
    assert problems == []


def test_compiled_catalogue_matches_the_po(tmp_path: Path) -> None:
    """A forgotten ``compilemessages`` fails here: the committed .mo must hold exactly what the .po says.

    The .po is compiled again (polib) and both .mo files are compared as catalogues, not as bytes, because
    msgfmt and polib order and pad their hash tables differently.
    """
    fresh = tmp_path / "django.mo"
    polib.pofile(str(PO)).save_as_mofile(str(fresh))
    with MO.open("rb") as committed, fresh.open("rb") as compiled:
        committed_catalog = dict(gettext.GNUTranslations(committed)._catalog)  # type: ignore[attr-defined]
        compiled_catalog = dict(gettext.GNUTranslations(compiled)._catalog)  # type: ignore[attr-defined]
    # The header entry differs by tool (msgfmt drops POT-Creation-Date); the plural rule is checked on its own.
    header = committed_catalog.pop("")
    compiled_catalog.pop("")
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header
    assert len(committed_catalog) > 1000
    assert committed_catalog == compiled_catalog


# The same call as in docs/i18n.md: vendored scripts and the analysis package carry no UI strings.
MAKEMESSAGES_IGNORE = ["static/vendor/*", "analysis/*"]
GETTEXT_TOOLS = ("xgettext", "msguniq", "msgmerge")


def _key(entry: polib.POEntry) -> tuple[str, str, str]:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def _show(keys: set[tuple[str, str, str]]) -> list[str]:
    return sorted(f"[{ctx}] {msgid}" if ctx else msgid for ctx, msgid, _plural in keys)


def test_catalogue_covers_every_translatable_string(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new or changed ``{% translate %}`` / ``gettext`` string without an entry in the .po fails here.

    ``makemessages`` runs exactly as documented, but on a mirror of the package (symlinks to everything but
    ``locale``) with a copy of the locale directory, so the committed catalogue is never touched; the extracted
    template (``django.pot``, kept) is compared with the committed .po by msgctxt + msgid (+ plural).
    """
    missing_tools = [tool for tool in GETTEXT_TOOLS if shutil.which(tool) is None]
    if missing_tools:
        pytest.fail(f"GNU gettext is not installed ({', '.join(missing_tools)} not found): this test extracts the "
                    "translatable strings with makemessages. Install it: apt-get install gettext "
                    "(./run test does this).", pytrace=False)
    mirror = tmp_path / "begegnungsatlas"
    mirror.mkdir()
    for child in PACKAGE.iterdir():
        if child.name not in ("locale", "__pycache__"):
            (mirror / child.name).symlink_to(child, target_is_directory=child.is_dir())
    shutil.copytree(PACKAGE / "locale", mirror / "locale")
    monkeypatch.chdir(mirror)
    with override_settings(LOCALE_PATHS=[str(mirror / "locale")]):
        call_command("makemessages", locale=["en"], ignore_patterns=MAKEMESSAGES_IGNORE, symlinks=True,
                     keep_pot=True, verbosity=0)
    extracted = {_key(e) for e in polib.pofile(str(mirror / "locale" / "django.pot")) if e.msgid}
    assert len(extracted) > 1000
    committed = {_key(e) for e in polib.pofile(str(PO)) if not e.obsolete}
    missing = extracted - committed
    assert not missing, (
        f"{len(missing)} translatable string(s) have no entry in {PO.name}: run makemessages and translate them "
        f"(docs/i18n.md): {_show(missing)[:20]}")
    stale = committed - extracted
    assert not stale, (
        f"{len(stale)} entr(y/ies) in {PO.name} are no longer in the source: run makemessages (docs/i18n.md): "
        f"{_show(stale)[:20]}")
