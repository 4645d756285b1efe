"""Words that must never be printed for the person (principle 7: paper reveals nothing).

The list is the HANDOUT_FORBIDDEN_WORDS setting. Matching ignores case, accents and punctuation,
so "Côte-à-Côte", "cote a cote" and "COTE-A-COTE" are one entry. An entry matches whole words
("traite" does not find "traitement"); an entry ending in "*" is a stem ("traffick*" finds
"trafficking" and "trafficked"). Used when a provider saves a text for the person, and again
when a handout is printed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from .config import settings


# Folding a character and compiling a word's pattern are pure, and the same few hundred characters
# and listed words come back for every text: computed once each (a handout scrubs dozens of texts).
@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c if c.isalnum() else " " for c in plain) or " "


def _folded(text: str) -> tuple[str, list[int]]:
    """text folded (lower case, no accents, punctuation as spaces) and, for each folded
    character, the index of the character of text it comes from."""
    chars, origin = [], []
    for index, char in enumerate(text):
        for folded in _fold_char(char):
            chars.append(folded)
            origin.append(index)
    return "".join(chars), origin


def forbidden_words() -> tuple[str, ...]:
    """The configured list (the defaults when the setting is empty)."""
    words = settings().handout_forbidden_words
    return tuple(w for w in words if _folded(w.rstrip("*"))[0].strip())


@lru_cache(maxsize=1024)
def _pattern(word: str) -> re.Pattern:
    stem = word.endswith("*")
    parts = _folded(word.rstrip("*"))[0].split()
    body = " +".join(re.escape(p) for p in parts)
    tail = "[a-z0-9]*" if stem else ""
    return re.compile(rf"(?<![a-z0-9]){body}{tail}(?![a-z0-9])")


def _spans(text: str, words: Iterable[str]) -> tuple[list[str], list[tuple[int, int]]]:
    folded, origin = _folded(text)
    hits, spans = [], []
    for word in words:
        found = list(_pattern(word).finditer(folded))
        if found:
            hits.append(word.rstrip("*"))
            spans += [(origin[m.start()], origin[m.end() - 1] + 1) for m in found]
    return hits, spans


def found_words(text: str | None, words: Iterable[str] | None = None) -> list[str]:
    """The listed words text contains (empty when it is clean)."""
    if not text:
        return []
    return _spans(text, forbidden_words() if words is None else words)[0]


def scrub(text: str | None, words: Iterable[str] | None = None) -> tuple[str | None, list[str]]:
    """(text with every listed word left out, the words found); None when nothing is left."""
    if not text:
        return text, []
    hits, spans = _spans(text, forbidden_words() if words is None else words)
    if not hits:
        return text, []
    removed = [False] * len(text)
    for start, end in spans:
        for i in range(start, end):
            removed[i] = True
    kept = "".join(c for c, gone in zip(text, removed, strict=True) if not gone)
    kept = re.sub(r"\s+([,.;:!?)])", r"\1", re.sub(r"\s{2,}", " ", kept))
    kept = kept.strip(" -–—,;:")
    return kept or None, hits
