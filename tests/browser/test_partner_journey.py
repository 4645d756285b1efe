"""Issue 4's journey in a real browser: apply → verify → vet → request changes → resubmit →
approve → found in search. Every name here is fictional."""

from __future__ import annotations

import re
import time

from sqlalchemy import select

from cote_a_cote.accounts.models import Role, User
from cote_a_cote.catalogue.models import Organization, OrganizationStatus
from cote_a_cote.extensions import db
from cote_a_cote.mail import outbox
from cote_a_cote.vetting.models import EventAction, OrganizationEvent
from tests.conftest import PASSWORD

from .test_journeys import sign_in

ORG_NAME = "Atelier Fictif des Mille-Îles"
SERVICE_NAME = "Dépannage vélo solidaire imaginaire"
APPLICANT = "atelier.fictif@example.org"
APPLICANT_PASSWORD = "une phrase de passe assez longue"


def _link_in_last_mail(to: str, within_s: float = 60.0) -> str:
    """The link of the latest e-mail to `to`, waiting for it: the application sends its e-mails once
    the answer has gone out (response.call_on_close), so on a loaded machine the browser can be on
    the next page before the server thread delivers it."""
    deadline = time.monotonic() + within_s
    while True:
        message = next((m for m in reversed(outbox()) if m["To"] == to), None)
        if message is not None or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert message is not None, f"no e-mail to {to}"
    return re.search(r"https?://\S+", message.get_content()).group(0)


def _sign_out(page) -> None:
    page.locator("form[action='/deconnexion'] button").click()
    page.wait_for_load_state()


def _decide(page, organization_id: int, action: str, message: str | None = None) -> None:
    page.goto(f"/admin/verification/organisations/{organization_id}")
    form = page.locator(f"form[action$='/{action}']")
    if message is not None:
        form.locator("textarea[name$=message]").fill(message)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_apply_vet_request_changes_resubmit_approve_then_found(
    page, live_server, reference, make_user
):
    admin = make_user(role=Role.ADMIN, email="coordination@example.org")

    # 1. The public applies.
    page.goto("/devenir-partenaire")
    page.locator("a[href='/devenir-partenaire/postuler']").first.click()
    form = page.locator("form[action='/devenir-partenaire/postuler']")
    form.locator("input[name=organization_name]").fill(ORG_NAME)
    form.locator("select[name=sector]").select_option(index=1)
    form.locator("input[name=contact_name]").fill("Camille Fictive")
    form.locator("input[name=email]").fill(APPLICANT)
    form.locator("input[name=password]").fill(APPLICANT_PASSWORD)
    form.locator("input[name=confirm]").fill(APPLICANT_PASSWORD)
    form.locator("input[name=regions][value='15']").check()  # Laurentides
    form.locator("input[name='services-0-name']").fill(SERVICE_NAME)
    form.locator("input[name='services-0-needs']").first.check()
    form.locator("input[name=accept]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith("/devenir-partenaire/demande-envoyee")

    # 2. Not before the e-mail is verified; then the link signs her in.
    sign_in(page, APPLICANT, APPLICANT_PASSWORD)
    assert page.url.endswith("/connexion")
    page.goto(_link_in_last_mail(APPLICANT).replace("http://127.0.0.1:5000", live_server))
    page.locator("form[action='/courriel/confirmer'] button").click()
    page.wait_for_load_state()
    assert "/portail" in page.url

    # 3. She completes what is missing (a French description, a contact) and submits.
    page.goto("/portail/organisation")
    page.locator("textarea[name=description_fr]").fill("Atelier de réparation fictif, sans frais.")
    page.locator("form[action='/portail/organisation'] input[name=email]").fill(APPLICANT)
    page.locator("form[action='/portail/organisation'] button[type=submit]").click()
    page.wait_for_load_state()
    page.goto("/portail/")
    page.locator("form[action='/portail/soumettre'] button").click()
    page.wait_for_load_state()
    organization = db.session.scalar(select(Organization).where(Organization.name == ORG_NAME))
    db.session.refresh(organization)
    assert organization.status is OrganizationStatus.SUBMITTED
    _sign_out(page)

    # 4. The administrator asks for changes; the provider reads the message and resubmits.
    sign_in(page, admin.email, PASSWORD)
    _decide(page, organization.id, "demander-des-modifications", "Précisez vos heures d'ouverture.")
    _sign_out(page)
    sign_in(page, APPLICANT, APPLICANT_PASSWORD)
    page.goto("/portail/")
    assert "Précisez vos heures d'ouverture." in page.locator("main").inner_text()
    page.locator("form[action='/portail/soumettre'] button").click()
    page.wait_for_load_state()
    _sign_out(page)

    # 5. Approved; the service is found in search, by anyone.
    sign_in(page, admin.email, PASSWORD)
    _decide(page, organization.id, "approuver")
    _sign_out(page)
    db.session.expire_all()
    actions = db.session.scalars(
        select(OrganizationEvent.action)
        .where(OrganizationEvent.organization_id == organization.id)
        .order_by(OrganizationEvent.id)
    ).all()
    assert actions == [
        EventAction.APPLIED,
        EventAction.SUBMITTED,
        EventAction.CHANGES_REQUESTED,
        EventAction.SUBMITTED,
        EventAction.APPROVED,
    ]
    page.goto("/recherche?q=velo+solidaire")
    assert SERVICE_NAME in page.locator("main").inner_text()
    applicant = db.session.scalar(select(User).where(User.email == APPLICANT))
    assert applicant.email_verified_at is not None
