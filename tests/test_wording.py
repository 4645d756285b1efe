"""Words for every gender (principle 6): nothing the platform writes about the person presumes one.

- The English catalogue never says she, her, hers or herself: English speaks of "the person" and
  uses "they" (for intervenantes too).
- In French, a string of the referral domain (referrals, the person's say, shortlists, the help
  page) that says "elle" or "elles" must name "la personne" (or "les personnes") before it.
  Intervenantes are written in the feminine by the field's convention: the few strings where
  "elle" is an intervenante (or a feminine noun) are listed in ABOUT_SOMEONE_ELSE, with why.
  CONTRIBUTING note: README.md, section "Translations".
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "cote_a_cote" / "translations"
# Where the platform writes about the person: the code and templates of these features.
PERSON_DOMAIN = (
    "cote_a_cote/referrals",
    "cote_a_cote/templates/referrals",
    "cote_a_cote/feedback",
    "cote_a_cote/templates/feedback",
    "cote_a_cote/shortlists",
    "cote_a_cote/templates/shortlists",
    "cote_a_cote/helplines",
    "cote_a_cote/templates/helplines",
    "cote_a_cote/templates/email",
)
# msgid -> why its French "elle" is not the person.
ABOUT_SOMEONE_ELSE = {
    "Your organisation shares referrals: you also see those of your colleagues, and they see "
    "yours.": "elles = the colleagues (intervenantes)",
}

_ENGLISH = re.compile(r"\b(she|her|hers|herself)\b", re.IGNORECASE)
_FRENCH = re.compile(r"\b(elles?)\b", re.IGNORECASE)
_ANTECEDENT = re.compile(r"\b(la|cette|chaque|une) personne\b|\bles personnes\b", re.IGNORECASE)
_KEYWORDS = {
    "_": None,
    "_l": None,
    "gettext": None,
    "lazy_gettext": None,
    "ngettext": (1, 2),
    "lazy_ngettext": (1, 2),
}


def english_pronouns(text: str) -> list[str]:
    """The gendered English pronouns text uses."""
    return _ENGLISH.findall(text or "")


def french_pronoun_without_person(text: str) -> bool:
    """Whether text says elle(s) with no "la personne" (or alike) before it."""
    for match in _FRENCH.finditer(text or ""):
        if not _ANTECEDENT.search(text[: match.start()]):
            return True
    return False


def _catalogue(locale: str):
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh, locale=locale)


def _texts(message) -> list[str]:
    ids = list(message.id) if isinstance(message.id, (list, tuple)) else [message.id]
    strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    return [t for t in [*ids, *strings] if t]


def _person_domain_ids() -> set[str]:
    found = set()
    method_map = [("**.py", "python"), ("**.html", "jinja2"), ("**.txt", "jinja2")]
    for folder in PERSON_DOMAIN:
        path = ROOT / folder
        if not path.exists():
            continue
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(path), method_map, keywords=_KEYWORDS
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("What she needs", ["she"]),
        ("Her consent, then sending", ["Her"]),
        ("Give the person their code.", []),
        ("Whether it shelters pets", []),
    ],
)
def test_the_english_check_finds_what_it_looks_for(text, flagged):
    assert english_pronouns(text) == flagged


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Ce dont elle a besoin", True),
        ("Elle refuse", True),
        ("Ce dont la personne a besoin", False),
        ("Dans les mots de la personne, tels qu’elle les perçoit.", False),
        ("Quelle réponse choisir ?", False),
    ],
)
def test_the_french_check_finds_what_it_looks_for(text, flagged):
    assert french_pronoun_without_person(text) is flagged


def test_the_english_catalogue_never_presumes_a_gender():
    found = [
        text
        for message in _catalogue("en")
        if message.id
        for text in _texts(message)
        if english_pronouns(text)
    ]
    assert found == [], "use “the person” / “they”:\n" + "\n".join(found)


def test_french_strings_about_the_person_name_the_person():
    domain = _person_domain_ids()
    assert len(domain) > 100  # the extraction really read the referral pages
    found = []
    for message in _catalogue("fr"):
        key = message.id if isinstance(message.id, str) else (message.id or [None])[0]
        if not key or key not in domain or key in ABOUT_SOMEONE_ELSE:
            continue
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        found += [s for s in strings if french_pronoun_without_person(s)]
    assert found == [], "say “la personne” before “elle”:\n" + "\n".join(found)


def test_the_allow_list_names_only_strings_that_exist():
    ids = {m.id for m in _catalogue("fr") if isinstance(m.id, str)}
    assert set(ABOUT_SOMEONE_ELSE) <= ids
