"""The fictional demo referrals: every status, plausible dates, no free text, loaded once."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from sqlalchemy import func, select

from cote_a_cote.accounts.models import User
from cote_a_cote.catalogue.models import OrganizationKind
from cote_a_cote.extensions import db
from cote_a_cote.referrals.models import Referral, ReferralEvaluation, ReferralStatus
from cote_a_cote.referrals.seeding import COUNT, seed_demo_referrals
from cote_a_cote.referrals.services import FREE_TEXT_FIELDS
from cote_a_cote.roles import Role

NOW = datetime(2026, 6, 15, 16, 0, tzinfo=UTC)


def test_demo_referrals(reference, make_org, make_service):
    referrer = make_org(name="Maison démo", kind=OrganizationKind.REFERRER, is_fictional=True)
    real = make_org(name="Partenaire réel", is_fictional=False)
    providers = [make_org(name=f"Partenaire démo {n}", is_fictional=True) for n in range(3)]
    for n, org in enumerate(providers):
        make_service(org, name_fr=f"Service démo {n}", terms=("need.housing", "need.legal"))
    make_service(real, name_fr="Service réel", terms=("need.housing",))

    created = seed_demo_referrals({"ref": referrer, **{str(o.id): o for o in providers}}, NOW)
    db.session.commit()
    referrals = list(db.session.scalars(select(Referral)))
    assert created == len(referrals) >= COUNT
    # Only fictional services, from fictional roster intervenantes who cannot sign in.
    assert {r.provider_organization_id for r in referrals} <= {o.id for o in providers}
    authors = db.session.scalars(select(User).where(User.role == Role.INTERVENANTE)).all()
    assert authors and all(u.password_hash is None for u in authors)
    assert {r.referring_organization_id for r in referrals} == {referrer.id}
    # Every status but draft, plausible dates, nothing the purge would have erased.
    statuses = Counter(r.status for r in referrals)
    assert set(statuses) == set(ReferralStatus) - {ReferralStatus.DRAFT}
    for r in referrals:
        assert all(getattr(r, name) is None for name in FREE_TEXT_FIELDS)
        assert r.sent_at <= NOW and r.needs
        assert r.first_response_at is None or r.sent_at <= r.first_response_at <= NOW
        assert (r.closed_at is not None) == r.is_closed
    assert any(r.rerouted_from_id for r in referrals)
    evaluated = db.session.scalar(select(func.count(ReferralEvaluation.id)))
    assert (
        0 < evaluated < statuses[ReferralStatus.COMPLETED] + statuses[ReferralStatus.NOT_COMPLETED]
    )
    # Some persons hold several referrals (so people and referrals differ), each person
    # followed by one intervenante, never referred before the code existed.
    by_person: dict[int, list[Referral]] = {}
    for r in referrals:
        by_person.setdefault(r.person_id, []).append(r)
    assert len(referrals) * 0.5 < len(by_person) < len(referrals)
    shared = [rs for rs in by_person.values() if len(rs) > 1]
    assert len(shared) > 20
    for rs in by_person.values():
        person = rs[0].person
        assert {r.referring_user_id for r in rs} == {person.owner_id}
        assert all(r.created_at >= person.created_at for r in rs)
    # Loaded once.
    assert seed_demo_referrals({"ref": referrer}, NOW) == 0
    assert db.session.scalar(select(func.count(Referral.id))) == len(referrals)
