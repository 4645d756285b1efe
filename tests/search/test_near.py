"""Near means near: with a place, nearest first within a default radius that widens, saying so."""

from __future__ import annotations

import re

import pytest

from cote_a_cote.config import update_settings
from tests.search.conftest import MONTREAL, place


@pytest.fixture(autouse=True)
def english(client):
    assert client.post("/langue", data={"locale": "en", "next": "/"}).status_code == 302


def page(client, query: str) -> str:
    response = client.get("/recherche?" + query)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def order(html: str, *names: str) -> list[str]:
    """The names found in html, in the order they appear."""
    return sorted((n for n in names if n in html), key=html.index)


@pytest.fixture
def crowded(catalogue, add_service):
    """Three more public services in Montréal: with the lawyer and Laval's housing, five within
    50 km of the city's centre (the public does not see the shelter, for intervenantes only)."""
    for name in ("Halte du Plateau", "Clinique Hochelaga", "Friperie Rosemont"):
        add_service(None, name, location=place("Montréal", MONTREAL, "06"))
    return catalogue


def test_a_place_sorts_by_distance_within_the_default_radius(client, crowded):
    html = page(client, "near=Montr%C3%A9al&q=")
    assert "6 services found within 50 km of Montréal" in html  # 5 located + 1 province-wide
    assert "radius widened" not in html
    # Sherbrooke (about 130 km) and Rimouski are beyond 50 km: not shown.
    assert "Thérapie individuelle" not in html and "Clinique dentaire" not in html
    assert order(html, "Logements de transition", "Avocate en droit", "Halte du Plateau") == [
        "Avocate en droit",
        "Halte du Plateau",
        "Logements de transition",  # Laval, 15 km: after the Montréal ones
    ]
    distances = [float(km.replace(",", "")) for km in re.findall(r"([\d,.]+) km away", html)]
    assert distances == sorted(distances) and len(distances) == 5
    # Province-wide and remote services come after, as their own group, without a distance.
    group = html.index("Province-wide, remote or without an address")
    assert html.index("Community interpreting") > group > html.index("Logements de transition")
    assert '<option selected value="">Automatic: 50 km' in html


def test_too_few_results_widen_the_radius_and_say_so(client, catalogue):
    # Only 2 public located services within 50 km of Montréal, 3 within 200: any distance.
    html = page(client, "near=Montr%C3%A9al")
    assert "Only 2 services within 50 km: search widened to any distance." in html
    assert "Thérapie individuelle" in html and "Clinique dentaire" in html
    assert order(html, "Thérapie individuelle", "Clinique dentaire", "Avocate en droit") == [
        "Avocate en droit",
        "Thérapie individuelle",
        "Clinique dentaire",
    ]


def test_widening_stops_at_the_first_radius_with_enough(app, client, crowded):
    update_settings(
        app, {"SEARCH_DEFAULT_RADIUS_KM": 5}
    )  # 4 services 2 km from the centre, Laval at 15
    html = page(client, "near=Montr%C3%A9al")
    assert "Only 4 services within 5 km: radius widened to 20 km." in html
    assert "services found within 20 km of Montréal" in html
    assert "Logements de transition" in html and "Thérapie individuelle" not in html


def test_no_result_within_the_radius_says_so(app, client, catalogue):
    update_settings(app, {"SEARCH_DEFAULT_RADIUS_KM": 1})
    html = page(client, "near=Rimouski&need=need.legal")
    assert "No service within 1 km: search widened to any distance." in html
    assert "Accompagnement à la cour" in html


def test_the_message_in_french(app, client, catalogue):
    client.post("/langue", data={"locale": "fr", "next": "/"})
    update_settings(app, {"SEARCH_DEFAULT_RADIUS_KM": 1})
    html = page(client, "near=Rimouski&need=need.legal")
    assert "Aucun service à moins de 1 km : recherche élargie à toute distance." in html


def test_a_chosen_radius_or_any_distance_is_kept_as_chosen(client, catalogue):
    html = page(client, "near=Montr%C3%A9al&radius=25")
    assert "widened to" not in html and "Thérapie individuelle" not in html
    html = page(client, "near=Montr%C3%A9al&radius=any")
    assert "widened to" not in html and "Clinique dentaire" in html
    assert "services found near Montréal" in html


def test_without_a_place_relevance_stays_the_order(client, catalogue):
    html = page(client, "q=avocate")
    assert "widened to" not in html and "km away" not in html
    assert "Province-wide, remote or without an address" not in html


def test_relevance_can_still_be_chosen_with_a_place(client, crowded):
    html = page(client, "near=Montr%C3%A9al&sort=relevance&q=logement")
    assert "Logements de transition" in html
    assert '<option selected value="relevance">' in html
