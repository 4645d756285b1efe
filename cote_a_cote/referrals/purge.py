"""The privacy schedule: erase what a closed or unconsented referral no longer needs.

Kept for statistics: statuses, dates, need terms and outcome, and which person (an id) each
referral was for. Erased: every free text (services.FREE_TEXT_FIELDS), then the person's code
once every referral under it is closed and purged. Old drafts, never sent, are deleted outright,
and a person left without any referral with them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, or_, select

from ..audit.services import record
from ..config import settings
from ..database import utcnow
from ..extensions import db
from .models import CLOSED_STATUSES, Person, Referral, ReferralStatus
from .services import FREE_TEXT_FIELDS, local_today, purge_text


@dataclass(frozen=True)
class PurgeCounts:
    closed: int  # closed referrals whose text was erased
    expired_consent: int  # referrals whose consent ran out, text erased
    drafts_deleted: int
    codes_erased: int = 0  # persons whose code was erased (their counts remain)


def _not_yet_purged():
    """Never purged, or holding text again (a draft edited after an earlier purge)."""
    columns = [getattr(Referral, name).is_not(None) for name in FREE_TEXT_FIELDS]
    return or_(Referral.purged_at.is_(None), *columns)


def purge(now: datetime | None = None) -> PurgeCounts:
    """Run the schedule at now; one audit event per referral purged or deleted; flushes."""
    now = now or utcnow()
    drafts_deleted = _delete_old_drafts(now)
    closed = _closed_before(now - timedelta(days=settings().referral_purge_days))
    _purge_each(closed, now)
    expired = _consent_expired(now)
    _purge_each(expired, now)
    erased = _erase_codes(now)
    return PurgeCounts(
        closed=len(closed),
        expired_consent=len(expired),
        drafts_deleted=drafts_deleted,
        codes_erased=erased,
    )


def _delete_old_drafts(now: datetime) -> int:
    """Delete the drafts older than REFERRAL_DRAFT_DAYS, each with its audit event; how many."""
    drafts = db.session.scalars(
        select(Referral)
        .where(
            Referral.status == ReferralStatus.DRAFT,
            Referral.created_at < now - timedelta(days=settings().referral_draft_days),
        )
        .order_by(Referral.id)
    ).all()
    for draft in drafts:
        draft_id = draft.id
        db.session.delete(draft)
        db.session.flush()
        record(None, "referral.delete_draft", "referral", draft_id, now=now)
    return len(drafts)


def _closed_before(limit: datetime) -> Sequence[Referral]:
    """Referrals closed before limit that still hold text."""
    return db.session.scalars(
        select(Referral)
        .where(
            Referral.status.in_(CLOSED_STATUSES),
            Referral.closed_at < limit,
            _not_yet_purged(),
        )
        .order_by(Referral.id)
    ).all()


def _consent_expired(now: datetime) -> Sequence[Referral]:
    """Referrals whose consent ran out (by Québec's date at now) that still hold text."""
    return db.session.scalars(
        select(Referral)
        .where(Referral.consent_valid_until < local_today(now), _not_yet_purged())
        .order_by(Referral.id)
    ).all()


def _erase_codes(now: datetime) -> int:
    """Erase the code of every person whose referrals are all closed and purged.

    A person left with no referral at all (its only draft deleted) is deleted: nothing about it
    is counted. One audit event per person, by id.
    """
    unfinished = exists().where(
        Referral.person_id == Person.id,
        or_(
            Referral.status.not_in(CLOSED_STATUSES),
            Referral.purged_at.is_(None),
            _not_yet_purged(),
        ),
    )
    persons = db.session.scalars(
        select(Person).where(Person.code.is_not(None), ~unfinished).order_by(Person.id)
    ).all()
    erased = 0
    for person in persons:
        person_id = person.id
        if db.session.scalar(select(Referral.id).where(Referral.person_id == person_id).limit(1)):
            person.code = None
            person.purged_at = now
            erased += 1
            action = "person.purge"
        else:
            db.session.delete(person)
            action = "person.delete"
        db.session.flush()
        record(None, action, "person", person_id, now=now)
    return erased


def _purge_each(referrals, now: datetime) -> None:
    for referral in referrals:
        purge_text(referral, now)
    db.session.flush()
    for referral in referrals:
        record(None, "referral.purge", "referral", referral.id, now=now)
