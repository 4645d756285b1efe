"""The pages the access matrix cannot open with content (a list of one's own, its sheet, the
thanks page of /avis) pass the same audit as every other page."""

from __future__ import annotations

import pytest

from cote_a_cote.extensions import db
from cote_a_cote.referrals.models import ReferralStatus
from cote_a_cote.shortlists import services
from tests.conftest import login
from tests.referrals.conftest import referral_in
from tests.test_accessibility import PageAudit


def _audit(html: str) -> None:
    audit = PageAudit()
    audit.feed(html)
    assert audit.lang in ("fr", "en")
    assert audit.unlabelled() == []
    assert audit.headings.count(1) == 1, audit.headings
    assert all(b <= a + 1 for a, b in zip(audit.headings, audit.headings[1:], strict=False)), (
        audit.headings
    )


@pytest.mark.parametrize("path", ["/listes/{id}", "/listes/{id}/imprimer", "/listes/"])
def test_shortlist_pages_are_accessible(client, world, path):
    shortlist = services.create(world.alice, "Santé")
    services.add_service(shortlist, world.service)
    services.add_service(shortlist, world.other_service)
    db.session.commit()
    login(client, world.alice)
    response = client.get(path.format(id=shortlist.id))
    assert response.status_code == 200
    _audit(response.get_data(as_text=True))


def test_the_thanks_page_of_avis_is_accessible(client, world):
    referral = referral_in(world, ReferralStatus.COMPLETED)
    db.session.commit()
    response = client.post(
        "/avis",
        data={
            "code": referral.code,
            "respect": "4",
            "no_judgement": "4",
            "confidentiality": "4",
            "felt_safe": "4",
        },
    )
    _audit(response.get_data(as_text=True))
