"""Every language code the platform uses, and its names in French and in English.

The one place that names languages: pages, forms, facets, search documents, the HSDS export, import
and API all go through it. Codes are ISO 639-1 when the language has one, else ISO 639-3. Names
come from CLDR (through Babel) unless the platform names the language itself: Babel lacks some
languages of Québec, and for a few others the nations' own names are the ones people here use.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from babel import Locale

LOCALES = ("fr", "en")
CODE = re.compile(r"^[a-z]{2,3}$")

# Our own names (French, English), for codes Babel does not name or names otherwise than Québec.
OWN_NAMES: dict[str, tuple[str, str]] = {
    "abe": ("abénakis", "Abenaki"),
    "cr": ("cri", "Cree"),
    "alq": ("algonquin", "Algonquin"),
    "nsk": ("naskapi", "Naskapi"),
    "mic": ("mi’gmaq", "Mi’kmaq"),
    "pqm": ("wolastoqey", "Wolastoqey"),
    "wdt": ("wendat", "Wendat"),
    "lsq": ("langue des signes québécoise", "Quebec Sign Language"),
    "cmn": ("mandarin", "Mandarin Chinese"),
    "prs": ("dari", "Dari"),
}

# Other names people type for a language; searched, never shown.
ALIASES: dict[str, tuple[str, ...]] = {
    "alq": ("anishinaabemowin", "anishinabe", "anicinabe", "algonkin"),
    "atj": ("attikamek", "atikamekw nehiromowin"),
    "moe": ("innu", "montagnais"),
    "iu": ("inuit", "inuttitut"),
    "mic": ("micmac", "mi'kmaw", "mi'gmaq", "mi'kmaq"),
    "pqm": ("malécite", "maliseet", "malécite-passamaquoddy"),
    "wdt": ("huron-wendat", "huron", "wyandot"),
    "cr": ("eeyou", "eenou"),
    "moh": ("kanien'kéha", "kanienkeha"),
    "lsq": ("LSQ",),
    "ase": ("ASL",),
}

# The languages forms offer, in this order: French and English first, then the languages most
# asked for in Québec, then the First Nations and Inuit languages.
OFFERED = (
    "fr", "en", "es", "ar", "ht", "pt", "zh", "cmn", "yue", "vi", "uk", "ru", "fa", "prs", "sw",
    "tl", "ln", "ti", "so", "am", "wo", "lsq", "ase",
    "iu", "cr", "crl", "crj", "atj", "moe", "nsk", "alq", "mic", "moh", "abe", "pqm", "wdt",
)  # fmt: skip


def _capitalised(name: str) -> str:
    return name[:1].upper() + name[1:]


def _locale(locale: str) -> str:
    return "en" if locale == "en" else "fr"


@lru_cache(maxsize=2048)
def language_name(code: str, locale: str = "fr") -> str | None:
    """The language's name in locale ("Espagnol", "Algonquin (Anishinaabemowin)"), or None when
    the code is not a language the platform knows."""
    if not isinstance(code, str) or not CODE.match(code):
        return None
    locale = _locale(locale)
    if code in OWN_NAMES:
        return _capitalised(OWN_NAMES[code][LOCALES.index(locale)])
    name = Locale.parse(locale).languages.get(code)
    return _capitalised(name) if name else None


def language_label(code: str, locale: str = "fr") -> str:
    """The name to show for a stored code: its name, or the code itself when unknown."""
    return language_name(code, locale) or code


def is_known(code: str) -> bool:
    return language_name(code) is not None


@lru_cache(maxsize=2048)
def search_names(code: str) -> tuple[str, ...]:
    """Every name a person may type to find services offered in the language, both languages."""
    names = [language_name(code, locale) for locale in LOCALES]
    names += [Locale.parse(locale).languages.get(code) for locale in LOCALES]
    names += list(ALIASES.get(code, ()))
    return tuple(dict.fromkeys(name for name in names if name))


def offered(locale: str, extra: list[str] | tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """(code, name) of the languages a form offers, plus extra codes already chosen."""
    codes = list(dict.fromkeys([*OFFERED, *extra]))
    return [(code, language_label(code, locale)) for code in codes]


def fold(text: str) -> str:
    """A name as compared: no accents, case, apostrophe style or surrounding spaces."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'").casefold().strip())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=1)
def codes_by_name() -> dict[str, str]:
    """Folded name -> code, for every name CLDR and the platform know (HSDS import by name)."""
    found: dict[str, str] = {}
    for code in [*OWN_NAMES, *ALIASES, *OFFERED]:
        for name in search_names(code):
            found.setdefault(fold(name), code)
    for locale in LOCALES:
        for code, name in Locale.parse(locale).languages.items():
            if CODE.match(code):
                found.setdefault(fold(name), code)
    return found
