"""Fictional answers of people to the demo referrals, so the providers' page shows something.

About half of the completed demo referrals get an answer a few days after closing, with ratings
drawn the same way on every machine and no comment (a comment would be someone's words).
"""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select

from ..extensions import db
from ..referrals.models import Referral, ReferralStatus
from .models import PersonFeedback
from .services import RATINGS

DEMO_REFERRAL_KEYS = "demo-referral-%"
SHARE_ANSWERED = 0.5


def seed_demo_answers() -> int:
    """Create the demo answers once (nothing if one exists); flushes only. Returns how many."""
    demo = select(Referral.id).where(Referral.idempotency_key.like(DEMO_REFERRAL_KEYS))
    if db.session.scalar(
        select(PersonFeedback.id).where(PersonFeedback.referral_id.in_(demo)).limit(1)
    ):
        return 0
    referrals = db.session.scalars(
        select(Referral)
        .where(
            Referral.idempotency_key.like(DEMO_REFERRAL_KEYS),
            Referral.status == ReferralStatus.COMPLETED,
            Referral.closed_at.is_not(None),
        )
        .order_by(Referral.id)
    ).all()
    rng = random.Random(2027)  # the same demo on every machine
    created = 0
    for referral in referrals:
        if rng.random() >= SHARE_ANSWERED:
            continue
        assert referral.closed_at is not None  # the query keeps closed referrals only
        db.session.add(
            PersonFeedback(
                referral_id=referral.id,
                provider_organization_id=referral.provider_organization_id,
                created_at=referral.closed_at + timedelta(days=rng.randint(1, 10)),
                **{name: rng.choices((2, 3, 4, 5), weights=(1, 2, 4, 5))[0] for name in RATINGS},
            )
        )
        created += 1
    db.session.flush()
    return created
