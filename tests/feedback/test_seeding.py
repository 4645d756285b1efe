"""The demo's people's answers: about completed demo referrals only, without comments, once."""

from __future__ import annotations

from sqlalchemy import func, select

from cote_a_cote.extensions import db
from cote_a_cote.feedback.models import PersonFeedback
from cote_a_cote.feedback.seeding import seed_demo_answers
from cote_a_cote.referrals.models import Referral, ReferralStatus


def test_demo_answers_are_fictional_ratings_of_completed_referrals(app, demo_data):
    answers = db.session.scalars(select(PersonFeedback)).all()
    completed = db.session.scalar(
        select(func.count(Referral.id)).where(Referral.status == ReferralStatus.COMPLETED)
    )
    assert 0.3 * completed < len(answers) < 0.7 * completed
    for answer in answers:
        referral = db.session.get(Referral, answer.referral_id)
        assert referral.status is ReferralStatus.COMPLETED
        assert answer.provider_organization_id == referral.provider_organization_id
        assert answer.comment is None and answer.created_at > referral.closed_at
    assert seed_demo_answers() == 0  # loaded once
