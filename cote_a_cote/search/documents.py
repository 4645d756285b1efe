"""From a service (with its organisation, terms and places) to the document the index stores."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from functools import lru_cache
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..catalogue.card_rows import ClosureRow
from ..catalogue.models import (
    CapacityStatus,
    Organization,
    OrganizationKind,
    OrganizationStatus,
    Service,
    Visibility,
    keyword_list,
)
from ..vocabulary.languages import search_names
from . import schema
from .rows import OrganizationRow, PlaceRow, RowLoader, ServiceRow, TermRow

# Taxonomies whose codes become a keyword field of the same name.
KEYWORD_TAXONOMIES = ("need", "sector", "population", "exploitation", "access")
# Without a gazetteer match, a confidential place is only located to about ten kilometres.
CONFIDENTIAL_ROUNDING = 1


@dataclass
class IndexDocument:
    """What the index keeps of one listed service."""

    service_id: int
    texts: dict[str, str]  # text level -> text
    keywords: dict[str, list[str]] = field(default_factory=dict)
    payload: dict = field(default_factory=dict)
    # term id -> the words it gives the service (its labels and keywords and its ancestors'):
    # the PostgreSQL backend keeps them once per term rather than in every document.
    term_texts: dict[int, str] = field(default_factory=dict)


class TermWords(NamedTuple):
    """What a term gives the documents of the services it tags."""

    text: str  # its labels and keywords, and its ancestors', one per line
    taxonomy: str
    codes: list[str]


Locate = Callable[[str], tuple[float, float] | None]
Keywords = dict[str, set[str]]


def is_listed(organization: OrganizationRow) -> bool:
    """Only approved providers are ever indexed; anything else is removed from the index."""
    return Organization.listed(organization.kind, organization.status)


def _ancestors(code: str, terms_by_code: dict[str, TermRow]) -> list[TermRow]:
    """Parent terms of a code (need.legal for need.legal.lawyer) that exist in the taxonomy."""
    parts = code.split(".")
    found = []
    for end in range(2, len(parts)):
        parent = terms_by_code.get(".".join(parts[:end]))
        if parent is not None:
            found.append(parent)
    return found


def _epoch_day(moment: datetime | None) -> int | None:
    return moment.astimezone(UTC).date().toordinal() if moment else None


def _coordinates(place: PlaceRow, locate: Locate) -> list[float] | None:
    """Where a place is for distances; a confidential one only by its municipality."""
    if place.latitude is None or place.longitude is None:
        return None
    if not place.is_confidential:
        return [place.latitude, place.longitude]
    centre = locate(place.municipality)
    if centre is not None:
        return [centre[0], centre[1]]
    return [
        round(place.latitude, CONFIDENTIAL_ROUNDING),
        round(place.longitude, CONFIDENTIAL_ROUNDING),
    ]


def _term_words(term: TermRow, terms_by_code: dict[str, TermRow]) -> TermWords:
    """The labels, taxonomy code and codes a term gives the documents of the services it tags.

    A term's labels and keywords stand for every term under it: "avocat", a keyword of
    need.legal, finds a service tagged need.legal.lawyer only.
    """
    labels: list[str] = []
    codes: list[str] = []
    for labelled in (term, *_ancestors(term.code, terms_by_code)):
        labels += [labelled.name_fr, labelled.name_en]
        labels += keyword_list(labelled.keywords_fr) + keyword_list(labelled.keywords_en)
        codes.append(labelled.code)
    return TermWords(_join(labels), term.taxonomy_code, codes)


def build_document(
    service: ServiceRow,
    terms_by_code: dict[str, TermRow],
    locate: Locate,
    term_cache: dict[int, TermWords] | None = None,
) -> IndexDocument | None:
    """The index document of a service, or None when it must not be searchable at all.

    term_cache keeps each term's words for the next documents of the same run (a rebuild)."""
    organization = service.organization
    if organization is None or not is_listed(organization):
        return None
    keywords: Keywords = {name: set() for name in schema.KEYWORD_FIELDS}
    carried = [*service.terms, *([organization.sector] if organization.sector else [])]
    cache = {} if term_cache is None else term_cache
    term_texts = _add_term_keywords(keywords, carried, terms_by_code, cache)
    keywords["region"] = {a.region_code for a in service.areas}
    keywords["region"] |= {p.region_code for p in service.places if p.region_code}
    keywords["lang"] = set(service.languages)
    _add_flags_and_access(keywords, service, organization)
    _add_audience_and_eligibility(keywords, service, organization)
    return IndexDocument(
        service_id=service.id,
        texts=_texts(service, organization, list(term_texts.values())),
        keywords={name: sorted(values) for name, values in keywords.items() if values},
        payload=_payload(service, organization, locate),
        term_texts=term_texts,
    )


def _add_term_keywords(
    keywords: Keywords,
    carried: list[TermRow],
    terms_by_code: dict[str, TermRow],
    cache: dict[int, TermWords],
) -> dict[int, str]:
    """Adds the term ids and taxonomy codes the terms carry; returns each term's text (its
    labels and keywords, and its ancestors')."""
    term_texts: dict[int, str] = {}
    for term in carried:
        keywords["term"].add(str(term.id))
        found = cache.get(term.id)
        if found is None:
            found = cache[term.id] = _term_words(term, terms_by_code)
        term_texts[term.id] = found.text
        if found.taxonomy in KEYWORD_TAXONOMIES:
            keywords[found.taxonomy].update(found.codes)
    return term_texts


def _add_flags_and_access(
    keywords: Keywords, service: ServiceRow, organization: OrganizationRow
) -> None:
    """The access codes the service's own settings imply, and the flags results show."""
    is_remote = service.is_remote or schema.ACCESS_REMOTE in keywords["access"]
    always_open = service.is_24_7 or schema.ACCESS_OPEN_24_7 in keywords["access"]
    if service.is_24_7:
        keywords["access"].add(schema.ACCESS_OPEN_24_7)
    if service.is_remote:
        keywords["access"].add(schema.ACCESS_REMOTE)
    flags = {
        schema.FLAG_ACCEPTING: service.capacity is CapacityStatus.ACCEPTING,
        schema.FLAG_TRAINED: organization.is_trained,
        schema.FLAG_REMOTE: is_remote,
        schema.FLAG_PROVINCE_WIDE: any(
            a.region_code == schema.PROVINCE_WIDE for a in service.areas
        ),
        schema.FLAG_ALWAYS_OPEN: always_open,
    }
    keywords["flag"] = {name for name, on in flags.items() if on}


def _add_audience_and_eligibility(
    keywords: Keywords, service: ServiceRow, organization: OrganizationRow
) -> None:
    """Who may see the service, and what would turn a person away (ages as text keywords)."""
    keywords["audience"] = {
        schema.AUDIENCE_PUBLIC
        if organization.visibility is Visibility.PUBLIC
        else schema.AUDIENCE_INTERVENANTES
    }
    keywords["org"] = {str(organization.id)}
    keywords["min_age"] = {str(service.minimum_age)} if service.minimum_age is not None else set()
    keywords["max_age"] = {str(service.maximum_age)} if service.maximum_age is not None else set()
    keywords["excluded"] = {t.code for t in service.excluded_populations}


def _texts(
    service: ServiceRow, organization: OrganizationRow, term_texts: list[str]
) -> dict[str, str]:
    """The text of each level: names, term labels, and the body."""
    regions = [area.region for area in service.areas] + [p.region for p in service.places]
    body = [
        service.description_fr,
        service.description_en,
        service.eligibility_fr,
        service.eligibility_en,
        service.cost_fr,
        service.cost_en,
        organization.description_fr,
        organization.description_en,
        # Never the street or postal code: a confidential address must not be findable.
        *(p.municipality for p in service.places),
        *(
            name
            for region in dict.fromkeys(r for r in regions if r is not None)
            for name in (region.name_fr, region.name_en)
        ),
        *(name for code in sorted(set(service.languages)) for name in search_names(code)),
    ]
    names = [service.name_fr, service.name_en, organization.name, organization.alternate_name]
    return {"name": _join(names), "terms": _join(term_texts), "body": _join(body)}


def _payload(service: ServiceRow, organization: OrganizationRow, locate: Locate) -> dict:
    """What a result card shows and what filters and sorts read without the database."""
    places = service.places
    moments = [service.updated_at, organization.updated_at, *(p.updated_at for p in places)]
    return {
        "id": service.id,
        "org": organization.id,
        "names": [service.name_fr, service.name_en or None],
        "coords": [c for c in (_coordinates(p, locate) for p in places) if c is not None],
        "verified": _epoch_day(organization.last_verified_at),
        "modified": max(m for m in moments if m is not None).timestamp(),
        "hours": [
            [s.weekday, _minutes(s.opens_at), _minutes(s.closes_at)] for s in service.schedules
        ],
        "closed": [_closed_period(c) for c in service.closures],
    }


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def _closed_period(closure: ClosureRow) -> list[int]:
    """[first day, last day] of a whole-day closure; with its minutes when closed for hours."""
    period = [closure.starts_on.toordinal(), closure.ends_on.toordinal()]
    if closure.closed_from is not None and closure.closed_until is not None:
        period += [_minutes(closure.closed_from), _minutes(closure.closed_until)]
    return period


def _join(parts: Iterable[str | None]) -> str:
    return "\n".join(part for part in parts if part)


def municipality_locator() -> Locate:
    """name -> (lat, lon) of the gazetteer municipality, remembered for one indexing run."""
    from ..geo.gazetteer import find_municipality

    @lru_cache(maxsize=4096)
    def locate(name: str) -> tuple[float, float] | None:
        place = find_municipality(name)
        return (place.latitude, place.longitude) if place is not None else None

    return locate


def documents_for(session: Session, service_ids: list[int]) -> dict[int, IndexDocument | None]:
    """service id -> its document, or None when it is gone or not listed (remove it)."""
    loader = RowLoader(session)
    terms, locate = loader.terms_by_code(), municipality_locator()
    cache: dict[int, TermWords] = {}
    found: dict[int, IndexDocument | None] = dict.fromkeys(service_ids)
    for service in loader.services(service_ids):
        found[service.id] = build_document(service, terms, locate, cache)
    return found


def listed_service_ids(session: Session) -> list[int]:
    """Ids of every service of an approved provider, in id order."""
    return list(
        session.scalars(
            select(Service.id)
            .join(Service.organization)
            .where(
                Organization.kind == OrganizationKind.PROVIDER,
                Organization.status == OrganizationStatus.APPROVED,
            )
            .order_by(Service.id)
        )
    )


def iter_documents(
    session: Session, service_ids: list[int], batch: int = 500
) -> Iterator[IndexDocument]:
    """Documents of service_ids, read batch by batch so memory stays flat."""
    loader = RowLoader(session)
    terms, locate = loader.terms_by_code(), municipality_locator()
    cache: dict[int, TermWords] = {}
    for start in range(0, len(service_ids), batch):
        for service in loader.services(service_ids[start : start + batch]):
            document = build_document(service, terms, locate, cache)
            if document is not None:
                yield document
