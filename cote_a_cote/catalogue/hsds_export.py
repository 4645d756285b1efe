"""export-hsds's reading side: the catalogue's services, a batch at a time, by set-based queries.

Loading a service through the ORM (an identity map, instrumented attributes, a dozen selectin
loads) cost about 3 ms a service, far too much for a province (60,000 services). Here each batch
of services is read by one query per table (services, organisations, terms, languages, areas,
schedules, closures, locations), into plain rows (hsds_rows.py) that carry the same attribute
names as the models, and mapped by the very functions of hsds.py that map the models: the file
says exactly what the API says. Taxonomy terms and regions are read once per export; each
term's HSDS body is built once and shared by every attribute that names it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from typing import Protocol, TypeVar

from sqlalchemy import func, select

from ..extensions import db
from .hsds import service_to_hsds, taxonomy_term_to_hsds
from .hsds_rows import (
    AreaRow,
    ClosureRow,
    LanguageRow,
    LocationRow,
    OrganizationRow,
    RegionRow,
    ScheduleRow,
    ServiceRow,
    TaxonomyRow,
    TermRow,
)
from .models import (
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

EXPORT_SCOPES = ("public", "listed", "all")
EXPORT_BATCH = 1000

_SERVICE_COLUMNS = [
    "id",
    "organization_id",
    "external_id",
    "name_fr",
    "name_en",
    "description_fr",
    "description_en",
    "eligibility_fr",
    "eligibility_en",
    "minimum_age",
    "maximum_age",
    "cost_fr",
    "cost_en",
    "capacity",
    "waitlist_weeks",
    "capacity_updated_at",
    "email",
    "url",
    "phone",
    "text_phone",
    "cost_kind",
    "is_24_7",
    "is_remote",
    "updated_at",
]
_ORGANIZATION_COLUMNS = [
    "id",
    "external_id",
    "name",
    "alternate_name",
    "kind",
    "status",
    "visibility",
    "sector_id",
    "description_fr",
    "description_en",
    "email",
    "website",
    "phone",
    "partner_since",
    "last_verified_at",
    "is_fictional",
    "is_trained",
    "updated_at",
]
_LOCATION_COLUMNS = [
    "id",
    "external_id",
    "name",
    "address_1",
    "postal_code",
    "municipality",
    "region_code",
    "latitude",
    "longitude",
    "is_confidential",
]
_TERM_COLUMNS = (
    "id",
    "taxonomy_id",
    "code",
    "name_fr",
    "name_en",
    "description_fr",
    "description_en",
    "position",
    "active",
)


class _ServiceChild(Protocol):
    @property
    def service_id(self) -> int: ...


R = TypeVar("R")
C = TypeVar("C", bound=_ServiceChild)

_CLOSURE_COLUMNS = ["starts_on", "ends_on", "note_fr", "note_en", "closed_from", "closed_until"]


def _columns(model, names: Sequence[str]) -> list:
    return [getattr(model, name) for name in names]


def _rows(query):
    """Rows of a column query, through Core: nothing passes the ORM's loading machinery."""
    return db.session.connection().execute(query)


def _records(query, row_class: Callable[..., R]) -> list[R]:
    """The query's rows as row_class rows, each column given by its name."""
    return [row_class(**row._mapping) for row in _rows(query).all()]


def _scope_clause(scope: str) -> list:
    conditions = [Organization.kind == OrganizationKind.PROVIDER]
    if scope in ("public", "listed"):
        conditions.append(Organization.status == OrganizationStatus.APPROVED)
    if scope == "public":
        conditions.append(Organization.visibility == Visibility.PUBLIC)
    return conditions


def count_for_export(scope: str = "listed") -> int:
    query = select(func.count(Service.id)).join(Service.organization).where(*_scope_clause(scope))
    return db.session.scalar(query) or 0


class _Vocabulary:
    """Every taxonomy term and region, read once: a few hundred rows at most."""

    def __init__(self) -> None:
        taxonomies = {
            taxonomy.id: taxonomy
            for taxonomy in _records(
                select(Taxonomy.id, Taxonomy.code, Taxonomy.name_fr, Taxonomy.name_en),
                TaxonomyRow,
            )
        }
        self.terms: dict[int, TermRow] = {}
        # The order of the models' relationships: Service.terms is ordered by position, then id.
        self.term_order: dict[int, tuple[int, int]] = {}
        for term in _records(select(*_columns(TaxonomyTerm, _TERM_COLUMNS)), TermRow):
            term.taxonomy = taxonomies[term.taxonomy_id]
            term.hsds_body = taxonomy_term_to_hsds(term)
            self.terms[term.id] = term
            self.term_order[term.id] = (term.position, term.id)
        self.regions = {
            region.code: region
            for region in _records(select(Region.code, Region.name_fr), RegionRow)
        }


def _within(column, ids: list[int]):
    """column between the batch's first and last service ids (ascending): a range, not a list
    of a thousand parameters, which SQLAlchemy renders and the database parses slowly."""
    return column.between(ids[0], ids[-1])


def _grouped(query) -> dict[int, list]:
    """Rows of (service_id, value) grouped by service, in the query's order."""
    groups: dict[int, list] = defaultdict(list)
    for service_id, value in _rows(query).all():
        groups[service_id].append(value)
    return groups


def _grouped_records(query, row_class: Callable[..., C]) -> dict[int, list[C]]:
    """Rows grouped by their service_id, in the query's order."""
    groups: dict[int, list[C]] = defaultdict(list)
    for record in _records(query, row_class):
        groups[record.service_id].append(record)
    return groups


def _organizations(ids: list[int], vocabulary: _Vocabulary) -> dict[int, OrganizationRow]:
    owners = select(Service.organization_id).where(_within(Service.id, ids))
    query = select(*_columns(Organization, _ORGANIZATION_COLUMNS)).where(
        Organization.id.in_(owners)
    )
    found = {}
    for organization in _records(query, OrganizationRow):
        sector_id = organization.sector_id
        organization.sector = vocabulary.terms.get(sector_id) if sector_id is not None else None
        found[organization.id] = organization
    return found


def _locations(ids: list[int], vocabulary: _Vocabulary) -> dict[int, list[LocationRow]]:
    query = (
        select(ServiceAtLocation.service_id, *_columns(Location, _LOCATION_COLUMNS))
        .join(Location, Location.id == ServiceAtLocation.location_id)
        .where(_within(ServiceAtLocation.service_id, ids))
        .order_by(ServiceAtLocation.service_id, Location.id)
    )
    groups = _grouped_records(query, LocationRow)
    for locations in groups.values():
        for location in locations:
            code = location.region_code
            location.region = vocabulary.regions.get(code) if code is not None else None
    return groups


def _term_links(link, ids: list[int], vocabulary: _Vocabulary) -> dict[int, list[TermRow]]:
    query = select(link.service_id, link.taxonomy_term_id).where(_within(link.service_id, ids))
    order = vocabulary.term_order.__getitem__
    return {
        service_id: [vocabulary.terms[t] for t in sorted(term_ids, key=order)]
        for service_id, term_ids in _grouped(query).items()
    }


def _languages(ids: list[int]) -> dict[int, list]:
    return _grouped(
        select(ServiceLanguage.service_id, ServiceLanguage.code)
        .where(_within(ServiceLanguage.service_id, ids))
        .order_by(ServiceLanguage.service_id, ServiceLanguage.code)
    )


def _areas(ids: list[int]) -> dict[int, list]:
    return _grouped(
        select(ServiceArea.service_id, ServiceArea.region_code)
        .where(_within(ServiceArea.service_id, ids))
        .order_by(ServiceArea.service_id, ServiceArea.region_code)
    )


def _schedules(ids: list[int]) -> dict[int, list[ScheduleRow]]:
    return _grouped_records(
        select(Schedule.service_id, Schedule.weekday, Schedule.opens_at, Schedule.closes_at)
        .where(_within(Schedule.service_id, ids))
        .order_by(Schedule.service_id, Schedule.weekday, Schedule.opens_at, Schedule.id),
        ScheduleRow,
    )


def _closures(ids: list[int]) -> dict[int, list[ClosureRow]]:
    return _grouped_records(
        select(Closure.service_id, *_columns(Closure, _CLOSURE_COLUMNS))
        .where(_within(Closure.service_id, ids))
        .order_by(Closure.service_id, Closure.starts_on, Closure.id),
        ClosureRow,
    )


def _load_batch(services: list[ServiceRow], vocabulary: _Vocabulary) -> None:
    """Give the batch's services everything service_to_hsds reads, one query per table."""
    ids = [service.id for service in services]
    # Rows of services outside the export's scope may fall in the range: they are never asked for.
    organizations = _organizations(ids, vocabulary)
    terms = _term_links(ServiceAttribute, ids, vocabulary)
    excluded = _term_links(ServiceExclusion, ids, vocabulary)
    languages = _languages(ids)
    areas = _areas(ids)
    schedules = _schedules(ids)
    closures = _closures(ids)
    locations = _locations(ids, vocabulary)
    regions = vocabulary.regions
    for service in services:
        key = service.id
        service.organization = organizations[service.organization_id]
        service.terms = terms.get(key, [])
        service.excluded_populations = excluded.get(key, [])
        service.languages = [LanguageRow(code) for code in languages.get(key, ())]
        service.areas = [AreaRow(code, regions.get(code)) for code in areas.get(key, ())]
        service.schedules = schedules.get(key, [])
        service.closures = closures.get(key, [])
        service.locations = locations.get(key, [])


def export_records(scope: str = "listed", reveal_confidential: bool = False) -> Iterator[dict]:
    """The HSDS records export-hsds writes, in id order (confidential addresses when asked).

    Memory holds one batch: nothing enters the session's identity map.
    """
    vocabulary = _Vocabulary()
    base = (
        select(*_columns(Service, _SERVICE_COLUMNS))
        .join(Service.organization)
        .where(*_scope_clause(scope))
        .order_by(Service.id)
        .limit(EXPORT_BATCH)
    )
    last = 0
    while True:
        services = _records(base.where(Service.id > last), ServiceRow)
        if not services:
            return
        _load_batch(services, vocabulary)
        for service in services:
            yield service_to_hsds(service, reveal_confidential=reveal_confidential)
        last = services[-1].id
