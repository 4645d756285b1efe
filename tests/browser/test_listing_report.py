"""Issue 11 §9 in a real browser: a visitor reports a closed service from its page (without
JavaScript), the coordinating team finds it in its queue and takes it up, and the provider's staff
see the notice and the report, never who sent it. All names are fictional."""

from __future__ import annotations

from sqlalchemy import select

from cote_a_cote.accounts.models import Role
from cote_a_cote.extensions import db
from cote_a_cote.listing_reports.models import ListingReport, ReportKind, ReportStatus
from tests.conftest import PASSWORD

from .test_journeys import sign_in

NOTE = "La porte est fermée et une affiche annonce un déménagement (fictif)."


def _text(locator) -> str:
    """The text shown, with the no-break spaces French puts before : and ? read as spaces."""
    return locator.inner_text().replace("\u00a0", " ")


def _sign_out(page) -> None:
    page.locator("form[action='/deconnexion'] button").click()
    page.wait_for_load_state()


def test_a_report_travels_from_the_service_page_to_the_queue_and_to_the_provider(
    browser, live_server, page, reference, make_org, make_user, make_service
):
    org = make_org(name="Clinique Fictive des Érables")
    service = make_service(organization=org, name_fr="Soins dentaires fictifs", regions=("06",))
    staff = make_user(role=Role.PROVIDER, organization=org, email="erables@example.org")
    admin = make_user(role=Role.ADMIN, email="coordination@example.org")

    # 1. A visitor, with JavaScript off, reports the service as closed from its page.
    context = browser.new_context(base_url=live_server, locale="fr-CA", java_script_enabled=False)
    visitor = context.new_page()
    visitor.goto(f"/services/{service.id}")
    visitor.get_by_role("link", name="Signaler un problème sur cette fiche").click()
    visitor.wait_for_load_state()
    assert "Soins dentaires fictifs" in visitor.locator("main").inner_text()
    visitor.get_by_role("button", name="Envoyer le signalement").click()  # nothing chosen
    visitor.wait_for_load_state()
    assert visitor.locator("#kind-error").inner_text() == "Choisissez le type de problème."
    visitor.get_by_label("Fermé ou déménagé").check()
    visitor.get_by_label("Que devrait savoir l’équipe de coordination ?").fill(NOTE)
    visitor.get_by_role("button", name="Envoyer le signalement").click()
    visitor.wait_for_load_state()
    assert visitor.url.endswith(f"/services/{service.id}")
    assert "Merci : votre signalement a été transmis" in _text(visitor.locator("body"))
    context.close()
    report = db.session.scalar(select(ListingReport))
    assert report.kind is ReportKind.CLOSED_OR_MOVED and report.reporter_id is None

    # 2. The coordinating team finds it in the queue and takes it up with a note.
    sign_in(page, admin.email, PASSWORD)
    page.goto("/admin/")
    page.get_by_role("link", name="Problèmes signalés sur les fiches").click()
    page.wait_for_load_state()
    row = page.locator(f"tr[data-report='{report.id}']")
    assert "Fermé ou déménagé" in row.inner_text() and "Nouveau" in row.inner_text()
    row.get_by_role("link").click()
    page.wait_for_load_state()
    assert NOTE in page.locator("#report-note").inner_text()
    page.get_by_label("Prendre en charge (en cours)").check()
    page.get_by_label("Note pour l’équipe de coordination").fill("Appel à la clinique demain.")
    page.get_by_role("button", name="Enregistrer le statut").click()
    page.wait_for_load_state()
    assert "Statut du signalement : En cours." in _text(page.locator("body"))
    db.session.refresh(report)
    assert report.status is ReportStatus.IN_PROGRESS
    _sign_out(page)

    # 3. The provider's staff see the notice, follow it to the report, and fix their profile.
    sign_in(page, staff.email, PASSWORD)
    page.goto("/notifications")
    notice = page.get_by_role("link", name="Clinique Fictive des Érables")
    assert "a fermé ou déménagé" in notice.inner_text()
    notice.click()
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert NOTE in main and "Fermé ou déménagé" in main
    assert "Appel à la clinique" not in main  # the coordinators' note stays with them
    page.goto("/portail/")
    assert "Soins dentaires fictifs" in page.locator("#provider-reports").inner_text()
