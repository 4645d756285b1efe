"""The person's answers: find the referral by its code, record one answer, purge, summarise.

Every refusal about the code itself (unknown, malformed, purged, not closed yet) raises the same
CodeNotAccepted with the same words, so the form cannot be used to learn which codes exist.
Only a second answer for a valid code is told apart, as the issue asks. Nothing commits here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.exc import IntegrityError

from ..config import settings
from ..database import utcnow
from ..errors import UserError
from ..extensions import db
from ..referrals.models import CLOSED_STATUSES, Person, Referral
from ..referrals.services import CODE_ALPHABET, CODE_LENGTH
from .models import COMMENT_MAX, PersonFeedback

_NOT_CODE = re.compile(r"[\s\-_.]+")
RATINGS = ("respect", "no_judgement", "confidentiality", "felt_safe")


class FeedbackError(UserError):
    """An answer refused because of its code; the message (a lazy string) is meant for the
    person and shown on the code field."""

    def __init__(self, message) -> None:
        super().__init__(message, field="code")


class CodeNotAccepted(FeedbackError):
    """Unknown, malformed, purged or not-yet-closed code: always the same message."""

    def __init__(self):
        super().__init__(
            _l(
                "No answer can be recorded with this code. Check the code on your sheet: an "
                "answer is possible once the appointment or service is over, for a few weeks."
            )
        )


class AlreadyAnswered(FeedbackError):
    def __init__(self):
        super().__init__(
            _l("An answer was already given for this code. Thank you: only one answer is kept.")
        )


def normalise_code(raw: str | None) -> str | None:
    """ABCD-EFGH from what the person typed (any case, spaces or dashes), or None."""
    letters = _NOT_CODE.sub("", (raw or "").upper())
    if len(letters) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in letters):
        return None
    return f"{letters[:4]}-{letters[4:]}"


def find_referral(code: str) -> Referral | None:
    """The referral of the person a code names that the person may rate now, or None.

    A code belongs to the person, who may have several referrals: the answer goes to the most
    recently closed one not yet rated; when every closed one is rated, that latest one (so the
    person is told an answer was already given).
    """
    person = db.session.scalar(select(Person).where(Person.code == code))
    if person is None:
        return None
    candidates = sorted(
        (r for r in person.referrals if _answerable(r)),
        key=lambda r: (r.status_changed_at, r.id),
        reverse=True,
    )
    if not candidates:
        return None
    rated = set(
        db.session.scalars(
            select(PersonFeedback.referral_id).where(
                PersonFeedback.referral_id.in_([r.id for r in candidates])
            )
        )
    )
    return next((r for r in candidates if r.id not in rated), candidates[0])


def _answerable(referral: Referral) -> bool:
    return (
        referral.status in CLOSED_STATUSES
        and referral.sent_at is not None
        and referral.purged_at is None
    )


def record_answer(
    code: str | None,
    ratings: dict[str, int],
    comment: str | None = None,
    now: datetime | None = None,
) -> PersonFeedback:
    """Store one answer for the referral named by code; flushes. Raises FeedbackError."""
    normalised = normalise_code(code)
    referral = find_referral(normalised) if normalised else None
    if referral is None or not _answerable(referral):
        raise CodeNotAccepted()
    if set(ratings) != set(RATINGS) or any(v not in range(1, 6) for v in ratings.values()):
        raise ValueError("four ratings from 1 to 5 are required")
    comment = (comment or "").strip()[:COMMENT_MAX] or None
    if db.session.scalar(
        select(PersonFeedback.id).where(PersonFeedback.referral_id == referral.id)
    ):
        raise AlreadyAnswered()
    answer = PersonFeedback(
        referral_id=referral.id,
        provider_organization_id=referral.provider_organization_id,
        comment=comment,
        created_at=now or utcnow(),
        **ratings,
    )
    try:
        with db.session.begin_nested():  # two answers at once: the unique key keeps one
            db.session.add(answer)
    except IntegrityError:
        raise AlreadyAnswered() from None
    return answer


def purge_comments(now: datetime | None = None) -> int:
    """Erase comments older than FEEDBACK_COMMENT_PURGE_DAYS; how many were erased. Flushes."""
    now = now or utcnow()
    limit = now - timedelta(days=settings().feedback_comment_purge_days)
    result = db.session.execute(
        update(PersonFeedback)
        .where(PersonFeedback.comment.is_not(None), PersonFeedback.created_at < limit)
        .values(comment=None, comment_purged_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    db.session.expire_all()
    assert isinstance(result, CursorResult)  # an UPDATE run through the session
    return result.rowcount or 0


@dataclass(frozen=True)
class FeedbackSummary:
    count: int
    respect: float
    no_judgement: float
    confidentiality: float
    felt_safe: float


def provider_summary(organization_id: int, minimum: int | None = None) -> FeedbackSummary | None:
    """Averages of the answers about a provider, or None under REFERRAL_RATINGS_MINIMUM."""
    if minimum is None:
        minimum = settings().referral_ratings_minimum
    row = db.session.execute(
        select(
            func.count(PersonFeedback.id),
            *(func.avg(getattr(PersonFeedback, name)) for name in RATINGS),
        ).where(PersonFeedback.provider_organization_id == organization_id)
    ).one()
    count = row[0] or 0
    if count < max(minimum, 1):
        return None
    return FeedbackSummary(count, *(round(float(value), 2) for value in row[1:]))


def recent_comments(organization_id: int, minimum: int | None = None) -> list[str]:
    """The comments still kept about a provider, once the summary shows.

    In alphabetical order, without dates: their order must not hint at who wrote which."""
    if provider_summary(organization_id, minimum) is None:
        return []
    return list(
        db.session.scalars(
            select(PersonFeedback.comment)
            .where(
                PersonFeedback.provider_organization_id == organization_id,
                PersonFeedback.comment.is_not(None),
            )
            .order_by(PersonFeedback.comment)
            .limit(100)
        )
    )
