"""The 'trained' rule, written once, and the recomputation that keeps Organization.is_trained true.

An organisation is trained on a day when it has at least one active provider staff member and at
least TRAINED_MIN_STAFF_SHARE of its active provider staff hold every active required module with
a confirmed record that has not expired that day (no expiry, or an expiry after the day).
Declared (unconfirmed) and rejected records never count; optional or inactive modules are ignored.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import func, or_, select, text, update

from ..accounts.models import User
from ..catalogue.models import Organization, OrganizationKind
from ..config import LOCAL_ZONE, settings
from ..database import utcnow
from ..extensions import db
from ..roles import Role
from .models import RecordStatus, TrainingModule, TrainingRecord

log = logging.getLogger(__name__)

# Tolerance when comparing a share (0.7 * 10 is 7.000000000000001 in floating point).
_EPSILON = 1e-9
# Key of the PostgreSQL advisory lock that lets one worker at a time recompute every organisation.
_REFRESH_LOCK_KEY = 0x7472_6169  # "trai"
_CHUNK = 500


# --- Days and validity ---------------------------------------------------------------------------


def local_day(moment: datetime) -> date:
    """The calendar day in Québec at moment: expiry dates are Québec dates."""
    return moment.astimezone(LOCAL_ZONE).date()


def valid_on(expires_on: date | None, day: date) -> bool:
    """A confirmed record counts on day when it never expires or expires after that day."""
    return expires_on is None or expires_on > day


def _valid_on_clause(day: date):
    """valid_on, as SQL."""
    return or_(TrainingRecord.expires_on.is_(None), TrainingRecord.expires_on > day)


def min_staff_share() -> float:
    """The configured share, kept within (0, 1]."""
    share = settings().trained_min_staff_share
    return min(max(share, _EPSILON), 1.0)


def meets_rule(staff_count: int, complete_count: int, share: float | None = None) -> bool:
    """The rule itself: some active staff, and enough of them hold every required module."""
    share = min_staff_share() if share is None else share
    return staff_count > 0 and complete_count + _EPSILON >= share * staff_count


# --- Computing --------------------------------------------------------------------------------


def required_modules() -> list[TrainingModule]:
    """The modules that count toward 'trained', in display order."""
    return list(
        db.session.scalars(
            select(TrainingModule)
            .where(TrainingModule.required.is_(True), TrainingModule.active.is_(True))
            .order_by(TrainingModule.position, TrainingModule.id)
        )
    )


def staff_query():
    """Active provider staff of provider organisations (the people the rule counts)."""
    return (
        select(User)
        .join(Organization, Organization.id == User.organization_id)
        .where(
            User.role == Role.PROVIDER,
            User.active.is_(True),
            Organization.kind == OrganizationKind.PROVIDER,
        )
    )


def staff_completion(org_ids: Iterable[int] | None, day: date) -> dict[int, tuple[int, int]]:
    """(active staff, staff holding every required module valid on day) per provider organisation.

    Every provider organisation asked for is in the answer, with (0, 0) when it has no staff.
    """
    orgs = select(Organization.id).where(Organization.kind == OrganizationKind.PROVIDER)
    staff_rows = staff_query().with_only_columns(User.organization_id, User.id)
    held_rows = (
        select(TrainingRecord.user_id, TrainingRecord.module_id)
        .join(User, User.id == TrainingRecord.user_id)
        .join(TrainingModule, TrainingModule.id == TrainingRecord.module_id)
        .where(
            TrainingRecord.status == RecordStatus.CONFIRMED,
            TrainingModule.required.is_(True),
            TrainingModule.active.is_(True),
            _valid_on_clause(day),
        )
        .distinct()
    )
    if org_ids is not None:
        org_ids = list(org_ids)
        orgs = orgs.where(Organization.id.in_(org_ids))
        staff_rows = staff_rows.where(User.organization_id.in_(org_ids))
        held_rows = held_rows.where(User.organization_id.in_(org_ids))
    required = {m.id for m in required_modules()}
    staff: dict[int, list[int]] = defaultdict(list)
    for org_id, user_id in db.session.execute(staff_rows):
        staff[org_id].append(user_id)
    held: dict[int, set[int]] = defaultdict(set)
    for user_id, module_id in db.session.execute(held_rows):
        held[user_id].add(module_id)
    result = {}
    for org_id in db.session.scalars(orgs):
        members = staff.get(org_id, [])
        result[org_id] = (len(members), sum(1 for user_id in members if required <= held[user_id]))
    return result


def trained_by_organization(org_ids: Iterable[int] | None, day: date) -> dict[int, bool]:
    """Whether each provider organisation is trained on day (all of them when org_ids is None)."""
    share = min_staff_share()
    return {
        org_id: meets_rule(staff, complete, share)
        for org_id, (staff, complete) in staff_completion(org_ids, day).items()
    }


def is_trained(organization: Organization, today: date) -> bool:
    """The rule for one organisation on a day (False for anything but a provider)."""
    return trained_by_organization([organization.id], today).get(organization.id, False)


# --- Storing the outcome ----------------------------------------------------------------------


def _store(results: dict[int, bool], now: datetime, everyone: bool) -> int:
    """Write is_trained where it changed (via the ORM, so search follows); stamp every check."""
    if not results:
        return 0
    stored = select(Organization.id, Organization.is_trained).where(
        Organization.kind == OrganizationKind.PROVIDER
    )
    if not everyone:
        stored = stored.where(Organization.id.in_(list(results)))
    changed = sorted(
        org_id for org_id, was in db.session.execute(stored) if results.get(org_id, was) != was
    )
    # In id order, so two workers recomputing at once lock rows in the same order.
    for start in range(0, len(changed), _CHUNK):
        chunk = changed[start : start + _CHUNK]
        for org in db.session.scalars(
            select(Organization).where(Organization.id.in_(chunk)).order_by(Organization.id)
        ):
            org.is_trained = results[org.id]
            org.trained_checked_at = now
    db.session.flush()
    # The others only get their check stamped: no re-indexing, and updated_at stays as it was.
    stamp = update(Organization).where(Organization.kind == OrganizationKind.PROVIDER)
    if not everyone:
        stamp = stamp.where(Organization.id.in_(list(results)))
    db.session.execute(
        stamp.values(trained_checked_at=now, updated_at=Organization.updated_at),
        execution_options={"synchronize_session": "fetch"},
    )
    return len(changed)


def refresh_trained_status(now: datetime | None = None) -> int:
    """Recompute every provider organisation; returns how many changed. Flushes, never commits."""
    now = now or utcnow()
    return _store(trained_by_organization(None, local_day(now)), now, everyone=True)


def refresh_organization(organization: Organization, now: datetime | None = None) -> bool:
    """Recompute one organisation after a change to its staff or records; True if it changed."""
    now = now or utcnow()
    results = trained_by_organization([organization.id], local_day(now))
    return _store(results, now, everyone=False) > 0


def refresh_if_outdated(now: datetime | None = None) -> int | None:
    """Recompute everything when the oldest check happened before today; None when not needed.

    Organisations never checked (trained_checked_at empty) do not trigger it: until some check
    has run (seed-demo, a training change, the daily command), there is nothing to keep current.
    On PostgreSQL one worker at a time does the work; the others find it done or skip.
    """
    now = now or utcnow()
    if not _oldest_check_before(local_day(now)):
        return None
    if db.session.get_bind().dialect.name == "postgresql":
        got = db.session.scalar(
            text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": _REFRESH_LOCK_KEY}
        )
        if not got or not _oldest_check_before(local_day(now)):
            return None
    return refresh_trained_status(now)


def _oldest_check_before(day: date) -> bool:
    oldest = db.session.scalar(
        select(func.min(Organization.trained_checked_at)).where(
            Organization.kind == OrganizationKind.PROVIDER,
            Organization.trained_checked_at.is_not(None),
        )
    )
    return oldest is not None and local_day(oldest) < day
