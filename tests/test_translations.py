"""Both message catalogues are complete: every string in the code and templates is translated."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

PACKAGE = Path(__file__).resolve().parent.parent / "cote_a_cote"
TRANSLATIONS = PACKAGE / "translations"
METHODS = [
    ("**.py", "python"),
    ("templates/**.html", "jinja2"),
    ("templates/**.txt", "jinja2"),
]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _source_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(PACKAGE),
        METHODS,
        keywords=KEYWORDS,
        # Babel skips folders starting with "_" by default; templates/_macros holds strings too.
        directory_filter=lambda path: not Path(path).name.startswith((".", "__pycache__")),
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def _catalogue(locale: str):
    with open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", "rb") as fh:
        return read_po(fh, locale=locale)


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_catalogue_covers_every_string(locale):
    catalogue = _catalogue(locale)
    missing = sorted(m for m in _source_messages() if m not in catalogue or not catalogue[m].string)
    assert missing == [], f"{len(missing)} strings untranslated in {locale}: {missing[:20]}"


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_no_fuzzy_entries_and_placeholders_kept(locale):
    for message in _catalogue(locale):
        if not message.id:
            continue
        assert not message.fuzzy, f"fuzzy translation in {locale}: {message.id!r}"
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(PLACEHOLDER.findall(ids[0]))
        for text in strings:
            if text:
                assert set(PLACEHOLDER.findall(text)) == expected, (locale, message.id, text)


def test_french_is_really_french():
    """A catalogue that copies the English would pass the completeness test; this one would not."""
    catalogue = _catalogue("fr")
    messages = [m for m in catalogue if m.id and isinstance(m.id, str) and len(m.id) > 25]
    same = [m.id for m in messages if m.string == m.id]
    assert len(same) <= len(messages) * 0.05, same[:10]
