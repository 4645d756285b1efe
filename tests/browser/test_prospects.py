"""Issue 17 §5 in a real browser: an intervenante suggests a business, the coordinating team
follows it up and sends the "Devenir partenaire" invitation, the business applies with that
address and the prospect shows its application. All names are fictional."""

from __future__ import annotations

import re

from sqlalchemy import select

from cote_a_cote.accounts.models import Role
from cote_a_cote.catalogue.models import Organization
from cote_a_cote.extensions import db
from cote_a_cote.mail import outbox
from cote_a_cote.prospects.models import Prospect, ProspectStatus
from tests.conftest import PASSWORD

from .test_journeys import sign_in

BUSINESS = "Dentisterie Fictive du Phare"
ADDRESS = "accueil@phare-fictif.example"


def _text(locator) -> str:
    return locator.inner_text().replace("\u00a0", " ")


def _sign_out(page) -> None:
    page.locator("form[action='/deconnexion'] button").click()
    page.wait_for_load_state()


def test_an_intervenantes_suggestion_becomes_an_application(
    page, live_server, reference, make_user
):
    intervenante = make_user(role=Role.INTERVENANTE, email="iris@example.org")
    admin = make_user(role=Role.ADMIN, email="coordination@example.org")

    # 1. The intervenante suggests the dentist she knows, from her home page.
    sign_in(page, intervenante.email, PASSWORD)
    page.get_by_role("link", name="Suggérer une entreprise ou un organisme").click()
    page.wait_for_load_state()
    page.get_by_label("Nom de l’entreprise ou de l’organisme").fill(BUSINESS)
    page.get_by_label("Secteur").select_option("sector.medical_clinics")
    page.get_by_role("button", name="Envoyer la suggestion").click()
    page.wait_for_load_state()
    assert "Choisissez une région." in _text(page.locator("main"))  # kept what was typed
    assert page.get_by_label("Nom de l’entreprise ou de l’organisme").input_value() == BUSINESS
    page.get_by_label("Région").select_option("11")
    page.get_by_label("Pourquoi ce serait un bon partenaire").fill("Accueil sans jugement")
    page.get_by_label("Je connais quelqu’un sur place").check()
    page.get_by_role("button", name="Envoyer la suggestion").click()
    page.wait_for_load_state()
    assert "Merci : l’équipe de coordination examinera votre suggestion." in _text(
        page.locator("main")
    )
    _sign_out(page)

    # 2. The coordinating team finds it by region and sends the invitation.
    sign_in(page, admin.email, PASSWORD)
    page.get_by_role("link", name="Partenaires potentiels").click()
    page.get_by_label("Région").select_option("11")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_load_state()
    page.get_by_role("link", name=BUSINESS).click()
    page.wait_for_load_state()
    assert _text(page.locator("#prospect-status")) == "Suggéré"
    page.get_by_label("Adresse courriel de l’entreprise").fill(ADDRESS)
    page.get_by_role("button", name="Envoyer l’invitation").click()
    page.wait_for_load_state()
    assert _text(page.locator("#prospect-status")) == "Contacté"
    message = next(m for m in reversed(outbox()) if m["To"] == ADDRESS)
    link = re.search(r"https?://\S+", message.get_content()).group(0)
    _sign_out(page)

    # 3. The business follows the link and applies with the invited address.
    page.goto(link.replace("http://127.0.0.1:5000", live_server))
    page.locator("a[href='/devenir-partenaire/postuler']").first.click()
    form = page.locator("form[action='/devenir-partenaire/postuler']")
    form.locator("input[name=organization_name]").fill(BUSINESS)
    form.locator("select[name=sector]").select_option(index=1)
    form.locator("input[name=contact_name]").fill("Noa Fictive")
    form.locator("input[name=email]").fill(ADDRESS)
    form.locator("input[name=password]").fill("une phrase de passe assez longue")
    form.locator("input[name=confirm]").fill("une phrase de passe assez longue")
    form.locator("input[name=regions][value='11']").check()
    form.locator("input[name='services-0-name']").fill("Soins dentaires fictifs")
    form.locator("input[name='services-0-needs']").first.check()
    form.locator("input[name=accept]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith("/devenir-partenaire/demande-envoyee")

    # 4. The prospect now shows its application.
    sign_in(page, admin.email, PASSWORD)
    prospect = db.session.scalars(select(Prospect)).one()
    page.goto(f"/admin/prospects/{prospect.id}")
    assert _text(page.locator("#prospect-status")) == "Demande déposée"
    assert BUSINESS in _text(page.locator("#prospect-application"))
    db.session.refresh(prospect)
    organization = db.session.get(Organization, prospect.organization_id)
    assert organization.name == BUSINESS and prospect.status is ProspectStatus.APPLIED
