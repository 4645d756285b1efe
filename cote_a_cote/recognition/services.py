"""What happens in the recognition program: levels saved, awards made, renewed and withdrawn.

Rules written once here:
- A rationale is always required (award, renewal, withdrawal).
- A level is awarded (or renewed) only when the platform's computed criteria for it are all met,
  unless the administrator explicitly overrides them; the award then records criteria_override,
  which the history shows beside the rationale.
- An award is current from valid_from to valid_until (one year later) inclusive, unless
  withdrawn; expiry is by date, no job needed. A renewal is a new row linked to the award it
  renews, starting the day after it ends (or today, when it has already ended); it may be made
  from RENEWAL_WINDOW_DAYS before the end.
- Nothing is overwritten: a withdrawal fills the withdrawn_* columns of the award once.
Every change writes an audit event (identifiers only). Services flush, never commit.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from ..accounts.models import User
from ..audit.services import record
from ..catalogue.models import Organization, OrganizationKind, OrganizationStatus
from ..database import utcnow
from ..errors import UserError
from ..extensions import db
from ..notifications.services import notify_organization
from ..training.rule import local_day
from . import criteria
from .models import (
    AwardStatus,
    EngagementKind,
    EngagementRecord,
    EngagementStatus,
    RecognitionAward,
    RecognitionLevel,
)

EXPIRING_WITHIN_DAYS = 30
RENEWAL_WINDOW_DAYS = 60
RATIONALE_MAX = 4000
THRESHOLD_FIELDS = tuple(c.threshold_attr for c in criteria.CRITERIA)
LEVEL_FIELDS = ("name_fr", "name_en", "description_fr", "description_en", "rank", "active")


class RecognitionError(UserError, ValueError):
    """A refused action, with a message for the person and the form field it concerns."""


# --- Levels ---------------------------------------------------------------------------------


def levels_query() -> Select:
    return select(RecognitionLevel).order_by(RecognitionLevel.rank, RecognitionLevel.id)


def save_level(
    level: RecognitionLevel | None, values: dict, actor: User | None
) -> RecognitionLevel:
    """Create (with a code) or update a level's names and thresholds; flushes."""
    if level is None:
        code = values["code"]
        if db.session.scalar(select(RecognitionLevel.id).where(RecognitionLevel.code == code)):
            raise RecognitionError(_l("Another level already uses this code."), "code")
        level = RecognitionLevel(code=code)
        db.session.add(level)
    for name in (*LEVEL_FIELDS, *THRESHOLD_FIELDS):
        if name in values:
            setattr(level, name, values[name])
    db.session.flush()
    record(actor, "recognition.level_save", "recognition_level", level.id)
    return level


# --- Awards ----------------------------------------------------------------------------------


def new_verification_code() -> str:
    """24 random bytes, URL-safe (32 characters): unguessable."""
    return secrets.token_urlsafe(24)


def one_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _rationale(text: str | None, field: str = "rationale") -> str:
    text = (text or "").strip()
    if not text:
        raise RecognitionError(_l("Give a rationale."), field)
    if len(text) > RATIONALE_MAX:
        raise RecognitionError(_l("Keep the rationale under 4000 characters."), field)
    return text


def _check_criteria(org: Organization, level: RecognitionLevel, today: date, override: bool):
    met = criteria.standing(org, today).check_for(level).met
    if not met and not override:
        raise RecognitionError(
            _l(
                "This organisation does not meet every criterion of this level. To award it "
                "anyway, tick the override and explain why in the rationale."
            ),
            "override",
        )
    return not met


def award(
    org: Organization,
    level: RecognitionLevel,
    rationale: str,
    actor: User,
    today: date,
    override: bool = False,
    now: datetime | None = None,
) -> RecognitionAward:
    """Award level to a provider organisation for one year from today; flushes."""
    rationale = _rationale(rationale)
    if org.kind is not OrganizationKind.PROVIDER or org.status is not OrganizationStatus.APPROVED:
        raise RecognitionError(_l("Only approved partners can be recognised."))
    if not level.active:
        raise RecognitionError(_l("This level is no longer offered."), "level_id")
    overridden = _check_criteria(org, level, today, override)
    return _create(org, level, rationale, actor, today, overridden, None, now)


def renew(
    previous: RecognitionAward,
    rationale: str,
    actor: User,
    today: date,
    override: bool = False,
    now: datetime | None = None,
) -> RecognitionAward:
    """Renew an award for the next year: a new row linked to previous; flushes."""
    rationale = _rationale(rationale)
    if previous.is_withdrawn:
        raise RecognitionError(_l("A withdrawn award cannot be renewed."))
    if renewal_of(previous) is not None:
        raise RecognitionError(_l("This award was already renewed."))
    if today < previous.valid_until - timedelta(days=RENEWAL_WINDOW_DAYS):
        raise RecognitionError(
            _l("An award can be renewed only in the 60 days before it ends, or after.")
        )
    if not previous.level.active:
        raise RecognitionError(_l("This level is no longer offered."))
    overridden = _check_criteria(previous.organization, previous.level, today, override)
    starts = max(today, previous.valid_until + timedelta(days=1))
    return _create(
        previous.organization, previous.level, rationale, actor, starts, overridden, previous, now
    )


def _create(org, level, rationale, actor, starts: date, overridden, previous, now):
    now = now or utcnow()
    new = RecognitionAward(
        organization_id=org.id,
        level_id=level.id,
        year=starts.year,
        awarded_at=now,
        valid_from=starts,
        valid_until=one_year_after(starts),
        rationale=rationale,
        criteria_override=overridden,
        awarded_by_id=actor.id if actor else None,
        status=AwardStatus.ACTIVE,
        renewed_from_id=previous.id if previous else None,
        verification_code=new_verification_code(),
    )
    db.session.add(new)
    db.session.flush()
    action = "recognition.renew" if previous else "recognition.award"
    record(actor, action, "recognition_award", new.id, now=now)
    _notify(new, "recognition_renewed" if previous else "recognition_awarded")
    return new


def _notify(award_: RecognitionAward, kind: str) -> None:
    """Tell the partner's staff, in each reader's language, with a link to its recognition page."""
    notify_organization(
        award_.organization_id,
        kind,
        endpoint="recognition.partner_page",
        organization=award_.organization.name,
        level_fr=award_.level.name_fr,
        level_en=award_.level.name_en,
        year=award_.year,
        date=award_.valid_until.isoformat(),
    )


def withdraw(
    award_: RecognitionAward, reason: str, actor: User, now: datetime | None = None
) -> RecognitionAward:
    """Withdraw an award (and its renewal not yet started, if any); flushes."""
    reason = _rationale(reason, "reason")
    if award_.is_withdrawn:
        raise RecognitionError(_l("This award is already withdrawn."))
    now = now or utcnow()
    for target in (award_, renewal_of(award_)):
        if target is None or target.is_withdrawn:
            continue
        target.status = AwardStatus.WITHDRAWN
        target.withdrawn_at = now
        target.withdrawn_by_id = actor.id if actor else None
        target.withdrawal_reason = reason
        db.session.flush()
        record(actor, "recognition.withdraw", "recognition_award", target.id, now=now)
    _notify(award_, "recognition_withdrawn")
    return award_


def renewal_of(award_: RecognitionAward) -> RecognitionAward | None:
    """The award that renews award_, if any (withdrawn renewals included)."""
    return db.session.scalar(
        select(RecognitionAward)
        .where(RecognitionAward.renewed_from_id == award_.id)
        .order_by(RecognitionAward.id.desc())
        .limit(1)
    )


def _current_clause(today: date):
    return (
        (RecognitionAward.status == AwardStatus.ACTIVE)
        & (RecognitionAward.valid_from <= today)
        & (RecognitionAward.valid_until >= today)
    )


def current_awards(org_ids: Iterable[int] | None, today: date) -> dict[int, RecognitionAward]:
    """{org id: its current award}; with several, the highest level, then the latest."""
    query = (
        select(RecognitionAward)
        .join(RecognitionLevel, RecognitionLevel.id == RecognitionAward.level_id)
        .where(_current_clause(today))
        .order_by(RecognitionLevel.rank, RecognitionAward.valid_from, RecognitionAward.id)
        .options(selectinload(RecognitionAward.level))
    )
    if org_ids is not None:
        org_ids = list(org_ids)
        if not org_ids:
            return {}
        query = query.where(RecognitionAward.organization_id.in_(org_ids))
    found = {}
    for item in db.session.scalars(query):
        found[item.organization_id] = item  # later rows (higher, newer) win
    return found


def partners_query(today: date, name: str | None = None, award_filter: str | None = None) -> Select:
    """Provider organisations by name, optionally by part of it and with or without an award."""
    query = select(Organization).where(Organization.kind == OrganizationKind.PROVIDER)
    if name:
        query = query.where(Organization.name.icontains(name, autoescape=True))
    if award_filter in ("current", "none"):
        holders = select(RecognitionAward.organization_id).where(_current_clause(today))
        held = Organization.id.in_(holders)
        query = query.where(held if award_filter == "current" else ~held)
    return query.order_by(Organization.name, Organization.id)


def current_award(org: Organization, today: date) -> RecognitionAward | None:
    """The award current on today (active, started, not expired), or None."""
    return current_awards([org.id], today).get(org.id)


def history(org: Organization) -> list[RecognitionAward]:
    return list(
        db.session.scalars(
            select(RecognitionAward)
            .where(RecognitionAward.organization_id == org.id)
            .order_by(RecognitionAward.awarded_at.desc(), RecognitionAward.id.desc())
        )
    )


def expiring(today: date, within_days: int = EXPIRING_WITHIN_DAYS) -> list[RecognitionAward]:
    """Current awards ending within within_days and not yet renewed, soonest first."""
    renewed = select(RecognitionAward.renewed_from_id).where(
        RecognitionAward.renewed_from_id.is_not(None),
        RecognitionAward.status == AwardStatus.ACTIVE,
    )
    return list(
        db.session.scalars(
            select(RecognitionAward)
            .where(
                _current_clause(today),
                RecognitionAward.valid_until <= today + timedelta(days=within_days),
                RecognitionAward.id.not_in(renewed),
            )
            .order_by(RecognitionAward.valid_until, RecognitionAward.id)
        )
    )


def send_expiry_notices(now: datetime | None = None) -> int:
    """Tell each partner once that its recognition ends within 30 days and is not renewed."""
    now = now or utcnow()
    due = [
        item
        for item in expiring(local_day(now))
        if item.expiry_notice_sent_at is None and item.organization.is_listed
    ]
    for item in due:
        item.expiry_notice_sent_at = now
        _notify(item, "recognition_expiring")
    db.session.flush()
    return len(due)


def find_by_code(code: str) -> RecognitionAward | None:
    if not code or len(code) > 64:
        return None
    return db.session.scalar(
        select(RecognitionAward).where(RecognitionAward.verification_code == code)
    )


# --- Public recognition -------------------------------------------------------------------------


def set_public(org: Organization, public: bool, actor: User) -> None:
    """The partner's choice to show its recognition publicly; flushes."""
    if org.recognition_public != public:
        org.recognition_public = public
        db.session.flush()
        action = "recognition.make_public" if public else "recognition.make_private"
        record(actor, action, "organization", org.id)


def _public_clause():
    return (
        (Organization.kind == OrganizationKind.PROVIDER)
        & (Organization.status == OrganizationStatus.APPROVED)
        & Organization.recognition_public.is_(True)
    )


def public_badges(org_ids: Iterable[int], today: date) -> dict[int, RecognitionLevel]:
    """{org id: level} for listed organisations that opted in and hold a current award.

    One query for a page of search results (never stored in the index)."""
    org_ids = [i for i in set(org_ids) if i is not None]
    if not org_ids:
        return {}
    rows = db.session.execute(
        select(RecognitionAward.organization_id, RecognitionLevel)
        .join(RecognitionLevel, RecognitionLevel.id == RecognitionAward.level_id)
        .join(Organization, Organization.id == RecognitionAward.organization_id)
        .where(
            RecognitionAward.organization_id.in_(org_ids), _current_clause(today), _public_clause()
        )
        .order_by(RecognitionLevel.rank, RecognitionAward.valid_from, RecognitionAward.id)
    )
    return {org_id: level for org_id, level in rows}


def public_awards_query(today: date, region: str | None = None, sector_id: int | None = None):
    """Current awards of listed partners that opted in, by organisation name."""
    from ..catalogue.models import Service, ServiceArea

    query = (
        select(RecognitionAward)
        .join(Organization, Organization.id == RecognitionAward.organization_id)
        .join(RecognitionLevel, RecognitionLevel.id == RecognitionAward.level_id)
        .where(_current_clause(today), _public_clause())
        .order_by(RecognitionLevel.rank.desc(), Organization.name, RecognitionAward.id)
        .options(
            selectinload(RecognitionAward.organization).selectinload(Organization.sector),
            selectinload(RecognitionAward.level),
        )
    )
    if sector_id is not None:
        query = query.where(Organization.sector_id == sector_id)
    if region:
        served = (
            select(Service.organization_id)
            .join(ServiceArea, ServiceArea.service_id == Service.id)
            .where(ServiceArea.region_code == region)
        )
        query = query.where(Organization.id.in_(served))
    return query


def public_listing(today: date, region: str | None = None, sector_id: int | None = None):
    """One entry per organisation (its highest current award)."""
    seen, entries = set(), []
    for item in db.session.scalars(public_awards_query(today, region, sector_id)):
        if item.organization_id not in seen:
            seen.add(item.organization_id)
            entries.append(item)
    return entries


def public_badge_labels(org_ids: Iterable[int], today: date, locale: str) -> dict[int, str]:
    """{org id: 'Recognised partner: <level>'} for the badges shown beside catalogue entries."""
    from flask_babel import gettext

    return {
        org_id: gettext("Recognised partner: %(level)s", level=level.name(locale))
        for org_id, level in public_badges(org_ids, today).items()
    }


def today_badge_labels(org_ids: Iterable[int], locale: str) -> dict[int, str]:
    """public_badge_labels for today in Québec (what the catalogue pages call)."""
    return public_badge_labels(org_ids, local_day(utcnow()), locale)


def counts_by_level(today: date, locale: str) -> list[tuple[str, int]]:
    """For the dashboard: partners holding each level today (their highest); those ending soon."""
    held: dict[int, int] = {}
    for current in current_awards(None, today).values():
        held[current.level_id] = held.get(current.level_id, 0) + 1
    levels = db.session.scalars(
        select(RecognitionLevel).order_by(RecognitionLevel.rank, RecognitionLevel.id)
    )
    counts = [
        (
            str(_l("Partners at the %(level)s level", level=level.name(locale))),
            held.get(level.id, 0),
        )
        for level in levels
        if level.active or held.get(level.id)
    ]
    counts.append(
        (
            str(
                _l(
                    "recognitions ending within %(days)d days, not renewed",
                    days=EXPIRING_WITHIN_DAYS,
                )
            ),
            len(expiring(today)),
        )
    )
    return counts


# --- Engagement records (issue 17 §3) -----------------------------------------------------------

ENGAGEMENT_TEXT_MAX = 1000
ENGAGEMENT_OLDEST_DAYS = 3 * 365  # older engagement is history, not a criterion


def submit_engagement(
    org: Organization, kind, occurred_on: date, description: str, actor: User, today: date
) -> EngagementRecord:
    """A partner's staff declare what their organisation did; it waits for a confirmation."""
    description = (description or "").strip()
    if not description:
        raise RecognitionError(_l("Describe what your organisation did."), "description")
    if len(description) > ENGAGEMENT_TEXT_MAX:
        raise RecognitionError(_l("Keep the description under 1000 characters."), "description")
    if occurred_on > today:
        raise RecognitionError(_l("The date cannot be in the future."), "occurred_on")
    if occurred_on < today - timedelta(days=ENGAGEMENT_OLDEST_DAYS):
        raise RecognitionError(_l("Record engagement of the last three years only."), "occurred_on")
    item = EngagementRecord(
        organization_id=org.id,
        kind=EngagementKind(kind),
        occurred_on=occurred_on,
        description=description,
        status=EngagementStatus.SUBMITTED,
        submitted_by_id=actor.id if actor else None,
    )
    db.session.add(item)
    db.session.flush()
    record(actor, "recognition.engagement_submit", "engagement_record", item.id)
    return item


def review_engagement(
    item: EngagementRecord,
    confirm: bool,
    actor: User,
    note: str | None = None,
    now: datetime | None = None,
) -> EngagementRecord:
    """An administrator confirms (it then counts) or declines a submitted record; flushes."""
    if item.status is not EngagementStatus.SUBMITTED:
        raise RecognitionError(_l("This record was already reviewed."))
    note = (note or "").strip() or None
    if note and len(note) > 500:
        raise RecognitionError(_l("Keep the note under 500 characters."), "note")
    item.status = EngagementStatus.CONFIRMED if confirm else EngagementStatus.DECLINED
    item.reviewed_by_id = actor.id if actor else None
    item.reviewed_at = now or utcnow()
    item.review_note = note
    db.session.flush()
    action = "confirm" if confirm else "decline"
    record(actor, f"recognition.engagement_{action}", "engagement_record", item.id)
    return item


def engagement_of(org: Organization) -> list[EngagementRecord]:
    return list(
        db.session.scalars(
            select(EngagementRecord)
            .where(EngagementRecord.organization_id == org.id)
            .order_by(EngagementRecord.occurred_on.desc(), EngagementRecord.id.desc())
        )
    )


def engagement_queue() -> list[EngagementRecord]:
    """Records waiting for a review, oldest first."""
    return list(
        db.session.scalars(
            select(EngagementRecord)
            .where(EngagementRecord.status == EngagementStatus.SUBMITTED)
            .order_by(EngagementRecord.submitted_at, EngagementRecord.id)
            .options(selectinload(EngagementRecord.organization))
        )
    )


def confirmed_engagement_counts(first_day: date, last_day: date) -> dict[EngagementKind, int]:
    """Confirmed records per kind dated from first_day to last_day (the annual report)."""
    from sqlalchemy import func

    rows = db.session.execute(
        select(EngagementRecord.kind, func.count(EngagementRecord.id))
        .where(
            EngagementRecord.status == EngagementStatus.CONFIRMED,
            EngagementRecord.occurred_on >= first_day,
            EngagementRecord.occurred_on <= last_day,
        )
        .group_by(EngagementRecord.kind)
    )
    counts = dict.fromkeys(EngagementKind, 0)
    counts.update({kind: int(n) for kind, n in rows})
    return counts
