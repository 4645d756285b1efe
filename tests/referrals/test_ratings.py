"""A provider's ratings are shown as averages only, and only from 5 evaluations."""

from __future__ import annotations

from cote_a_cote.referrals import services
from cote_a_cote.referrals.models import ReferralStatus
from cote_a_cote.referrals.ratings import provider_rating_summary

from .conftest import NOW, referral_in


def rate(world, respect, would_refer_again=True):
    referral = referral_in(world, ReferralStatus.COMPLETED)
    services.evaluate(
        referral,
        world.alice,
        NOW,
        respect=respect,
        no_judgement=4,
        confidentiality=5,
        would_refer_again=would_refer_again,
    )


def test_hidden_under_five_ratings_then_averages_only(world):
    for score in (5, 4, 3, 5):
        rate(world, score)
    assert provider_rating_summary(world.provider) is None
    rate(world, 3, would_refer_again=False)
    summary = provider_rating_summary(world.provider)
    assert summary.count == 5
    assert summary.respect == 4.0
    assert summary.no_judgement == 4.0
    assert summary.confidentiality == 5.0
    assert summary.would_refer_again_share == 0.8
    assert provider_rating_summary(world.other_provider) is None


def test_the_minimum_comes_from_the_call_or_the_configuration(app, world):
    for score in (5, 4):
        rate(world, score)
    assert provider_rating_summary(world.provider, minimum=2).respect == 4.5
    app.config["REFERRAL_RATINGS_MINIMUM"] = 2
    assert provider_rating_summary(world.provider).count == 2
