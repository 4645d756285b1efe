"""What a service's card reads: the models, or the plain rows a page of search results loads.

A page of results shows twenty cards, each with its organisation, terms, languages, regions,
places, hours and closures. Loaded as ORM instances that is ~500 objects a page, whose building
cost twice the statements that read them (measured: 15–19 ms against 8 ms at 60,000 services).
The protocols name the attributes service_card() and its helpers read, read-only, so that both a
Service (its columns and relationships) and a ServiceCardRow satisfy them; one card function
serves both, and a test compares the two cards of every demo service.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, Protocol

from sqlalchemy import BindParameter, Row, Select, bindparam, select

from ..extensions import db
from .models import (
    CapacityStatus,
    Closure,
    Location,
    Organization,
    OrganizationKind,
    OrganizationStatus,
    Region,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceAttribute,
    ServiceExclusion,
    ServiceLanguage,
    Taxonomy,
    TaxonomyTerm,
    Visibility,
    keywords_of,
)

# --- What the card reads -------------------------------------------------------------------------


class CodeRecord(Protocol):
    """A taxonomy, a language: what the card reads of it is its code."""

    @property
    def code(self) -> str: ...


class TermRecord(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def name_fr(self) -> str: ...
    @property
    def name_en(self) -> str: ...
    @property
    def taxonomy(self) -> CodeRecord: ...
    def label(self, locale: str) -> str: ...
    def keywords(self) -> list[str]: ...


class RegionRecord(Protocol):
    def label(self, locale: str) -> str: ...


class AreaRecord(Protocol):
    @property
    def region_code(self) -> str: ...
    @property
    def region(self) -> RegionRecord | None: ...


class PlaceRecord(Protocol):
    @property
    def municipality(self) -> str: ...


class ScheduleRecord(Protocol):
    @property
    def weekday(self) -> int: ...
    @property
    def opens_at(self) -> time: ...
    @property
    def closes_at(self) -> time: ...


class ClosureRecord(Protocol):
    @property
    def starts_on(self) -> date: ...
    @property
    def ends_on(self) -> date: ...
    @property
    def closed_from(self) -> time | None: ...
    @property
    def closed_until(self) -> time | None: ...


class OrganizationRecord(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def phone(self) -> str | None: ...
    @property
    def last_verified_at(self) -> datetime | None: ...
    @property
    def is_trained(self) -> bool: ...
    @property
    def is_fictional(self) -> bool: ...
    @property
    def is_listed(self) -> bool: ...
    @property
    def visibility(self) -> enum.Enum: ...


class ServiceRecord(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def minimum_age(self) -> int | None: ...
    @property
    def maximum_age(self) -> int | None: ...
    @property
    def capacity(self) -> CapacityStatus: ...
    @property
    def waitlist_weeks(self) -> int | None: ...
    @property
    def capacity_updated_at(self) -> datetime: ...
    @property
    def phone(self) -> str | None: ...
    @property
    def text_phone(self) -> str | None: ...
    @property
    def cost_kind(self) -> str | None: ...
    @property
    def is_24_7(self) -> bool: ...
    @property
    def organization(self) -> OrganizationRecord: ...
    @property
    def terms(self) -> Sequence[TermRecord]: ...
    @property
    def excluded_populations(self) -> Sequence[TermRecord]: ...
    @property
    def languages(self) -> Sequence[CodeRecord]: ...
    @property
    def areas(self) -> Sequence[AreaRecord]: ...
    @property
    def locations(self) -> Sequence[PlaceRecord]: ...
    @property
    def schedules(self) -> Sequence[ScheduleRecord]: ...
    @property
    def closures(self) -> Sequence[ClosureRecord]: ...
    def name(self, locale: str) -> str: ...


# --- The plain rows -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CodeRow:
    code: str


@dataclass(frozen=True, slots=True)
class TermRow:
    code: str
    name_fr: str
    name_en: str
    keywords_fr: str | None
    keywords_en: str | None
    taxonomy: CodeRow

    def label(self, locale: str) -> str:
        return self.name_en if locale == "en" else self.name_fr

    def keywords(self) -> list[str]:
        return keywords_of(self.keywords_fr, self.keywords_en)


@dataclass(frozen=True, slots=True)
class RegionRow:
    name_fr: str
    name_en: str

    def label(self, locale: str) -> str:
        return self.name_en if locale == "en" else self.name_fr


@dataclass(frozen=True, slots=True)
class AreaRow:
    region_code: str
    region: RegionRow | None


@dataclass(frozen=True, slots=True)
class PlaceRow:
    municipality: str


@dataclass(frozen=True, slots=True)
class ScheduleRow:
    weekday: int
    opens_at: time
    closes_at: time


@dataclass(frozen=True, slots=True)
class ClosureRow:
    starts_on: date
    ends_on: date
    closed_from: time | None
    closed_until: time | None


@dataclass(frozen=True, slots=True)
class OrganizationRow:
    id: int
    name: str
    phone: str | None
    last_verified_at: datetime | None
    is_trained: bool
    is_fictional: bool
    kind: OrganizationKind
    status: OrganizationStatus
    visibility: Visibility

    @property
    def is_listed(self) -> bool:
        return Organization.listed(self.kind, self.status)


@dataclass(frozen=True, slots=True)
class ServiceCardRow:
    id: int
    name_fr: str
    name_en: str | None
    minimum_age: int | None
    maximum_age: int | None
    capacity: CapacityStatus
    waitlist_weeks: int | None
    capacity_updated_at: datetime
    phone: str | None
    text_phone: str | None
    cost_kind: str | None
    is_24_7: bool
    organization: OrganizationRow
    terms: tuple[TermRow, ...]
    excluded_populations: tuple[TermRow, ...]
    languages: tuple[CodeRow, ...]
    areas: tuple[AreaRow, ...]
    locations: tuple[PlaceRow, ...]
    schedules: tuple[ScheduleRow, ...]
    closures: tuple[ClosureRow, ...]

    def name(self, locale: str) -> str:
        return Service.name_in(self.name_fr, self.name_en, locale)


# --- Reading them ---------------------------------------------------------------------------------

_SERVICE_COLUMNS = (
    Service.id,
    Service.name_fr,
    Service.name_en,
    Service.minimum_age,
    Service.maximum_age,
    Service.capacity,
    Service.waitlist_weeks,
    Service.capacity_updated_at,
    Service.phone,
    Service.text_phone,
    Service.cost_kind,
    Service.is_24_7,
)
_SERVICE_FIELDS = tuple(column.key for column in _SERVICE_COLUMNS)
_ORGANIZATION_COLUMNS = (
    Organization.id,
    Organization.name,
    Organization.phone,
    Organization.last_verified_at,
    Organization.is_trained,
    Organization.is_fictional,
    Organization.kind,
    Organization.status,
    Organization.visibility,
)
# The statements are built once, the services' ids bound at each page: building a statement
# and its cache key costs about as much as the database takes to answer it.
_IDS: BindParameter[list[int]] = bindparam("ids", expanding=True)
_SERVICES = (
    select(*_SERVICE_COLUMNS, *_ORGANIZATION_COLUMNS)
    .join(Service.organization)
    .where(Service.id.in_(_IDS))
)


def _terms_query(link: type[ServiceAttribute] | type[ServiceExclusion]) -> Select:
    return (
        select(
            link.service_id,
            TaxonomyTerm.id,
            TaxonomyTerm.code,
            TaxonomyTerm.name_fr,
            TaxonomyTerm.name_en,
            TaxonomyTerm.keywords_fr,
            TaxonomyTerm.keywords_en,
            Taxonomy.code,
        )
        .join(TaxonomyTerm, TaxonomyTerm.id == link.taxonomy_term_id)
        .join(Taxonomy, Taxonomy.id == TaxonomyTerm.taxonomy_id)
        .where(link.service_id.in_(_IDS))
        .order_by(TaxonomyTerm.position, TaxonomyTerm.id)
    )


_TERMS, _EXCLUDED = _terms_query(ServiceAttribute), _terms_query(ServiceExclusion)
_AREAS = (
    select(ServiceArea.service_id, ServiceArea.region_code, Region.name_fr, Region.name_en)
    .outerjoin(Region, Region.code == ServiceArea.region_code)
    .where(ServiceArea.service_id.in_(_IDS))
    .order_by(ServiceArea.region_code)
)
# Lists whose rows are made from their columns alone, each in its relationship's order.
_LISTS: tuple[tuple[str, Select, Callable[..., Any]], ...] = (
    (
        "languages",
        select(ServiceLanguage.service_id, ServiceLanguage.code)
        .where(ServiceLanguage.service_id.in_(_IDS))
        .order_by(ServiceLanguage.code),
        CodeRow,
    ),
    (
        "locations",
        select(ServiceAtLocation.service_id, Location.municipality)
        .join(Location, Location.id == ServiceAtLocation.location_id)
        .where(ServiceAtLocation.service_id.in_(_IDS))
        .order_by(Location.id),
        PlaceRow,
    ),
    (
        "schedules",
        select(Schedule.service_id, Schedule.weekday, Schedule.opens_at, Schedule.closes_at)
        .where(Schedule.service_id.in_(_IDS))
        .order_by(Schedule.weekday, Schedule.opens_at, Schedule.id),
        ScheduleRow,
    ),
    (
        "closures",
        select(
            Closure.service_id,
            Closure.starts_on,
            Closure.ends_on,
            Closure.closed_from,
            Closure.closed_until,
        )
        .where(Closure.service_id.in_(_IDS))
        .order_by(Closure.starts_on, Closure.id),
        ClosureRow,
    ),
)

Lists = defaultdict[int, list[Any]]


def load_card_rows(ids: list[int]) -> list[ServiceCardRow]:
    """The services of ids that exist, in that order, as the rows their cards read: one
    statement for the services with their organisations, one for each list they hold, each list
    in the order of the model's relationship."""
    if not ids:
        return []
    session, bound = db.session(), {"ids": ids}
    lists = {name: _grouped(session.execute(query, bound), make) for name, query, make in _LISTS}
    lists["terms"] = _terms(session.execute(_TERMS, bound))
    lists["excluded_populations"] = _terms(session.execute(_EXCLUDED, bound))
    lists["areas"] = _areas(session.execute(_AREAS, bound))
    found = {}
    for row in session.execute(_SERVICES, bound):
        values: tuple[Any, ...] = tuple(row)
        fields: dict[str, Any] = dict(zip(_SERVICE_FIELDS, values, strict=False))
        fields.update((name, tuple(rows[values[0]])) for name, rows in lists.items())
        organization = OrganizationRow(*values[len(_SERVICE_COLUMNS) :])
        found[values[0]] = ServiceCardRow(**fields, organization=organization)
    return [found[i] for i in ids if i in found]


def _grouped(rows: Iterable[Row], make: Callable[..., Any]) -> Lists:
    """service id (the first column) -> make(*the other columns), in the rows' order."""
    found: Lists = defaultdict(list)
    for service_id, *columns in rows:
        found[service_id].append(make(*columns))
    return found


def _terms(rows: Iterable[Row]) -> Lists:
    """service id -> its terms, in taxonomy position order; one TermRow per term however many
    services it tags."""
    found: Lists = defaultdict(list)
    terms: dict[int, TermRow] = {}
    for service_id, term_id, code, name_fr, name_en, kw_fr, kw_en, taxonomy in rows:
        term = terms.get(term_id)
        if term is None:
            term = terms[term_id] = TermRow(code, name_fr, name_en, kw_fr, kw_en, CodeRow(taxonomy))
        found[service_id].append(term)
    return found


def _areas(rows: Iterable[Row]) -> Lists:
    """service id -> the regions it serves; a region is None when its code is unknown."""
    found: Lists = defaultdict(list)
    for service_id, code, name_fr, name_en in rows:
        region = RegionRow(name_fr, name_en) if name_fr is not None else None
        found[service_id].append(AreaRow(code, region))
    return found
