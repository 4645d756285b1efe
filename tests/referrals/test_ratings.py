"""A provider's ratings are shown as averages only, and only from 5 evaluations."""

from __future__ import annotations

from cote_a_cote.config import update_settings
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
    update_settings(app, {"REFERRAL_RATINGS_MINIMUM": 2})
    assert provider_rating_summary(world.provider).count == 2


def test_service_page_shows_the_averages_to_intervenantes_from_five(app, client, world):
    from cote_a_cote.extensions import db
    from tests.conftest import login

    url = f"/services/{world.service.id}"
    for score in (5, 4, 3, 5):
        rate(world, score)
    db.session.commit()
    assert login(client, world.claire).status_code == 302
    assert 'id="ratings-title"' not in client.get(url).text  # four ratings: nothing shown
    rate(world, 3, would_refer_again=False)
    db.session.commit()
    page = client.get(url).text
    assert 'id="ratings-title"' in page
    assert "<dd>4,0</dd>" in page and "<dd>80\u00a0%</dd>" in page  # French numbers
    # The provider and the public never see them.
    for viewer in (world.paul, None):
        other = app.test_client()
        if viewer is not None:
            assert login(other, viewer).status_code == 302
        assert 'id="ratings-title"' not in other.get(url).text
