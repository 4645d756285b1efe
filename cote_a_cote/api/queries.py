"""What the public HSDS API may read: approved, public providers and their services only."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.elements import ColumnElement

from ..catalogue.hsds import (
    derived_id,
    parse_derived_id,
    record_id,
    service_at_location_id,
    taxonomy_id_for_code,
    term_id_for_code,
)
from ..catalogue.models import (
    Location,
    Organization,
    OrganizationKind,
    OrganizationStatus,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
    Visibility,
)
from ..catalogue.services import full_service_options
from ..extensions import db


def public_organization_clause():
    """The API's audience is the public: approved providers that chose public visibility."""
    return and_(
        Organization.kind == OrganizationKind.PROVIDER,
        Organization.status == OrganizationStatus.APPROVED,
        Organization.visibility == Visibility.PUBLIC,
    )


def _id_clause(model, hsds_id: str, kind: str):
    """Match a row by its external id, or by the integer inside a derived id."""
    conditions = []
    if hasattr(model, "external_id"):
        conditions.append(model.external_id == hsds_id)
    derived = parse_derived_id(hsds_id)
    if derived is not None and derived[0] == kind:
        conditions.append(model.id == derived[1])
    return or_(*conditions) if conditions else None


def _service_options():
    return full_service_options()


def public_service(hsds_id: str) -> Service | None:
    """The public service with that HSDS id, or None (unknown and hidden look the same)."""
    clause = _id_clause(Service, hsds_id, "service")
    if clause is None:
        return None
    query = (
        select(Service)
        .join(Service.organization)
        .where(public_organization_clause(), clause)
        .options(*_service_options())
    )
    return db.session.scalars(query).first()


# --- Service at location ------------------------------------------------------------------------
#
# A service_at_location id is a UUIDv5 of the service's and the location's HSDS ids: it cannot be
# read back. Each process keeps the map from those ids to the two keys, for every link (visible
# or not: visibility is checked when the link is loaded), and rebuilds it when a lookup misses
# and the links or their ids changed since it was built (a few aggregates tell). A found entry
# is checked against the rows it names, so a stale map never answers with another link.


@dataclass
class _LinkIndex:
    version: tuple | None = None
    keys: dict[str, tuple[int, int]] = field(default_factory=dict)


def _links_version() -> tuple:
    """Changes whenever a link is added or removed, or a service or location changes."""
    links = db.session.execute(
        select(
            func.count(),
            func.max(ServiceAtLocation.service_id),
            func.max(ServiceAtLocation.location_id),
        ).select_from(ServiceAtLocation)
    ).one()
    services = db.session.scalar(select(func.max(Service.updated_at)))
    locations = db.session.scalar(select(func.max(Location.updated_at)))
    return (*links, services, locations)


def _build_links(version: tuple) -> _LinkIndex:
    rows = db.session.execute(
        select(
            ServiceAtLocation.service_id,
            ServiceAtLocation.location_id,
            Service.external_id,
            Location.external_id,
        )
        .join(Service, Service.id == ServiceAtLocation.service_id)
        .join(Location, Location.id == ServiceAtLocation.location_id)
    )
    keys = {}
    for service_pk, location_pk, service_external, location_external in rows:
        service_hsds = service_external or derived_id("service", service_pk)
        location_hsds = location_external or derived_id("location", location_pk)
        keys[service_at_location_id(service_hsds, location_hsds)] = (service_pk, location_pk)
    return _LinkIndex(version, keys)


def _link_keys(hsds_id: str, stale: bool = False) -> tuple[int, int] | None:
    """(service key, location key) of a link id; stale: the map's last answer was wrong."""
    index = current_app.extensions.get("hsds_link_index") or _LinkIndex()
    found = None if stale else index.keys.get(hsds_id)
    if found is None:
        version = _links_version()
        if version != index.version:
            index = _build_links(version)
            current_app.extensions["hsds_link_index"] = index
        found = index.keys.get(hsds_id)
    return found


def _public_link(hsds_id: str, keys: tuple[int, int]) -> tuple[Service, Location] | None:
    query = (
        select(Service)
        .join(Service.organization)
        .where(public_organization_clause(), Service.id == keys[0])
        .options(*_service_options())
    )
    service = db.session.scalars(query).first()
    if service is None:
        return None
    for location in service.locations:
        link_id = service_at_location_id(record_id(service), record_id(location))
        if location.id == keys[1] and link_id == hsds_id:
            return service, location
    return None


def public_service_at_location(hsds_id: str) -> tuple[Service, Location] | None:
    """The public service and the location of that service_at_location id, or None."""
    hsds_id = hsds_id.strip().lower()
    keys = _link_keys(hsds_id)
    found = _public_link(hsds_id, keys) if keys is not None else None
    if found is None and keys is not None:
        # Hidden, or the map was stale (rows changed since): once more with a fresh map.
        keys = _link_keys(hsds_id, stale=True)
        found = _public_link(hsds_id, keys) if keys is not None else None
    return found


def public_organization(hsds_id: str) -> Organization | None:
    """The public provider with that HSDS id, or None."""
    clause = _id_clause(Organization, hsds_id, "organization")
    if clause is None:
        return None
    query = (
        select(Organization)
        .where(public_organization_clause(), clause)
        .options(
            selectinload(Organization.sector).selectinload(TaxonomyTerm.taxonomy),
            selectinload(Organization.services),
            selectinload(Organization.locations).selectinload(Location.region),
        )
    )
    return db.session.scalars(query).first()


def public_organizations_page(
    search: str, page: int, per_page: int
) -> tuple[list[Organization], int]:
    """One page of public providers by name, and how many there are in all."""
    conditions = [public_organization_clause()]
    if search:
        pattern = f"%{_escape_like(search.lower())}%"
        conditions.append(
            or_(
                func.lower(Organization.name).like(pattern, escape="\\"),
                func.lower(Organization.alternate_name).like(pattern, escape="\\"),
            )
        )
    total = db.session.scalar(select(func.count(Organization.id)).where(*conditions)) or 0
    rows = db.session.scalars(
        select(Organization)
        .where(*conditions)
        .options(selectinload(Organization.sector).selectinload(TaxonomyTerm.taxonomy))
        .order_by(func.lower(Organization.name), Organization.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return list(rows), total


def taxonomies_page(page: int, per_page: int) -> tuple[list[Taxonomy], int]:
    total = db.session.scalar(select(func.count(Taxonomy.id))) or 0
    rows = db.session.scalars(
        select(Taxonomy).order_by(Taxonomy.id).limit(per_page).offset((page - 1) * per_page)
    ).all()
    return list(rows), total


def find_taxonomy(value: str) -> Taxonomy | None:
    """A taxonomy by its HSDS id or its code."""
    value = value.lower()
    for taxonomy in db.session.scalars(select(Taxonomy)):
        if value in (taxonomy.code, taxonomy_id_for_code(taxonomy.code)):
            return taxonomy
    return None


def find_term(value: str) -> TaxonomyTerm | None:
    """A taxonomy term by its HSDS id or its code."""
    term = db.session.scalar(select(TaxonomyTerm).where(TaxonomyTerm.code == value))
    if term is not None:
        return term
    # Terms are a few hundred at most: comparing derived ids in Python is cheap.
    for term in db.session.scalars(select(TaxonomyTerm)):
        if term_id_for_code(term.code) == value.lower():
            return term
    return None


def terms_page(
    search: str,
    taxonomy: Taxonomy | None,
    parent: TaxonomyTerm | None,
    page: int,
    per_page: int,
) -> tuple[list[TaxonomyTerm], int]:
    """One page of active terms, optionally of one taxonomy, children of one term, or matching."""
    conditions: list[ColumnElement[bool]] = [TaxonomyTerm.active.is_(True)]
    if taxonomy is not None:
        conditions.append(TaxonomyTerm.taxonomy_id == taxonomy.id)
    if parent is not None:
        # Children extend the parent's dotted code by exactly one segment.
        prefix = _escape_like(parent.code) + ".%"
        conditions.append(TaxonomyTerm.code.like(prefix, escape="\\"))
        conditions.append(~TaxonomyTerm.code.like(prefix + ".%", escape="\\"))
    if search:
        pattern = f"%{_escape_like(search.lower())}%"
        conditions.append(
            or_(
                func.lower(TaxonomyTerm.name_fr).like(pattern, escape="\\"),
                func.lower(TaxonomyTerm.name_en).like(pattern, escape="\\"),
                func.lower(TaxonomyTerm.code).like(pattern, escape="\\"),
            )
        )
    total = db.session.scalar(select(func.count(TaxonomyTerm.id)).where(*conditions)) or 0
    rows = db.session.scalars(
        select(TaxonomyTerm)
        .where(*conditions)
        .options(selectinload(TaxonomyTerm.taxonomy))
        .order_by(TaxonomyTerm.taxonomy_id, TaxonomyTerm.position, TaxonomyTerm.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return list(rows), total


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
