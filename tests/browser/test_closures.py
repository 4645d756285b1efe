"""Issue 17 §1 in a real browser: a provider closes a service for the holidays from the portal;
search (open now) leaves it out and its page says it is closed, the reason shown to intervenantes
only. All names are fictional."""

from __future__ import annotations

from datetime import timedelta

from cote_a_cote.accounts.models import Role
from cote_a_cote.extensions import db
from cote_a_cote.portal.closure_services import today
from tests.conftest import PASSWORD

from .test_journeys import sign_in

REASON = "Congé des Fêtes de l’équipe (fictif)"


def _text(locator) -> str:
    return locator.inner_text().replace("\u00a0", " ")


def _sign_out(page) -> None:
    page.locator("form[action='/deconnexion'] button").click()
    page.wait_for_load_state()


def test_a_provider_closes_for_the_holidays_and_search_shows_it(
    page, live_server, reference, make_org, make_user, make_service
):
    org = make_org(name="Halte Fictive du Quai")
    service = make_service(organization=org, name_fr="Halte-accueil fictive", is_24_7=True)
    staff = make_user(role=Role.PROVIDER, organization=org, email="quai@example.org")
    intervenante = make_user(role=Role.INTERVENANTE, email="iris@example.org")
    db.session.commit()
    first, last = today(), today() + timedelta(days=10)

    # Before: open now, found by the "open now" search.
    page.goto("/recherche?open=y")
    assert "Halte-accueil fictive" in _text(page.locator("main"))

    # 1. Staff add a closure from the services page; a wrong order is refused, keeping the reason.
    sign_in(page, staff.email, PASSWORD)
    page.goto("/portail/services")
    page.get_by_role("link", name="Fermetures et pause — Halte-accueil fictive").click()
    page.wait_for_load_state()
    page.get_by_label("Premier jour de fermeture").fill(last.isoformat())
    page.get_by_label("Dernier jour de fermeture").fill(first.isoformat())
    page.get_by_label("Raison (facultatif)").fill(REASON)
    page.get_by_role("button", name="Enregistrer la fermeture").click()
    page.wait_for_load_state()
    assert "Le dernier jour ne peut pas précéder le premier jour." in _text(page.locator("main"))
    assert page.get_by_label("Raison (facultatif)").input_value() == REASON
    page.get_by_label("Premier jour de fermeture").fill(first.isoformat())
    page.get_by_label("Dernier jour de fermeture").fill(last.isoformat())
    page.get_by_role("button", name="Enregistrer la fermeture").click()
    page.wait_for_load_state()
    assert "La fermeture est enregistrée et affichée aussitôt." in _text(page.locator("main"))
    _sign_out(page)

    # 2. A visitor: "open now" no longer finds it; its page says it is closed, without the reason.
    page.goto("/recherche?open=y")
    assert "Halte-accueil fictive" not in _text(page.locator("main"))
    page.goto(f"/services/{service.id}")
    main = _text(page.locator("main"))
    assert "Fermé aujourd’hui" in main and REASON not in main

    # 3. An intervenante sees it closed in search results and reads the reason on its page.
    sign_in(page, intervenante.email, PASSWORD)
    page.goto("/recherche?q=Halte")
    assert "Fermé aujourd’hui" in _text(page.locator("main"))
    card = page.locator("article.result", has_text="Halte-accueil fictive")
    card.get_by_role("link", name="Voir le service").click()
    page.wait_for_load_state()
    assert REASON in _text(page.locator("main"))
