"""Follow-ups nobody asks for: overdue answers, services that became unavailable, and referrals
of an intervenante who leaves. Each flags once, audits once per referral and flushes.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm.exc import StaleDataError

from ..accounts.models import User
from ..audit.services import record
from ..catalogue.models import CapacityStatus, Organization, OrganizationStatus, Service
from ..config import LOCAL_ZONE, settings
from ..database import utcnow
from ..extensions import db
from ..notifications.services import notify, notify_admins, notify_organization
from ..roles import Role
from .models import OPEN_STATUSES, Person, Referral, ReferralStatus
from .services import (
    ReferralConflict,
    ReferralError,
    link_for_intervenante,
    link_for_provider,
)

# Referrals not yet taken on: a paused service cannot take them any more.
_NOT_YET_TAKEN = (ReferralStatus.SENT, ReferralStatus.RECEIVED, ReferralStatus.WAITLISTED)


def _zone() -> ZoneInfo:
    return LOCAL_ZONE


@cache
def _quebec_holidays():
    """Québec's public holidays (statutory list of the maintained `holidays` package), years
    loaded on demand.

    Imported here, not with the module: the package weighs about 11 MiB (every country's
    calendar), and most processes that import this module (web workers) never count working days.
    """
    import holidays

    return holidays.country_holidays("CA", subdiv="QC")


def is_business_day(day: date) -> bool:
    """Monday to Friday, and not a public holiday in Québec."""
    return day.weekday() < 5 and day not in _quebec_holidays()


def add_business_days(start: datetime, days: int, zone: ZoneInfo | None = None) -> datetime:
    """start moved forward by days working days at the same local time.

    Working days are Monday to Friday except Québec's public holidays. From a weekend or a
    holiday, counting starts at midnight on the next working day.
    """
    local = start.astimezone(zone or _zone())
    if not is_business_day(local.date()):
        local = local.replace(hour=0, minute=0, second=0, microsecond=0)
        while not is_business_day(local.date()):
            local += timedelta(days=1)
    added = 0
    while added < days:
        local += timedelta(days=1)  # wall-clock arithmetic: a DST change keeps the hour
        if is_business_day(local.date()):
            added += 1
    return local.astimezone(UTC)


def flag_overdue(now: datetime | None = None) -> list[Referral]:
    """Flag, once, referrals with no provider answer after REFERRAL_RESPONSE_BUSINESS_DAYS.

    The intervenante is told, the provider reminded, the administrators told once per run.
    """
    now = now or utcnow()
    days = settings().referral_response_business_days
    candidates = db.session.scalars(
        select(Referral)
        .where(
            Referral.status.in_((ReferralStatus.SENT, ReferralStatus.RECEIVED)),
            Referral.first_response_at.is_(None),
            Referral.overdue_flagged_at.is_(None),
            # Business days are never fewer than calendar days: a cheap first cut in SQL.
            Referral.sent_at <= now - timedelta(days=days),
        )
        .order_by(Referral.id)
    ).all()
    zone = _zone()
    flagged = [
        r
        for r in candidates
        if r.sent_at is not None and add_business_days(r.sent_at, days, zone) <= now
    ]
    for referral in flagged:
        referral.overdue_flagged_at = now
    db.session.flush()
    for referral in flagged:
        record(None, "referral.flag_overdue", "referral", referral.id, now=now)
        notify([referral.referring_user], "referral_overdue", **link_for_intervenante(referral))
        notify_organization(
            referral.provider_organization_id, "referral_reminder", **link_for_provider(referral)
        )
    if flagged:
        notify_admins("referral_overdue", endpoint="admin.index")
    return flagged


def _unavailable_service(service: Service) -> bool:
    return service.capacity is CapacityStatus.PAUSED or not service.organization.is_listed


def flag_for_rerouting(
    target: Service | Organization, now: datetime | None = None, actor: User | None = None
) -> list[Referral]:
    """Open referrals to a paused service or a suspended organisation, flagged for re-routing.

    A paused service keeps the referrals it already accepted; a suspended (or no longer
    approved) organisation loses them all. The intervenantes hear once per referral. Returns
    every referral concerned, flagged now or before; [] when the target is available.
    """
    now = now or utcnow()
    if isinstance(target, Service):
        if not _unavailable_service(target):
            return []
        paused_only = target.organization.is_listed
        query = select(Referral).where(
            Referral.service_id == target.id,
            Referral.status.in_(_NOT_YET_TAKEN if paused_only else OPEN_STATUSES),
        )
    else:
        if target.status is OrganizationStatus.APPROVED:
            return []
        query = select(Referral).where(
            Referral.provider_organization_id == target.id, Referral.status.in_(OPEN_STATUSES)
        )
    concerned = db.session.scalars(query.order_by(Referral.id)).all()
    _flag(concerned, now, actor)
    return list(concerned)


def flag_unavailable(now: datetime | None = None) -> list[Referral]:
    """The daily sweep: flag_for_rerouting for every paused service or suspended provider."""
    now = now or utcnow()
    concerned = db.session.scalars(
        select(Referral)
        .join(Organization, Organization.id == Referral.provider_organization_id)
        .outerjoin(Service, Service.id == Referral.service_id)
        .where(
            Referral.reroute_flagged_at.is_(None),
            or_(
                Organization.status != OrganizationStatus.APPROVED,
                (Service.capacity == CapacityStatus.PAUSED) & Referral.status.in_(_NOT_YET_TAKEN),
            ),
            Referral.status.in_(OPEN_STATUSES),
        )
        .order_by(Referral.id)
    ).all()
    _flag(concerned, now, None)
    return list(concerned)


def _flag(referrals, now: datetime, actor: User | None) -> None:
    fresh = [r for r in referrals if r.reroute_flagged_at is None]
    for referral in fresh:
        referral.reroute_flagged_at = now
    db.session.flush()
    for referral in fresh:
        record(actor, "referral.flag_reroute", "referral", referral.id, now=now)
        notify([referral.referring_user], "referral_reroute", **link_for_intervenante(referral))


def _open_of(user_ids) -> list[Referral]:
    return list(
        db.session.scalars(
            select(Referral)
            .where(
                Referral.referring_user_id.in_(list(user_ids)),
                Referral.status.in_(OPEN_STATUSES | {ReferralStatus.DRAFT}),
            )
            .order_by(Referral.id)
        )
    )


def reassign_open_referrals(
    user: User,
    to_user: User,
    actor: User | None = None,
    now: datetime | None = None,
    remote_addr: str | None = None,
) -> list[Referral]:
    """Pass user's drafts and open referrals, and the persons user follows, to to_user.

    Only to an active intervenante of the same organisation: the person consented to their
    intervenante's organisation and the provider, never to the coordinating team.
    """
    now = now or utcnow()
    colleague = (
        to_user.role is Role.INTERVENANTE and to_user.organization_id == user.organization_id
    )
    if to_user.id == user.id or not to_user.active or not colleague:
        raise ReferralError(_l("Referrals can pass only to an active colleague."))
    moving = _open_of([user.id])
    try:
        for referral in moving:
            referral.referring_user = to_user
        for person in db.session.scalars(select(Person).where(Person.owner_id == user.id)):
            person.owner_id = to_user.id
        db.session.flush()
    except StaleDataError as error:
        raise ReferralConflict(
            _l("Someone else changed one of these referrals at the same time. Try again.")
        ) from error
    for referral in moving:
        record(actor, "referral.reassign", "referral", referral.id, remote_addr, now)
    if moving:
        notify([to_user], "referral_reassigned", endpoint="referrals.index")
    return list(moving)


def hand_over_on_departure(
    user: User, delegate: User | None, actor: User | None, remote_addr: str | None = None
) -> list[Referral]:
    """On deactivation: to the designated colleague, or else frozen where they are.

    Frozen referrals stay the departed intervenante's: the provider keeps working them, nobody
    else reads them, and the organisation's next designated colleague inherits them
    (inherit_pending). Administrators are told only that a hand-over waits, with the
    organisation's name.
    """
    if delegate is not None:
        return reassign_open_referrals(user, delegate, actor=actor, remote_addr=remote_addr)
    if _open_of([user.id]) and user.organization is not None:
        notify_admins(
            "referral_handover_pending",
            endpoint="admin.referring_organizations",
            organization=user.organization.name,
        )
    return []


def _departed(organization_id: int) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.organization_id == organization_id,
                User.role == Role.INTERVENANTE,
                User.active.is_(False),
            )
            .order_by(User.id)
        )
    )


def inherit_pending(
    organization_id: int, delegate: User, actor: User | None, remote_addr: str | None = None
) -> list[Referral]:
    """The newly designated colleague inherits every frozen hand-over of the organisation."""
    moved = []
    for departed in _departed(organization_id):
        moved += reassign_open_referrals(departed, delegate, actor=actor, remote_addr=remote_addr)
    return moved


def pending_handovers() -> dict[int, int]:
    """Organisation id → how many drafts and open referrals of its departed intervenantes wait.

    A count only: administrators coordinate; they never read what the referrals say.
    """
    rows = db.session.execute(
        select(User.organization_id, func.count(Referral.id))
        .join(User, User.id == Referral.referring_user_id)
        .where(
            User.active.is_(False),
            User.role == Role.INTERVENANTE,
            Referral.status.in_(OPEN_STATUSES | {ReferralStatus.DRAFT}),
        )
        .group_by(User.organization_id)
    )
    return {org_id: count for org_id, count in rows if org_id is not None}
