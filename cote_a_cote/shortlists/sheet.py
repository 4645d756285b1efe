"""The printed sheet of a shortlist: public facts only, and no word that reveals its purpose.

Principle 7 (paper reveals nothing): the sheet names neither the platform nor why the person
goes. Each printed text is checked against PRINT_FORBIDDEN_WORDS, ignoring case and accents;
a text that contains one is left out and the intervenante is told on screen.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..catalogue import services as catalogue
from ..catalogue.models import Service

# The same spirit as the handout's list; kept short and matched as whole words or stems.
PRINT_FORBIDDEN_WORDS = (
    "cote a cote",
    "exploitation",
    "exploite",
    "exploitee",
    "traite",
    "traffick",
    "trafic",
    "proxenet",
    "prostitu",
    "sex work",
    "travail du sexe",
    "industrie du sexe",
    "pimp",
    "survivant",
    "survivor",
)
_STEMS = ("traffick", "proxenet", "prostitu", "survivant", "survivor", "exploite")


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


_PATTERNS = tuple(
    re.compile(
        rf"(?<![a-z0-9]){re.escape(word)}{'[a-z0-9]*' if word in _STEMS else ''}(?![a-z0-9])"
    )
    for word in PRINT_FORBIDDEN_WORDS
)


def reveals(text: str | None) -> bool:
    """Whether text contains a forbidden word (case, accents and punctuation ignored)."""
    if not text:
        return False
    folded = _fold(text)
    return any(pattern.search(folded) for pattern in _PATTERNS)


@dataclass(frozen=True)
class SheetPlace:
    street: str | None
    postal_code: str | None
    municipality: str


@dataclass(frozen=True)
class SheetItem:
    name: str | None
    organization: str | None
    places: tuple[SheetPlace, ...]
    phone: str | None
    is_24_7: bool
    hours: tuple[catalogue.DayHours, ...]
    cost: str | None


@dataclass(frozen=True)
class Sheet:
    items: tuple[SheetItem, ...]
    left_out: int  # texts not printed because they held a forbidden word


def build_sheet(services: list[Service], locale: str) -> Sheet:
    """The sheet for services, as an anonymous visitor would see them (public addresses only)."""
    left_out = 0

    def safe(text: str | None) -> str | None:
        nonlocal left_out
        if reveals(text):
            left_out += 1
            return None
        return text

    items = []
    for service in services:
        detail = catalogue.service_detail(service, None, locale)
        # A confidential place keeps only its municipality (masked for an anonymous viewer).
        places = tuple(
            SheetPlace(safe(p.street), p.postal_code, p.municipality) for p in detail.places
        )
        items.append(
            SheetItem(
                name=safe(detail.card.name),
                organization=safe(detail.card.organization_name),
                places=places,
                phone=detail.contact.phone,
                is_24_7=detail.is_24_7,
                hours=detail.hours,
                cost=safe(detail.cost),
            )
        )
    return Sheet(tuple(items), left_out)
