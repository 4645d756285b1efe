"""Partner figures of the annual report: approved at the year's end, trained, new that year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, func, select

from ..catalogue.models import Organization, OrganizationKind, OrganizationStatus
from ..extensions import db
from ..stats.metrics import local_day
from ..training.rule import trained_by_organization
from ..vetting.models import EventAction, OrganizationEvent
from ..vetting.services import TRANSITIONS
from .year import ReportingYear


@dataclass(frozen=True)
class NewPartner:
    name: str
    sector: str | None
    partner_since: date


_STATUS_AFTER = {action: target for action, (_sources, target) in TRANSITIONS.items()}


def approved_at(year: ReportingYear, now: datetime) -> list[int]:
    """Ids of providers approved at the end of year (today while the year runs).

    A past year is read from each organisation's history: the last decision up to the year's end
    says its status then. An organisation without any decision in its history (imported or
    seeded) counts when it is approved now and was a partner by then.
    """
    providers = select(Organization.id).where(Organization.kind == OrganizationKind.PROVIDER)
    approved_now = providers.where(Organization.status == OrganizationStatus.APPROVED)
    if not year.is_complete(now):
        return list(db.session.scalars(approved_now))
    result = _approved_by_history(year, providers)
    result |= _approved_without_history(year, approved_now)
    return sorted(result)


def _approved_by_history(year: ReportingYear, providers: Select[int]) -> set[int]:
    """Providers whose last decision before the year's end approved them."""
    decisions = db.session.execute(
        select(OrganizationEvent.organization_id, OrganizationEvent.action)
        .where(
            OrganizationEvent.action.in_(list(_STATUS_AFTER)),
            OrganizationEvent.organization_id.in_(providers),
            OrganizationEvent.created_at < year.ends_at,
        )
        .order_by(OrganizationEvent.created_at, OrganizationEvent.id)
    ).all()
    last: dict[int, EventAction] = {}
    for org_id, action in decisions:
        last[org_id] = action
    return {
        org_id
        for org_id, action in last.items()
        if _STATUS_AFTER[action] is OrganizationStatus.APPROVED
    }


def _approved_without_history(year: ReportingYear, approved_now: Select[int]) -> set[int]:
    """Providers approved now, never decided on, that were partners by the year's end."""
    ever_decided = set(
        db.session.scalars(
            select(OrganizationEvent.organization_id)
            .where(OrganizationEvent.action.in_(list(_STATUS_AFTER)))
            .distinct()
        )
    )
    result = set()
    for org_id, since, created in db.session.execute(
        approved_now.with_only_columns(
            Organization.id, Organization.partner_since, Organization.created_at
        )
    ):
        if org_id in ever_decided:
            continue
        if (since is not None and since <= year.last_day) or (
            since is None and created < year.ends_at
        ):
            result.add(org_id)
    return result


def partner_figures(year: ReportingYear, now: datetime) -> dict:
    approved = approved_at(year, now)
    as_of = min(year.last_day, local_day(now))
    trained = trained_by_organization(approved, as_of) if approved else {}
    new = db.session.scalar(
        select(func.count(Organization.id)).where(
            Organization.kind == OrganizationKind.PROVIDER,
            Organization.partner_since >= year.first_day,
            Organization.partner_since <= year.last_day,
        )
    )
    return {
        "approved_partners": len(approved),
        "trained_partners": sum(1 for value in trained.values() if value),
        "new_partners": new or 0,
    }


def new_partner_list(year: ReportingYear, sector_terms, locale) -> list[NewPartner]:
    sector_names = {t.id: t.label(locale) for t in sector_terms}
    orgs = db.session.scalars(
        select(Organization)
        .where(
            Organization.kind == OrganizationKind.PROVIDER,
            Organization.partner_since >= year.first_day,
            Organization.partner_since <= year.last_day,
        )
        .order_by(Organization.partner_since, Organization.name, Organization.id)
    )
    return [
        NewPartner(o.name, sector_names.get(o.sector_id), o.partner_since)
        for o in orgs
        if o.partner_since is not None  # always: the query asks for a date in the year
    ]
