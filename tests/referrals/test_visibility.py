"""Who may load a referral: anything else answers 404, across organisations and roles."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from cote_a_cote.catalogue.models import Location, ServiceAtLocation
from cote_a_cote.extensions import db
from cote_a_cote.referrals import services
from cote_a_cote.referrals.models import Referral, ReferralStatus
from cote_a_cote.referrals.visibility import (
    confidential_address_visible,
    get_referral_for,
    visible_query,
)

from .conftest import NOW, draft, referral_in, sent

S = ReferralStatus


def sees(user, referral) -> bool:
    try:
        return get_referral_for(user, referral.id) is referral
    except NotFound:
        return False


@pytest.mark.parametrize("sharing", [False, True])
def test_who_sees_a_sent_referral(world, sharing):
    world.referrer.share_referrals = sharing
    referral = sent(world)
    assert sees(world.alice, referral)
    assert sees(world.claire, referral) is sharing
    assert not sees(world.berthe, referral)
    assert sees(world.paul, referral)
    assert not sees(world.quentin, referral)
    assert sees(world.admin, referral)


def test_sharing_of_another_organisation_does_not_open_ours(world):
    world.other_referrer.share_referrals = True
    referral = sent(world)
    assert not sees(world.berthe, referral)


def test_the_provider_never_sees_a_draft_even_once_withdrawn(world):
    referral = draft(world)
    assert not sees(world.paul, referral)
    services.withdraw(referral, world.alice, NOW)
    assert not sees(world.paul, referral)
    assert sees(world.alice, referral)


def test_a_missing_referral_is_404_for_everyone(world):
    for user in (world.alice, world.paul, world.admin):
        with pytest.raises(NotFound):
            get_referral_for(user, 999_999)


def test_a_deactivated_user_sees_nothing(world):
    referral = sent(world)
    world.alice.active = False
    assert not sees(world.alice, referral)


def test_lists_use_the_same_rule(world):
    world.referrer.share_referrals = True
    mine = sent(world)
    hidden_draft = draft(world)
    ids = lambda user: set(db.session.scalars(visible_query(user).with_only_columns(Referral.id)))  # noqa: E731
    assert ids(world.claire) == {mine.id, hidden_draft.id}
    assert ids(world.paul) == {mine.id}
    assert ids(world.quentin) == set()
    assert ids(world.berthe) == set()


def test_confidential_address_once_accepted(world):
    place = Location(organization_id=world.provider.id, municipality="Laval", is_confidential=True)
    db.session.add(place)
    db.session.flush()
    db.session.add(ServiceAtLocation(service_id=world.service.id, location_id=place.id))
    referral = sent(world)
    services.mark_received(referral, world.paul, NOW)
    assert not confidential_address_visible(world.alice, world.service, NOW)
    services.accept(referral, world.paul, NOW)
    assert confidential_address_visible(world.alice, world.service, NOW)
    assert not confidential_address_visible(world.claire, world.service, NOW)
    assert not confidential_address_visible(world.alice, world.other_service, NOW)
    assert not confidential_address_visible(world.paul, world.service, NOW)
    services.start(referral, world.paul, NOW)
    services.complete(referral, world.paul, NOW)
    assert confidential_address_visible(world.alice, world.service, NOW)
    later = NOW.replace(month=7)
    assert not confidential_address_visible(world.alice, world.service, later)


def test_confidential_address_hidden_after_consent_withdrawn(world):
    referral = referral_in(world, S.ACCEPTED)
    assert confidential_address_visible(world.alice, world.service, NOW)
    services.withdraw_consent(referral, world.alice, NOW)
    assert not confidential_address_visible(world.alice, world.service, NOW)
    assert db.session.scalar(select(Referral.status).where(Referral.id == referral.id)) is (
        S.WITHDRAWN
    )
