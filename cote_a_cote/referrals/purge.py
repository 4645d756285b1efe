"""The privacy schedule: erase what a closed or unconsented referral no longer needs.

Kept for statistics: code, statuses, dates, need terms and outcome. Erased: every free text
(services.FREE_TEXT_FIELDS). Old drafts, never sent, are deleted outright.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select

from ..audit.services import record
from ..database import utcnow
from ..extensions import db
from .models import CLOSED_STATUSES, Referral, ReferralStatus
from .services import FREE_TEXT_FIELDS, local_today, purge_text, setting


@dataclass(frozen=True)
class PurgeCounts:
    closed: int  # closed referrals whose text was erased
    expired_consent: int  # referrals whose consent ran out, text erased
    drafts_deleted: int


def _not_yet_purged():
    """Never purged, or holding text again (a draft edited after an earlier purge)."""
    columns = [getattr(Referral, name).is_not(None) for name in FREE_TEXT_FIELDS]
    return or_(Referral.purged_at.is_(None), *columns)


def purge(now: datetime | None = None) -> PurgeCounts:
    """Run the schedule at now; one audit event per referral purged or deleted; flushes."""
    now = now or utcnow()
    drafts = db.session.scalars(
        select(Referral)
        .where(
            Referral.status == ReferralStatus.DRAFT,
            Referral.created_at < now - timedelta(days=setting("REFERRAL_DRAFT_DAYS")),
        )
        .order_by(Referral.id)
    ).all()
    for draft in drafts:
        draft_id = draft.id
        db.session.delete(draft)
        db.session.flush()
        record(None, "referral.delete_draft", "referral", draft_id, now=now)

    closed = db.session.scalars(
        select(Referral)
        .where(
            Referral.status.in_(CLOSED_STATUSES),
            Referral.closed_at < now - timedelta(days=setting("REFERRAL_PURGE_DAYS")),
            _not_yet_purged(),
        )
        .order_by(Referral.id)
    ).all()
    _purge_each(closed, now)

    expired = db.session.scalars(
        select(Referral)
        .where(Referral.consent_valid_until < local_today(now), _not_yet_purged())
        .order_by(Referral.id)
    ).all()
    _purge_each(expired, now)
    return PurgeCounts(closed=len(closed), expired_consent=len(expired), drafts_deleted=len(drafts))


def _purge_each(referrals, now: datetime) -> None:
    for referral in referrals:
        purge_text(referral, now)
    db.session.flush()
    for referral in referrals:
        record(None, "referral.purge", "referral", referral.id, now=now)
