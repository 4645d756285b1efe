"""Issue 17 §3 in a real browser: a partner in a small region (Gaspésie, a handful of partners)
reaches the Ambassador level through a threshold relative to its region and an engagement record
the coordinating team confirmed, then finds its toolkit. Every name is fictional."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from cote_a_cote.accounts.models import Role
from cote_a_cote.catalogue.models import Location
from cote_a_cote.database import utcnow
from cote_a_cote.extensions import db
from cote_a_cote.recognition import criteria
from cote_a_cote.recognition.models import (
    EngagementRecord,
    EngagementStatus,
    RecognitionAward,
    RecognitionLevel,
)
from cote_a_cote.referrals.models import ReferralStatus
from cote_a_cote.training.rule import local_day
from tests.conftest import PASSWORD
from tests.recognition.conftest import referrals, staff  # noqa: F401 - fixtures used below

from .test_journeys import sign_in
from .test_recognition_journey import _sign_out


def _gaspesie_partner(make_org, name, **fields):
    org = make_org(name=name, **fields)
    db.session.add(Location(organization=org, municipality="Gaspé (fictif)", region_code="11"))
    db.session.commit()
    return org


def test_small_region_partner_reaches_a_level_through_its_region_and_engagement(
    page,
    reference,
    make_org,
    make_user,
    make_service,
    staff,  # noqa: F811
    referrals,  # noqa: F811
):
    now = utcnow()
    today = local_day(now)
    org = _gaspesie_partner(
        make_org,
        "Pharmacie Fictive de la Baie",
        partner_since=today - timedelta(days=800),
        last_verified_at=now - timedelta(days=20),
    )
    neighbour = _gaspesie_partner(make_org, "Taxi Fictif du Rocher")
    make_service(organization=org, terms=("access.free_or_reduced_cost",), regions=("11",))
    (member,) = staff(org, count=1, trained=True)
    # 3 referrals completed in a region that had 5 in all: far from 10, first of its region.
    referrals(org, ReferralStatus.COMPLETED, count=3, hours=6)
    referrals(neighbour, ReferralStatus.ACCEPTED, count=1, hours=30)
    referrals(neighbour, ReferralStatus.SENT, count=1)
    admin = make_user(role=Role.ADMIN, email="coordination.gaspesie@example.org")
    level = db.session.scalar(
        select(RecognitionLevel).where(RecognitionLevel.code == "ambassadeur")
    )
    assert level.max_regional_rank_share is not None and level.min_referrals_accepted is None

    # 1. The partner sees what the level still needs (an engagement record) and records one.
    sign_in(page, member.email, PASSWORD)
    page.goto("/portail/reconnaissance")
    main = page.locator("main").inner_text()
    assert "Engagé" in main or "Allié" in main
    assert "Inscriptions d’engagement confirmées" in main
    form = page.locator("form[action='/portail/reconnaissance/engagements']")
    form.locator("select[name=kind]").select_option("awareness")
    form.locator("input[name=occurred_on]").fill((today - timedelta(days=12)).isoformat())
    form.locator("textarea[name=description]").fill(
        "Atelier de sensibilisation pour les commerçants du quai (fictif)."
    )
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".engagement-record").count() == 1
    assert "En attente de confirmation" in page.locator(".engagement-record").inner_text()
    _sign_out(page)

    # 2. The coordinating team confirms the record.
    sign_in(page, admin.email, PASSWORD)
    page.goto("/admin/reconnaissance/engagements")
    item = page.locator(".engagement-record", has_text="Pharmacie Fictive de la Baie")
    item.locator("form[action$='/confirmer'] button[type=submit]").click()
    page.wait_for_load_state()
    record = db.session.scalar(select(EngagementRecord))
    db.session.refresh(record)
    assert record.status is EngagementStatus.CONFIRMED

    # 3. The platform's own figures now meet the level: awarded without any override.
    assert criteria.standing(org, today).level.code == "ambassadeur"
    page.goto(f"/admin/reconnaissance/organisations/{org.id}")
    form = page.locator(f"form[action='/admin/reconnaissance/organisations/{org.id}/attribuer']")
    form.locator("select[name$=level_id]").select_option(label="Ambassadeur")
    form.locator("textarea[name$=rationale]").fill("Premier partenaire de sa région (fictif).")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    award = db.session.scalar(select(RecognitionAward))
    assert award is not None and award.level_id == level.id and not award.criteria_override
    _sign_out(page)

    # 4. The partner sees its level and its toolkit, and downloads the poster.
    sign_in(page, member.email, PASSWORD)
    page.goto("/portail/reconnaissance")
    toolkit = page.locator("#toolkit")
    assert "Ambassadeur" in page.locator("main").inner_text()
    assert "reconnaissance@cote-a-cote.invalid" in toolkit.inner_text()
    with page.expect_download() as poster:
        toolkit.locator("a[href='/portail/reconnaissance/affiche.pdf']").click()
    assert Path(poster.value.path()).read_bytes().startswith(b"%PDF")
