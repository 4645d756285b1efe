"""Issue 12 §1 and §3 in a real browser: three referrals for one person under one code, then one
handout listing them, printed in English (the person's language). All names are fictional."""

from __future__ import annotations

from sqlalchemy import select

from cote_a_cote.accounts.models import Role
from cote_a_cote.extensions import db
from cote_a_cote.printsafe import found_words
from cote_a_cote.referrals.models import Referral, ReferralStatus
from tests.conftest import PASSWORD

from .test_journeys import sign_in


def _fill_and_save(page, person_label: str | None) -> None:
    """The referral form: a need, English, the person chosen (or a new one), saved."""
    form = page.locator("form.referral-form")
    if person_label:
        form.locator("select[name=person_id]").select_option(label=person_label)
    form.locator("input[name=needs]").first.check()
    form.locator("select[name=preferred_language]").select_option("en")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def _consent_and_send(page) -> None:
    consent = page.locator("form[action$='/consentement']")
    consent.locator("input[name=agreed]").check()
    consent.locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_three_referrals_under_one_code_and_one_handout_in_english(
    page, reference, make_org, make_user, make_service
):
    services = []
    for n, (name_fr, name_en, need) in enumerate(
        [
            ("Soins dentaires fictifs", "Fictional dental care", "need.physical_health"),
            ("Conseil juridique fictif", "Fictional legal advice", "need.legal"),
            ("Logement fictif", "Fictional housing help", "need.housing"),
        ]
    ):
        org = make_org(name=f"Partenaire fictif {n}")
        service = make_service(
            organization=org, name_fr=name_fr, name_en=name_en, terms=(need,), regions=("06",)
        )
        service.person_text_fr = "Apportez cette feuille."
        service.person_text_en = f"Bring this sheet to appointment {n + 1}."
        services.append(service)
    db.session.commit()
    intervenante = make_user(role=Role.INTERVENANTE, email="intervenante.fictive@example.org")
    sign_in(page, intervenante.email, PASSWORD)

    # 1. A first referral: a new person, a new code.
    page.goto(f"/references/nouvelle?service={services[0].id}")
    _fill_and_save(page, None)
    first = db.session.scalar(select(Referral))
    code = first.code
    assert code in page.locator("main").inner_text()
    _consent_and_send(page)

    # 2. A second one from the person's page: find the service, the form comes with the code.
    page.goto(f"/references/personnes/{first.person_id}")
    page.locator("#person-q").fill("juridique")
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_load_state()
    page.locator(f"a[href*='service={services[1].id}']").click()
    page.wait_for_load_state()
    assert code not in page.url  # the code never travels in a URL
    selected = page.locator("select[name=person_id] option:checked").inner_text()
    assert code in selected
    _fill_and_save(page, None)
    _consent_and_send(page)

    # 3. A third one straight from the service, choosing the person's code in the form.
    page.goto(f"/references/nouvelle?service={services[2].id}")
    label = page.locator("select[name=person_id] option", has_text=code).inner_text()
    _fill_and_save(page, label)
    _consent_and_send(page)

    db.session.expire_all()
    referrals = list(db.session.scalars(select(Referral).order_by(Referral.id)))
    assert len(referrals) == 3
    assert {r.person_id for r in referrals} == {first.person_id}
    assert all(r.status is ReferralStatus.SENT and r.consent_confirmed_at for r in referrals)

    # The person's page shows the three, each with its own consent.
    page.goto(f"/references/personnes/{first.person_id}")
    timeline = page.locator("main").inner_text()
    for service in services:
        assert service.name_fr in timeline
    assert page.locator("ol.timeline > li").count() == 3

    # 4. One handout, in English, listing the three with their texts for the person.
    page.locator(f"a[href='/references/personnes/{first.person_id}/fiche']").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    text = page.locator("main").inner_text()
    assert text.count(f"Your reference number: {code}") == 1
    for n, service in enumerate(services):
        assert service.name_en in text
        assert f"Bring this sheet to appointment {n + 1}." in text
    assert "Apportez" not in text and found_words(text) == []
