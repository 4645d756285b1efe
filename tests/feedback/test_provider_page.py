"""Providers see people's answers only in aggregate, from REFERRAL_RATINGS_MINIMUM answers,
apart from the intervenantes' evaluations."""

from __future__ import annotations

from cote_a_cote.extensions import db
from cote_a_cote.feedback import services
from cote_a_cote.referrals.models import ReferralStatus
from tests.conftest import login, shown
from tests.referrals.conftest import referral_in


def _answers(world, n: int, respect: int = 4, comment: str | None = None) -> None:
    for _ in range(n):
        referral = referral_in(world, ReferralStatus.COMPLETED)
        services.record_answer(
            referral.code,
            {"respect": respect, "no_judgement": 5, "confidentiality": 3, "felt_safe": 2},
            comment,
        )
    db.session.commit()


def test_under_five_answers_nothing_but_the_threshold_is_shown(app, client, world):
    _answers(world, 4, comment="Très bien reçu")
    login(client, world.paul)
    page = client.get("/portail/avis-des-personnes").get_data(as_text=True)
    assert "Très bien reçu" not in page
    assert "4,00" not in page and "4.00" not in page
    assert services.provider_summary(world.provider.id) is None


def test_from_five_answers_the_averages_and_comments_show(app, client, world):
    _answers(world, 4, respect=4, comment="Très bien reçu")
    _answers(world, 1, respect=5)
    login(client, world.paul)
    page = client.get("/portail/avis-des-personnes").get_data(as_text=True)
    assert shown(app, "Answers from the people referred") in page
    assert "4,2" in page  # respect: (4 × 4 + 5) / 5
    assert "Très bien reçu" in page
    summary = services.provider_summary(world.provider.id)
    assert (summary.count, summary.respect, summary.felt_safe) == (5, 4.2, 2.0)


def test_another_providers_answers_are_not_counted(app, client, world):
    _answers(world, 5)
    login(client, world.quentin)
    page = client.get("/portail/avis-des-personnes").get_data(as_text=True)
    assert "4,0" not in page
    assert services.provider_summary(world.other_provider.id) is None
