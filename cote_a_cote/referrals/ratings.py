"""A provider's welcome ratings, shown to intervenantes only in aggregate and from a minimum."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Integer, cast, func, select

from ..catalogue.models import Organization
from ..config import settings
from ..extensions import db
from .models import Referral, ReferralEvaluation


@dataclass(frozen=True)
class RatingSummary:
    count: int
    respect: float
    no_judgement: float
    confidentiality: float
    would_refer_again_share: float  # 0.0 - 1.0


def provider_rating_summary(
    organization: Organization, minimum: int | None = None
) -> RatingSummary | None:
    """Averages of the provider's ratings, or None under minimum (REFERRAL_RATINGS_MINIMUM)."""
    minimum = settings().referral_ratings_minimum if minimum is None else minimum
    row = db.session.execute(
        select(
            func.count(ReferralEvaluation.id),
            func.avg(ReferralEvaluation.respect),
            func.avg(ReferralEvaluation.no_judgement),
            func.avg(ReferralEvaluation.confidentiality),
            func.sum(cast(ReferralEvaluation.would_refer_again, Integer)),
        )
        .join(Referral, Referral.id == ReferralEvaluation.referral_id)
        .where(Referral.provider_organization_id == organization.id)
    ).one()
    count = row[0] or 0
    if count < max(minimum, 1):
        return None
    return RatingSummary(
        count=count,
        respect=round(float(row[1]), 2),
        no_judgement=round(float(row[2]), 2),
        confidentiality=round(float(row[3]), 2),
        would_refer_again_share=round(float(row[4] or 0) / count, 2),
    )
