"""Fair recognition (issue 17 §3): thresholds relative to the partner's region, engagement
records that count once confirmed, and the toolkit shown to recognised partners. Fictional."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from cote_a_cote.catalogue.models import Location
from cote_a_cote.database import utcnow
from cote_a_cote.extensions import db
from cote_a_cote.recognition import criteria, services
from cote_a_cote.recognition.criteria import MET, NO_DATA, NOT_APPLICABLE, UNMET
from cote_a_cote.recognition.models import EngagementKind, EngagementRecord, EngagementStatus
from cote_a_cote.referrals.models import ReferralStatus
from cote_a_cote.roles import Role
from cote_a_cote.training.rule import local_day
from tests.conftest import login, shown

from .conftest import TODAY


def in_region(make_org, code: str, **fields):
    org = make_org(**fields)
    db.session.add(Location(organization=org, municipality="Ville fictive", region_code=code))
    db.session.commit()
    return org


def result(org, level, code):
    check = criteria.standing(org, TODAY).check_for(level)
    return next(r for r in check.results if r.criterion.code == code)


def test_a_small_region_partner_is_ranked_within_its_own_region(make_org, referrals, level_with):
    level = level_with(max_regional_rank_share=25, min_accepted_per_thousand_region=500)
    first = in_region(make_org, "11", name="Épicerie Fictive de Gaspé")
    second = in_region(make_org, "11")
    silent = in_region(make_org, "11")  # a partner of the region with no referral
    big = in_region(make_org, "06")
    referrals(first, ReferralStatus.COMPLETED, count=4)
    referrals(first, ReferralStatus.SENT, count=1)
    referrals(second, ReferralStatus.ACCEPTED, count=1)
    referrals(big, ReferralStatus.COMPLETED, count=40)

    # 4 accepted of the region's 6 referrals: first of 3 partners, 667 per 1,000.
    rank = result(first, level, "regional_rank_share")
    assert (rank.measure.value, rank.measure.count, rank.state) == (0.0, 3, MET)
    per = result(first, level, "accepted_per_thousand_region")
    assert (per.measure.value, per.measure.count, per.state) == (667, 6, MET)
    assert criteria.standing(first, TODAY).check_for(level).met
    # The second is behind one of three (33.3 %, not the top quarter), 167 per 1,000.
    rank = result(second, level, "regional_rank_share")
    assert (rank.measure.value, rank.state) == (33.3, UNMET)
    assert result(second, level, "accepted_per_thousand_region").measure.value == 167
    # Without a referral: no data; Montréal's 40 never count against Gaspésie.
    assert result(silent, level, "regional_rank_share").measure.state == NO_DATA
    assert result(big, level, "regional_rank_share").state == MET


def test_a_partner_with_nothing_accepted_has_no_place_and_no_region_is_said(
    make_org, referrals, level_with
):
    level = level_with(max_regional_rank_share=100)
    refused = in_region(make_org, "11")
    referrals(refused, ReferralStatus.DECLINED, count=2)
    assert result(refused, level, "regional_rank_share").measure.state == NOT_APPLICABLE
    nowhere = make_org()  # no location, no service
    measure = result(nowhere, level, "regional_rank_share").measure
    assert (measure.state, measure.count) == (NO_DATA, -1)


def test_only_confirmed_engagement_of_the_last_12_months_counts(make_org, level_with):
    level = level_with(min_engagement_records=2)
    org = make_org()
    for status, days in (
        (EngagementStatus.CONFIRMED, 10),
        (EngagementStatus.CONFIRMED, 400),  # too old
        (EngagementStatus.SUBMITTED, 5),
        (EngagementStatus.DECLINED, 5),
    ):
        db.session.add(
            EngagementRecord(
                organization_id=org.id,
                kind=EngagementKind.MENTORING,
                occurred_on=TODAY - timedelta(days=days),
                description="Mentorat fictif",
                status=status,
            )
        )
    db.session.commit()
    r = result(org, level, "engagement_records")
    assert (r.measure.value, r.state) == (1, UNMET)


@pytest.fixture
def partner(client, reference, make_org, make_user):
    org = in_region(make_org, "11", name="Quincaillerie Fictive du Havre")
    user = make_user(role=Role.PROVIDER, organization=org)
    login(client, user)
    return org, user


def test_a_partner_records_engagement_and_an_administrator_confirms_it(
    app, client, partner, make_user
):
    org, _user = partner
    today = local_day(utcnow())
    response = client.post(
        "/portail/reconnaissance/engagements",
        data={
            "kind": "awareness",
            "occurred_on": (today - timedelta(days=3)).isoformat(),
            "description": "Causerie fictive pour l’équipe d’un commerce voisin",
        },
    )
    assert response.status_code == 302
    item = db.session.scalar(select(EngagementRecord))
    assert (item.organization_id, item.status) == (org.id, EngagementStatus.SUBMITTED)
    page = client.get("/portail/reconnaissance").get_data(as_text=True)
    assert "Causerie fictive" in page and shown(app, "Waiting for confirmation") in page
    # The partner cannot confirm its own record.
    assert client.post(f"/admin/reconnaissance/engagements/{item.id}/confirmer").status_code in (
        403,
        404,
    )
    assert db.session.get(EngagementRecord, item.id).status is EngagementStatus.SUBMITTED

    admin = make_user(role=Role.ADMIN)
    client.post("/deconnexion")
    login(client, admin)
    queue = client.get("/admin/reconnaissance/engagements").get_data(as_text=True)
    assert "Causerie fictive" in queue and org.name in queue
    response = client.post(f"/admin/reconnaissance/engagements/{item.id}/confirmer")
    assert response.status_code == 302
    db.session.expire_all()
    item = db.session.get(EngagementRecord, item.id)
    assert (item.status, item.reviewed_by_id) == (EngagementStatus.CONFIRMED, admin.id)
    # Reviewed once: a second decision is refused, the record stays confirmed.
    client.post(f"/admin/reconnaissance/engagements/{item.id}/refuser")
    db.session.expire_all()
    assert db.session.get(EngagementRecord, item.id).status is EngagementStatus.CONFIRMED
    assert client.post("/admin/reconnaissance/engagements/999999/confirmer").status_code == 404


def test_bad_engagement_input_is_refused_clearly_and_kept(app, client, partner):
    tomorrow = local_day(utcnow()) + timedelta(days=1)
    response = client.post(
        "/portail/reconnaissance/engagements",
        data={"kind": "in_kind", "occurred_on": tomorrow.isoformat(), "description": "Don fictif"},
    )
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Don fictif" in body
    assert tomorrow.isoformat() in body
    response = client.post(
        "/portail/reconnaissance/engagements",
        data={"kind": "", "occurred_on": "pas une date", "description": ""},
    )
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert shown(app, "Choose a kind of engagement.") in body
    assert shown(app, "Describe what your organisation did.") in body
    assert db.session.scalar(select(EngagementRecord.id)) is None


def test_the_toolkit_is_shown_to_recognised_partners_only(
    app, client, partner, level_with, make_user
):
    org, _user = partner
    assert client.get("/portail/reconnaissance/affiche.pdf").status_code == 404
    assert shown(app, "Recognition toolkit") not in client.get("/portail/reconnaissance").get_data(
        as_text=True
    )
    level = level_with(code="ouvert", rank=1)
    admin = make_user(role=Role.ADMIN)
    services.award(org, level, "Engagement fictif", admin, local_day(utcnow()))
    db.session.commit()
    page = client.get("/portail/reconnaissance").get_data(as_text=True)
    assert shown(app, "Recognition toolkit") in page
    assert "reconnaissance@cote-a-cote.invalid" in page
    poster = client.get("/portail/reconnaissance/affiche.pdf")
    assert poster.status_code == 200 and poster.data.startswith(b"%PDF")


def test_engagement_counts_in_the_reporting_helper(make_org):
    org = make_org()
    db.session.add(
        EngagementRecord(
            organization_id=org.id,
            kind=EngagementKind.IN_KIND,
            occurred_on=date(2025, 5, 2),
            description="Don fictif",
            status=EngagementStatus.CONFIRMED,
        )
    )
    db.session.commit()
    counts = services.confirmed_engagement_counts(date(2025, 4, 1), date(2026, 3, 31))
    assert counts[EngagementKind.IN_KIND] == 1 and counts[EngagementKind.AWARENESS] == 0
