"""Issue 5's journey in a real browser: search → refer with consent → the provider accepts →
in progress → completed → evaluated → free text purged after the delay. All names are fictional."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from cote_a_cote.accounts.models import Role
from cote_a_cote.audit.models import AuditEvent
from cote_a_cote.database import utcnow
from cote_a_cote.extensions import db
from cote_a_cote.referrals.models import Referral, ReferralEvaluation, ReferralStatus
from cote_a_cote.referrals.purge import purge
from tests.conftest import PASSWORD

from .test_journeys import sign_in

BRIEFING = "Préfère un rendez-vous tôt le matin, arrive en autobus."


def _post(page, action: str) -> None:
    page.locator(f"form[action$='{action}'] button[type=submit]").first.click()
    page.wait_for_load_state()


def test_search_refer_accept_complete_evaluate_then_purged(page, reference, make_org, make_user,
                                                          make_service):  # fmt: skip
    provider_org = make_org(name="Clinique Dentaire Imaginaire du Fleuve")
    service = make_service(
        organization=provider_org,
        name_fr="Soins dentaires sans jugement fictifs",
        terms=("need.physical_health",),
        regions=("06",),
    )
    intervenante = make_user(role=Role.INTERVENANTE, email="intervenante.fictive@example.org")
    staff = make_user(role=Role.PROVIDER, organization=provider_org, email="accueil@example.org")

    # 1. Search, then refer from the result.
    sign_in(page, intervenante.email, PASSWORD)
    page.goto("/recherche?q=dentaire")
    page.locator(f"a[href='/references/nouvelle?service={service.id}']").click()
    page.wait_for_load_state()
    form = page.locator("form[method=post]").last
    form.locator("input[name=needs]").first.check()
    form.locator("textarea[name=person_needs_text]").fill("Une douleur à une dent depuis peu")
    form.locator("textarea[name=briefing]").fill(BRIEFING)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    referral = db.session.scalar(select(Referral))
    assert referral.code in page.locator("main").inner_text()  # the code to give the person

    # 2. Consent, then send.
    consent = page.locator(f"form[action='/references/{referral.id}/consentement']")
    for name in ("share_contact", "share_briefing", "agreed"):
        box = consent.locator(f"input[name={name}]")
        if not box.is_checked():
            box.check()
    consent.locator("button[type=submit]").click()
    page.wait_for_load_state()
    db.session.refresh(referral)
    assert referral.status is ReferralStatus.SENT
    page.locator("form[action='/deconnexion'] button").click()
    page.wait_for_load_state()

    # 3. The provider opens it (received), reads the briefing and accepts.
    sign_in(page, staff.email, PASSWORD)
    page.goto("/portail/references/")
    page.locator(f"a[href='/portail/references/{referral.id}']").click()
    page.wait_for_load_state()
    assert BRIEFING in page.locator("main").inner_text()
    _post(page, f"/portail/references/{referral.id}/accepter")
    db.session.refresh(referral)
    assert referral.status is ReferralStatus.ACCEPTED
    page.locator("form[action='/deconnexion'] button").click()
    page.wait_for_load_state()

    # 4. The intervenante marks it in progress, then completed, and evaluates the welcome.
    sign_in(page, intervenante.email, PASSWORD)
    page.goto(f"/references/{referral.id}")
    _post(page, f"/references/{referral.id}/commencer")
    _post(page, f"/references/{referral.id}/terminer")
    db.session.refresh(referral)
    assert referral.status is ReferralStatus.COMPLETED
    evaluation = page.locator(f"form[action='/references/{referral.id}/evaluer']")
    for name in ("respect", "no_judgement", "confidentiality"):
        evaluation.locator(f"input[name=evaluate-{name}][value='5']").check()
    evaluation.locator("input[name=evaluate-would_refer_again][value=yes]").check()
    evaluation.locator("button[type=submit]").click()
    page.wait_for_load_state()
    db.session.refresh(referral)
    rating = db.session.scalar(
        select(ReferralEvaluation).where(ReferralEvaluation.referral_id == referral.id)
    )
    assert rating is not None and rating.respect == 5 and rating.would_refer_again is True

    # 5. Thirty-one days after closing, the purge keeps the outcome, not the words; the person's
    # code goes too, as no other referral is under it (the person still counts once).
    code = referral.code
    purge(utcnow() + timedelta(days=31))
    db.session.commit()
    db.session.refresh(referral)
    assert referral.briefing is None and referral.person_needs_text is None
    assert referral.code is None and referral.person_id is not None
    assert referral.status is ReferralStatus.COMPLETED
    # Every view and action left an audit event; none holds the person's words.
    stored = " ".join(
        f"{e.action} {e.object_type} {e.object_id}" for e in db.session.scalars(select(AuditEvent))
    )
    assert "referral.view" in stored and "referral.accept" in stored
    assert "dent" not in stored and code not in stored
