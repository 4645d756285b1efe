"""Near means near, in a browser: a place typed in the search sorts results nearest first."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import live_server, neutral_site, page  # noqa: F401
from tests.search.conftest import MONTREAL, add_service, catalogue, place, search_catalogue  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config(neutral_site):  # noqa: F811
    return {"QUICK_EXIT_URL": neutral_site}


def kilometres(texts: list[str]) -> list[float]:
    return [float(re.sub(r"[^\d,.]", "", t).replace(",", ".")) for t in texts]


def test_a_place_sorts_results_nearest_first(page, catalogue, add_service):  # noqa: F811
    for name in ("Halte du Plateau", "Clinique Hochelaga", "Friperie Rosemont"):
        add_service(None, name, location=place("Montréal", MONTREAL, "06"))
    page.goto("/recherche")
    page.fill("#near", "Laval")
    page.locator("#search-form button[type=submit]").first.click()
    expect(page.locator("#search-count")).to_contain_text("Laval")

    near = page.locator(".results--near .result")
    first = near.first.locator(".card__title")
    expect(first).to_have_text("Logements de transition")  # the Laval service itself
    distances = kilometres(near.locator(".result__distance").all_inner_texts())
    assert len(distances) == near.count() >= 5
    assert distances == sorted(distances)
    assert distances[-1] < 50  # within the default radius
    # Province-wide services come after, in their own group, without a distance.
    elsewhere = page.locator(".results--elsewhere .result")
    expect(elsewhere.first).to_contain_text("Community interpreting")
    assert elsewhere.locator(".result__distance").count() == 0
    assert "Thérapie individuelle" not in page.inner_text("#search-results")  # Sherbrooke


def test_checking_for_the_person_marks_services_and_keeps_the_url_clean(
    page,  # noqa: F811
    catalogue,  # noqa: F811
):
    from cote_a_cote.extensions import db

    catalogue["housing"].minimum_age = 18
    db.session.commit()
    page.goto("/recherche?q=logement")
    page.fill("#person_age", "16")
    page.locator("button[form=person-check]").click()
    card = page.locator(".result", has_text="Logements de transition")
    expect(card).to_contain_text("Âge minimum : 18 ans")
    address = urlsplit(page.url)
    assert "16" not in address.path + address.query and "person" not in page.url
    expect(page.locator("#person_age")).to_have_value("16")


def test_my_position_searches_near_the_nearest_municipality(page, catalogue):  # noqa: F811
    # The device says it is in Laval (a little off the town's point): the place field gets
    # "Laval", the search runs near it, and the position itself is in no address.
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 45.565, "longitude": -73.7})
    page.goto("/recherche")
    page.get_by_role("button", name="Utiliser ma position").click()
    expect(page.locator("#search-count")).to_contain_text("Laval")
    assert page.locator("#near").input_value() == "Laval"
    first = page.locator(".results--near .result").first.locator(".card__title")
    expect(first).to_have_text("Logements de transition")
    assert "45.565" not in page.url and "73.7" not in page.url
