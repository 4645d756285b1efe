"""Services read for indexing with plain SQL: one query per table and batch, no ORM identity map.

build_document reads a service with its organisation, terms and places; these loaders give it
frozen records of only the columns it uses, which costs a fraction of loading ORM instances with
their relationships — most of a 60,000-service rebuild otherwise.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..catalogue.card_rows import ClosureRow, ScheduleRow
from ..catalogue.models import (
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
)


@dataclass(frozen=True)
class TermRow:
    """A taxonomy term, with the code of its taxonomy ("" when the taxonomy is gone)."""

    id: int
    code: str
    name_fr: str
    name_en: str
    keywords_fr: str | None
    keywords_en: str | None
    taxonomy_code: str


@dataclass(frozen=True)
class RegionRow:
    code: str
    name_fr: str
    name_en: str


@dataclass(frozen=True)
class OrganizationRow:
    id: int
    name: str
    alternate_name: str | None
    kind: OrganizationKind
    status: OrganizationStatus
    visibility: Visibility
    description_fr: str | None
    description_en: str | None
    is_trained: bool
    last_verified_at: datetime | None
    updated_at: datetime
    sector: TermRow | None


@dataclass(frozen=True)
class AreaRow:
    """A region a service serves; region is None when the code is unknown."""

    region_code: str
    region: RegionRow | None


@dataclass(frozen=True)
class PlaceRow:
    """A location where a service is given, with its region when known."""

    municipality: str
    region_code: str | None
    region: RegionRow | None
    latitude: float | None
    longitude: float | None
    is_confidential: bool
    updated_at: datetime


@dataclass(frozen=True)
class ServiceRow:
    """A service with everything its index document is made of."""

    id: int
    organization_id: int
    name_fr: str
    name_en: str | None
    description_fr: str | None
    description_en: str | None
    eligibility_fr: str | None
    eligibility_en: str | None
    cost_fr: str | None
    cost_en: str | None
    minimum_age: int | None
    maximum_age: int | None
    capacity: CapacityStatus
    is_24_7: bool
    is_remote: bool
    updated_at: datetime
    organization: OrganizationRow | None
    terms: tuple[TermRow, ...]
    excluded_populations: tuple[TermRow, ...]
    languages: tuple[str, ...]
    areas: tuple[AreaRow, ...]
    places: tuple[PlaceRow, ...]
    schedules: tuple[ScheduleRow, ...]
    closures: tuple[ClosureRow, ...]


_SERVICE_COLUMNS = (
    Service.id,
    Service.organization_id,
    Service.name_fr,
    Service.name_en,
    Service.description_fr,
    Service.description_en,
    Service.eligibility_fr,
    Service.eligibility_en,
    Service.cost_fr,
    Service.cost_en,
    Service.minimum_age,
    Service.maximum_age,
    Service.capacity,
    Service.is_24_7,
    Service.is_remote,
    Service.updated_at,
)

_ORGANIZATION_COLUMNS = (
    Organization.id,
    Organization.name,
    Organization.alternate_name,
    Organization.kind,
    Organization.status,
    Organization.visibility,
    Organization.description_fr,
    Organization.description_en,
    Organization.is_trained,
    Organization.last_verified_at,
    Organization.updated_at,
)


class RowLoader:
    """Reads services with everything their document needs; reference tables read once."""

    def __init__(self, session: Session):
        self.session = session
        self.terms = self._read_terms()
        self.regions = {
            code: RegionRow(code, name_fr, name_en)
            for code, name_fr, name_en in session.execute(
                select(Region.code, Region.name_fr, Region.name_en)
            )
        }
        self.organizations: dict[int, OrganizationRow] = {}

    def _read_terms(self) -> dict[int, TermRow]:
        """Every term by id, in taxonomy position order."""
        taxonomy_codes = {
            id_: code for id_, code in self.session.execute(select(Taxonomy.id, Taxonomy.code))
        }
        query = select(
            TaxonomyTerm.id,
            TaxonomyTerm.code,
            TaxonomyTerm.name_fr,
            TaxonomyTerm.name_en,
            TaxonomyTerm.keywords_fr,
            TaxonomyTerm.keywords_en,
            TaxonomyTerm.taxonomy_id,
        ).order_by(TaxonomyTerm.position)
        return {
            id_: TermRow(id_, code, fr, en, kw_fr, kw_en, taxonomy_codes.get(taxonomy_id, ""))
            for id_, code, fr, en, kw_fr, kw_en, taxonomy_id in self.session.execute(query)
        }

    def terms_by_code(self) -> dict[str, TermRow]:
        return {term.code: term for term in self.terms.values()}

    def services(self, ids: list[int]) -> list[ServiceRow]:
        """The services of ids that still exist, in id order, each with its related rows."""
        if not ids:
            return []
        columns = [
            row._asdict()
            for row in self.session.execute(
                select(*_SERVICE_COLUMNS).where(Service.id.in_(ids)).order_by(Service.id)
            )
        ]
        self._load_organizations({c["organization_id"] for c in columns})
        terms = self._terms_of(ServiceAttribute, ids)
        excluded = self._terms_of(ServiceExclusion, ids)
        languages, areas = self._languages(ids), self._areas(ids)
        places, schedules, closures = self._places(ids), self._schedules(ids), self._closures(ids)
        return [
            ServiceRow(
                **c,
                organization=self.organizations.get(c["organization_id"]),
                terms=tuple(terms[c["id"]]),
                excluded_populations=tuple(excluded[c["id"]]),
                languages=tuple(languages[c["id"]]),
                areas=tuple(areas[c["id"]]),
                places=tuple(places[c["id"]]),
                schedules=tuple(schedules[c["id"]]),
                closures=tuple(closures[c["id"]]),
            )
            for c in columns
        ]

    def _terms_of(
        self, link: type[ServiceAttribute] | type[ServiceExclusion], ids: list[int]
    ) -> defaultdict[int, list[TermRow]]:
        """service id -> the terms link ties it to, in taxonomy position order."""
        found: defaultdict[int, list[TermRow]] = defaultdict(list)
        for service_id, term_id in self.session.execute(
            select(link.service_id, link.taxonomy_term_id).where(link.service_id.in_(ids))
        ):
            if term_id in self.terms:
                found[service_id].append(self.terms[term_id])
        position = {term_id: index for index, term_id in enumerate(self.terms)}
        for terms in found.values():
            terms.sort(key=lambda t: position[t.id])
        return found

    def _languages(self, ids: list[int]) -> defaultdict[int, list[str]]:
        found: defaultdict[int, list[str]] = defaultdict(list)
        for service_id, code in self.session.execute(
            select(ServiceLanguage.service_id, ServiceLanguage.code)
            .where(ServiceLanguage.service_id.in_(ids))
            .order_by(ServiceLanguage.code)
        ):
            found[service_id].append(code)
        return found

    def _areas(self, ids: list[int]) -> defaultdict[int, list[AreaRow]]:
        found: defaultdict[int, list[AreaRow]] = defaultdict(list)
        for service_id, code in self.session.execute(
            select(ServiceArea.service_id, ServiceArea.region_code)
            .where(ServiceArea.service_id.in_(ids))
            .order_by(ServiceArea.region_code)
        ):
            found[service_id].append(AreaRow(code, self.regions.get(code)))
        return found

    def _schedules(self, ids: list[int]) -> defaultdict[int, list[ScheduleRow]]:
        found: defaultdict[int, list[ScheduleRow]] = defaultdict(list)
        for service_id, weekday, opens_at, closes_at in self.session.execute(
            select(Schedule.service_id, Schedule.weekday, Schedule.opens_at, Schedule.closes_at)
            .where(Schedule.service_id.in_(ids))
            .order_by(Schedule.weekday, Schedule.opens_at)
        ):
            found[service_id].append(ScheduleRow(weekday, opens_at, closes_at))
        return found

    def _closures(self, ids: list[int]) -> defaultdict[int, list[ClosureRow]]:
        found: defaultdict[int, list[ClosureRow]] = defaultdict(list)
        for service_id, starts_on, ends_on, closed_from, closed_until in self.session.execute(
            select(
                Closure.service_id,
                Closure.starts_on,
                Closure.ends_on,
                Closure.closed_from,
                Closure.closed_until,
            )
            .where(Closure.service_id.in_(ids))
            .order_by(Closure.starts_on)
        ):
            found[service_id].append(ClosureRow(starts_on, ends_on, closed_from, closed_until))
        return found

    def _places(self, ids: list[int]) -> defaultdict[int, list[PlaceRow]]:
        found: defaultdict[int, list[PlaceRow]] = defaultdict(list)
        query = (
            select(
                ServiceAtLocation.service_id,
                Location.municipality,
                Location.region_code,
                Location.latitude,
                Location.longitude,
                Location.is_confidential,
                Location.updated_at,
            )
            .join(Location, Location.id == ServiceAtLocation.location_id)
            .where(ServiceAtLocation.service_id.in_(ids))
            .order_by(Location.id)
        )
        for (
            service_id,
            municipality,
            region_code,
            lat,
            lon,
            confidential,
            updated_at,
        ) in self.session.execute(query):
            region = self.regions.get(region_code) if region_code is not None else None
            found[service_id].append(
                PlaceRow(municipality, region_code, region, lat, lon, confidential, updated_at)
            )
        return found

    def _load_organizations(self, ids: set[int]) -> None:
        missing = [i for i in ids if i not in self.organizations]
        if not missing:
            return
        for row in self.session.execute(
            select(*_ORGANIZATION_COLUMNS, Organization.sector_id).where(
                Organization.id.in_(missing)
            )
        ):
            columns = row._asdict()
            sector_id = columns.pop("sector_id")
            sector = self.terms.get(sector_id) if sector_id is not None else None
            self.organizations[row.id] = OrganizationRow(**columns, sector=sector)
