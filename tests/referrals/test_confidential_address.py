"""A confidential street address is revealed on the service page only to the intervenante whose
referral to that service was accepted — never to her colleagues, other roles or the public."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cote_a_cote.catalogue.models import Location, ServiceAtLocation
from cote_a_cote.extensions import db
from cote_a_cote.referrals.models import ReferralStatus
from tests.conftest import login

from .conftest import referral_in

STREET = "12 rue du Refuge-Fictif"


@pytest.fixture
def shelter_world(world):
    place = Location(
        organization_id=world.provider.id,
        address_1=STREET,
        municipality="Montréal",
        region_code="06",
        is_confidential=True,
    )
    db.session.add(place)
    db.session.flush()
    db.session.add(ServiceAtLocation(service_id=world.service.id, location_id=place.id))
    db.session.commit()
    return world


@pytest.mark.parametrize(
    ("status", "revealed"),
    [(ReferralStatus.SENT, False), (ReferralStatus.ACCEPTED, True)],
)
def test_street_only_after_acceptance(client, shelter_world, status, revealed):
    referral_in(shelter_world, status)
    db.session.commit()
    assert login(client, shelter_world.alice).status_code == 302
    page = client.get(f"/services/{shelter_world.service.id}").text
    assert (STREET in page) is revealed
    assert "Montréal" in page


def test_nobody_else_sees_it(app, shelter_world):
    referral_in(shelter_world, ReferralStatus.ACCEPTED)
    db.session.commit()
    url = f"/services/{shelter_world.service.id}"
    assert STREET not in app.test_client().get(url).text  # the public
    for user in (shelter_world.claire, shelter_world.berthe, shelter_world.admin):
        client = app.test_client()
        assert login(client, user).status_code == 302
        assert STREET not in client.get(url).text, user.name
    assert db.session.scalar(select(Location.address_1)) == STREET
