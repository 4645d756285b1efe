"""Issue 12's journeys in a real browser (fictional organisations and people):

- an intervenante keeps services on a shortlist, prints a neutral sheet, then refers from it;
- a person answers at /avis without an account; the provider sees averages once five exist.
"""

from __future__ import annotations

from sqlalchemy import func, select

from cote_a_cote.accounts.models import Role
from cote_a_cote.database import utcnow
from cote_a_cote.extensions import db
from cote_a_cote.feedback.models import PersonFeedback
from cote_a_cote.referrals.models import Referral, ReferralStatus
from cote_a_cote.referrals.services import new_code
from cote_a_cote.shortlists.models import Shortlist
from tests.conftest import PASSWORD

from .test_journeys import sign_in


def test_a_shortlist_is_printed_then_turned_into_a_referral(page, reference, make_org, make_user,
                                                            make_service):  # fmt: skip
    provider = make_org(name="Clinique Fictive des Érables")
    service = make_service(
        organization=provider,
        name_fr="Soins de santé fictifs des Érables",
        cost_fr="Gratuit grâce aux formations Côte-à-Côte",
        location={"municipality": "Longueuil", "address_1": "8, rue des Érables"},
    )
    other = make_service(organization=provider, name_fr="Physiothérapie fictive")
    intervenante = make_user(role=Role.INTERVENANTE, email="liste.fictive@example.org")
    sign_in(page, intervenante.email, PASSWORD)

    # 1. From the service page: "Ajouter à une liste", into a new list.
    page.goto(f"/services/{service.id}")
    page.get_by_role("link", name="Ajouter à une liste").click()
    page.get_by_label("Liste", exact=True).select_option(
        label="Une nouvelle liste (nommez-la ci-dessous)"
    )
    page.get_by_label("Nom de la nouvelle liste").fill("Santé, Longueuil")
    page.get_by_role("button", name="Ajouter à la liste").click()
    page.wait_for_load_state()
    shortlist = db.session.scalar(select(Shortlist))
    assert page.url.endswith(f"/listes/{shortlist.id}")
    # A second service joins the same list, then moves above the first.
    page.goto(f"/services/{other.id}")
    page.get_by_role("link", name="Ajouter à une liste").click()
    page.get_by_label("Liste", exact=True).select_option(label="Santé, Longueuil")
    page.get_by_role("button", name="Ajouter à la liste").click()
    page.wait_for_load_state()
    page.locator(f"#entree-{shortlist.entries[-1].id}").get_by_role("button", name="Monter").click()
    page.wait_for_load_state()
    titles = page.locator("main ol h2").all_inner_texts()
    assert titles[0].startswith("Physiothérapie fictive")

    # 2. The printed sheet: public facts only, nothing that reveals the platform or the purpose.
    page.get_by_role("link", name="Imprimer une feuille pour la personne").click()
    page.wait_for_load_state()
    sheet = page.locator("main").inner_text()
    assert "Soins de santé fictifs des Érables" in sheet and "8, rue des Érables" in sheet
    assert "Côte-à-Côte" not in page.content() and "Santé, Longueuil" not in sheet
    page.get_by_role("link", name="Retour").click()
    page.wait_for_load_state()

    # 3. Refer from the entry: the referral form opens for that service.
    entry = page.locator(f"#entree-{shortlist.entries[0].id}")
    entry.get_by_role("link", name="Référer à ce service").click()
    page.wait_for_load_state()
    assert f"/references/nouvelle?service={service.id}" in page.url
    form = page.locator("form.referral-form")
    # The service lists no need, so every need is in a folded group: open the first one.
    form.locator("details.need-group summary").first.click()
    form.locator("input[name=needs]").first.check()
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    referral = db.session.scalar(select(Referral))
    assert referral is not None and referral.service_id == service.id


def _closed_referral(service, intervenante) -> Referral:
    now = utcnow()
    referral = Referral(
        code=new_code(),
        service_id=service.id,
        provider_organization_id=service.organization_id,
        referring_user_id=intervenante.id,
        referring_organization_id=intervenante.organization_id,
        status=ReferralStatus.COMPLETED,
        status_changed_at=now,
        created_at=now,
        sent_at=now,
        closed_at=now,
    )
    db.session.add(referral)
    db.session.commit()
    return referral


def test_people_answer_at_avis_and_the_provider_sees_averages_from_five(
    page, browser, live_server, reference, make_org, make_user, make_service
):
    provider = make_org(name="Centre Fictif de Physiothérapie")
    service = make_service(organization=provider, name_fr="Physiothérapie douce fictive")
    intervenante = make_user(role=Role.INTERVENANTE, email="refere.fictive@example.org")
    staff = make_user(role=Role.PROVIDER, organization=provider, email="accueil.fictif@example.org")
    referrals = [_closed_referral(service, intervenante) for _ in range(5)]

    provider_context = browser.new_context(base_url=live_server, locale="fr-CA")
    provider_page = provider_context.new_page()
    sign_in(provider_page, staff.email, PASSWORD)

    def person_answers(code: str, respect: str) -> None:
        page.goto("/avis")
        page.get_by_label("Votre numéro de référence").fill(code.lower())
        for legend, value in (
            ("Respect", respect),
            ("Sans jugement", "5"),
            ("Confidentialité", "4"),
            ("Sécurité", "4"),
        ):
            group = page.locator("fieldset", has=page.locator("legend", has_text=legend))
            group.locator(f"input[value='{value}']").check()
        page.get_by_label("Autre chose à ajouter ? (facultatif)").fill("Accueil calme et discret")
        page.get_by_role("button", name="Envoyer ma réponse").click()
        page.wait_for_load_state()

    for referral in referrals[:4]:
        person_answers(referral.code, "5")
        assert "Votre réponse est enregistrée" in page.locator("main").inner_text()
    provider_page.goto("/portail/avis-des-personnes")
    text = provider_page.locator("main").inner_text()
    assert "Les moyennes paraissent dès que 5 personnes ont répondu" in text
    assert "Accueil calme et discret" not in text

    # The same code twice: refused clearly, nothing added.
    person_answers(referrals[0].code, "1")
    assert "Une réponse a déjà été donnée pour ce code" in page.locator("main").inner_text()

    person_answers(referrals[4].code, "3")
    assert db.session.scalar(select(func.count(PersonFeedback.id))) == 5
    provider_page.goto("/portail/avis-des-personnes")
    text = provider_page.locator("main").inner_text()
    assert "Moyennes de 5 réponses" in text
    assert "4,6" in text  # respect: (4 × 5 + 3) / 5
    assert "Accueil calme et discret" in text
    provider_context.close()
