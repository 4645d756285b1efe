"""What the dashboard reads from the database besides referrals (stats.metrics reads those):
coverage, reference lists, partners; a few aggregate or narrow queries, no N+1.

Queries are portable SQLAlchemy (SQLite and PostgreSQL).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, case, distinct, func, or_, select

from ..catalogue.models import (
    CapacityStatus,
    Organization,
    OrganizationKind,
    OrganizationStatus,
    Region,
    Service,
    ServiceArea,
    ServiceAttribute,
    TaxonomyTerm,
)
from ..catalogue.services import taxonomy_terms as terms  # noqa: F401 (facts.terms)
from ..extensions import db
from ..training import services as training
from ..vetting import services as vetting

NEED_TAXONOMY = "need"
SECTOR_TAXONOMY = "sector"


# --- Reference lists -----------------------------------------------------------------------------


def regions() -> list[Region]:
    return list(db.session.scalars(select(Region).order_by(Region.position, Region.code)))


def top_level_code(code: str) -> str:
    """need.physical_health.dental → need.physical_health (a need covers its sub-needs)."""
    return ".".join(code.split(".")[:2])


# --- Coverage ------------------------------------------------------------------------------------


def _is_provider(approved: bool = True):
    clauses = [Organization.kind == OrganizationKind.PROVIDER]
    if approved:
        clauses.append(Organization.status == OrganizationStatus.APPROVED)
    return and_(*clauses)


def _counted():
    """Active trained provider accepting referrals (issue 6's shared definition), per service."""
    return and_(
        _is_provider(),
        Organization.is_trained.is_(True),
        Service.capacity != CapacityStatus.PAUSED,
    )


def coverage_counts(need_terms: list[TaxonomyTerm]) -> dict[tuple[str, str], int]:
    """(region code, top-level need code) → providers counted there, in one grouped query.

    A provider counts once in a cell however many of its services fall in it; a service tagged
    with a sub-need counts under its top-level need.
    """
    if not need_terms:
        return {}
    top_need = case(
        {t.id: top_level_code(t.code) for t in need_terms},
        value=ServiceAttribute.taxonomy_term_id,
    ).label("need")
    rows = db.session.execute(
        select(ServiceArea.region_code, top_need, func.count(distinct(Organization.id)))
        .join(Service, Service.id == ServiceArea.service_id)
        .join(Organization, Organization.id == Service.organization_id)
        .join(ServiceAttribute, ServiceAttribute.service_id == Service.id)
        .where(_counted(), ServiceAttribute.taxonomy_term_id.in_([t.id for t in need_terms]))
        .group_by(ServiceArea.region_code, top_need)
    )
    return {(region, need): count for region, need, count in rows}


@dataclass(frozen=True)
class CellService:
    """A service of the drill-down: its organisation and why it counts or not."""

    organization_id: int
    organization_name: str
    is_trained: bool
    service_id: int
    service_name: str
    capacity: CapacityStatus


def cell_services(region_code: str, need_code: str) -> list[CellService]:
    """Services of approved providers in region that meet need (or one of its sub-needs)."""
    need_match = or_(
        TaxonomyTerm.code == need_code,
        TaxonomyTerm.code.startswith(need_code + ".", autoescape=True),
    )
    rows = db.session.execute(
        select(
            Organization.id,
            Organization.name,
            Organization.is_trained,
            Service.id,
            Service.name_fr,
            Service.capacity,
        )
        .join(Service, Service.organization_id == Organization.id)
        .where(
            _is_provider(),
            Service.areas.any(ServiceArea.region_code == region_code),
            Service.terms.any(need_match),
        )
        .order_by(Organization.name, Organization.id, Service.name_fr, Service.id)
    )
    return [CellService(*row) for row in rows]


# --- Partners, training and profiles -------------------------------------------------------------


def trained_partner_counts() -> tuple[int, int]:
    """(approved providers that are trained, approved providers) in one query."""
    trained, approved = db.session.execute(
        select(
            func.count(case((Organization.is_trained.is_(True), Organization.id))),
            func.count(Organization.id),
        ).where(_is_provider())
    ).one()
    return trained or 0, approved or 0


def expiring_training_count(today: date, days: int) -> int:
    """Confirmed records expiring within days: the rule of the training expiry page."""
    return db.session.scalar(training.count(training.expiring_query(today, days))) or 0


def stale_profile_count(now: datetime) -> int:
    """Approved providers whose profile is stale: the rule of the vetting page."""
    return vetting.stale_count(now)
