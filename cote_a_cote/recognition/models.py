"""Recognition levels (thresholds on criteria the platform computes) and the awards made."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, Date, Float, ForeignKey, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..catalogue.models import Organization
from ..database import UTCDateTime, enum_column, utcnow
from ..extensions import Model


class RecognitionLevel(Model):
    """A level partners earn; each threshold left empty means the criterion is not required."""

    __tablename__ = "recognition_level"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_fr: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    description_fr: Mapped[str | None] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)
    # Higher is a higher level.
    rank: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Thresholds (None: not required).
    min_trained_share: Mapped[int | None] = mapped_column(SmallInteger)  # percent of staff
    min_partner_months: Mapped[int | None] = mapped_column(SmallInteger)
    min_referrals_accepted: Mapped[int | None] = mapped_column(Integer)
    min_referrals_completed: Mapped[int | None] = mapped_column(Integer)
    max_median_response_hours: Mapped[int | None] = mapped_column(Integer)
    min_average_rating: Mapped[float | None] = mapped_column(Float)  # 1.0 - 5.0
    min_reduced_cost_services: Mapped[int | None] = mapped_column(SmallInteger)
    max_months_since_verified: Mapped[int | None] = mapped_column(SmallInteger)
    # Relative to the partner's region (criteria.partner_regions): at most this share (%) of the
    # region's partners ahead of it by referrals accepted (25: the top quarter), and at least
    # this many referrals accepted per 1,000 referrals sent to the region's partners.
    max_regional_rank_share: Mapped[int | None] = mapped_column(SmallInteger)
    min_accepted_per_thousand_region: Mapped[int | None] = mapped_column(Integer)
    # Engagement records confirmed by the coordinating team over the last 12 months.
    min_engagement_records: Mapped[int | None] = mapped_column(SmallInteger)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" else self.name_fr

    def description(self, locale: str) -> str | None:
        return (self.description_en if locale == "en" else None) or self.description_fr


class AwardStatus(enum.Enum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"


class RecognitionAward(Model):
    """One level awarded to an organisation for a year; renewals and withdrawals add, never erase.

    A renewal is a new row pointing to the award it renews (renewed_from_id); a withdrawal fills
    the withdrawn_* columns once. Expiry is by date: the award is current from valid_from to
    valid_until inclusive.
    """

    __tablename__ = "recognition_award"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    level_id: Mapped[int] = mapped_column(ForeignKey("recognition_level.id"), index=True)
    # The year the award covers (the year of valid_from), printed on the badge and certificate.
    year: Mapped[int] = mapped_column(SmallInteger)
    awarded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date, index=True)
    rationale: Mapped[str] = mapped_column(Text)
    # True when an administrator awarded it although the computed criteria were not all met.
    criteria_override: Mapped[bool] = mapped_column(Boolean, default=False)
    awarded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    status: Mapped[AwardStatus] = mapped_column(
        enum_column(AwardStatus), default=AwardStatus.ACTIVE, index=True
    )
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    withdrawal_reason: Mapped[str | None] = mapped_column(Text)
    renewed_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("recognition_award.id"), index=True
    )
    # Random and unguessable: the public verification address and the badge's address.
    verification_code: Mapped[str] = mapped_column(String(64), unique=True)
    # The partner was told once that this award ends soon (flask daily).
    expiry_notice_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organization: Mapped[Organization] = relationship()
    level: Mapped[RecognitionLevel] = relationship()
    awarded_by: Mapped[User | None] = relationship(foreign_keys=[awarded_by_id])
    withdrawn_by: Mapped[User | None] = relationship(foreign_keys=[withdrawn_by_id])
    renewed_from: Mapped[RecognitionAward | None] = relationship(remote_side=[id])

    @property
    def is_withdrawn(self) -> bool:
        return self.status is AwardStatus.WITHDRAWN

    def is_current(self, today: date) -> bool:
        """Active, started and not expired on today."""
        return self.status is AwardStatus.ACTIVE and self.valid_from <= today <= self.valid_until

    def state(self, today: date) -> str:
        """One of: current, upcoming, expired, withdrawn."""
        if self.is_withdrawn:
            return "withdrawn"
        if today < self.valid_from:
            return "upcoming"
        if today > self.valid_until:
            return "expired"
        return "current"


class EngagementKind(enum.Enum):
    AWARENESS = "awareness"  # an awareness activity (a talk, a training given, a campaign)
    IN_KIND = "in_kind"  # an in-kind contribution (goods, premises, free hours)
    INFORMAL_PARTNERSHIP = "informal_partnership"
    MENTORING = "mentoring"  # mentoring another partner


class EngagementStatus(enum.Enum):
    SUBMITTED = "submitted"
    CONFIRMED = "confirmed"
    DECLINED = "declined"


class EngagementRecord(Model):
    """Engagement a partner's staff declare in the portal; it counts once an administrator
    confirms it. Nothing about the people served: what was done, when, by the organisation."""

    __tablename__ = "engagement_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[EngagementKind] = mapped_column(enum_column(EngagementKind))
    occurred_on: Mapped[date] = mapped_column(Date, index=True)
    description: Mapped[str] = mapped_column(Text)
    status: Mapped[EngagementStatus] = mapped_column(
        enum_column(EngagementStatus), default=EngagementStatus.SUBMITTED, index=True
    )
    submitted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reviewed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_note: Mapped[str | None] = mapped_column(String(500))

    organization: Mapped[Organization] = relationship()
