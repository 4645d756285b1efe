"""What the dashboard reads from the database: a few aggregate or narrow queries, no N+1.

Only counts, dates, statuses and term ids leave this module: never a referral's code or text.
Queries are portable SQLAlchemy (SQLite and PostgreSQL); months are bucketed in Python.
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
from ..referrals.models import DeclinedBy, Referral, ReferralNeed, ReferralStatus
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


# --- Referrals -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReferralFact:
    """One referral sent in the period: what the figures need, nothing that identifies."""

    id: int
    person_id: int
    status: ReferralStatus
    declined_by: DeclinedBy | None
    sent_at: datetime
    first_response_at: datetime | None
    sector_id: int | None
    regions: tuple[str, ...]
    need_ids: tuple[int, ...]


def _sent_between(start: datetime, end: datetime):
    """Activities: referrals sent (drafts never count) in [start, end)."""
    return and_(
        Referral.status != ReferralStatus.DRAFT,
        Referral.sent_at.is_not(None),
        Referral.sent_at >= start,
        Referral.sent_at < end,
    )


def referral_facts(start: datetime, end: datetime) -> list[ReferralFact]:
    """Referrals sent in [start, end) with their regions and needs: three queries in all."""
    period = _sent_between(start, end)
    regions_of: dict[int, list[str]] = {}
    for referral_id, region in db.session.execute(
        select(Referral.id, ServiceArea.region_code)
        .join(ServiceArea, ServiceArea.service_id == Referral.service_id)
        .where(period)
        .order_by(ServiceArea.region_code)
    ):
        regions_of.setdefault(referral_id, []).append(region)
    needs_of: dict[int, list[int]] = {}
    for referral_id, term_id in db.session.execute(
        select(ReferralNeed.referral_id, ReferralNeed.taxonomy_term_id)
        .join(Referral, Referral.id == ReferralNeed.referral_id)
        .where(period)
    ):
        needs_of.setdefault(referral_id, []).append(term_id)
    rows = db.session.execute(
        select(
            Referral.id,
            Referral.person_id,
            Referral.status,
            Referral.declined_by,
            Referral.sent_at,
            Referral.first_response_at,
            Organization.sector_id,
        )
        .join(Organization, Organization.id == Referral.provider_organization_id)
        .where(period)
        .order_by(Referral.sent_at, Referral.id)
    )
    return [
        ReferralFact(
            id=rid,
            person_id=person_id,
            status=status,
            declined_by=declined_by,
            sent_at=sent_at,
            first_response_at=first_response_at,
            sector_id=sector_id,
            regions=tuple(regions_of.get(rid, ())),
            need_ids=tuple(needs_of.get(rid, ())),
        )
        for rid, person_id, status, declined_by, sent_at, first_response_at, sector_id in rows
    ]


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
