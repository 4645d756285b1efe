"""What a person said about the welcome they received, once per referral.

No identity: the answer holds the referral it is about (found by the code the person typed),
the provider (kept apart so the aggregate survives any change to referrals), four ratings from
1 to 5 and an optional comment that the daily purge erases after FEEDBACK_COMMENT_PURGE_DAYS.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from ..database import UTCDateTime, utcnow
from ..extensions import Model

COMMENT_MAX = 500


class PersonFeedback(Model):
    """One answer of a person about one referral; shown to providers only in aggregate."""

    __tablename__ = "person_feedback"
    __table_args__ = (
        CheckConstraint("respect BETWEEN 1 AND 5", name="respect_range"),
        CheckConstraint("no_judgement BETWEEN 1 AND 5", name="no_judgement_range"),
        CheckConstraint("confidentiality BETWEEN 1 AND 5", name="confidentiality_range"),
        CheckConstraint("felt_safe BETWEEN 1 AND 5", name="felt_safe_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Unique: one answer per referral (the database refuses a second one even in a race).
    referral_id: Mapped[int] = mapped_column(
        ForeignKey("referral.id", ondelete="CASCADE"), unique=True
    )
    provider_organization_id: Mapped[int] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    respect: Mapped[int] = mapped_column(SmallInteger)
    no_judgement: Mapped[int] = mapped_column(SmallInteger)
    confidentiality: Mapped[int] = mapped_column(SmallInteger)
    felt_safe: Mapped[int] = mapped_column(SmallInteger)
    comment: Mapped[str | None] = mapped_column(String(COMMENT_MAX))  # purged
    comment_purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
