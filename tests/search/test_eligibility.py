"""Eligibility at a glance: the person's age and population, posted, mark or hide the services
that would turn them away, saying why; nothing of it reaches a URL."""

from __future__ import annotations

import pytest

from cote_a_cote.extensions import db
from cote_a_cote.roles import Role
from cote_a_cote.search.query import Audience, SearchParams, search_services
from tests.search.conftest import term


@pytest.fixture(autouse=True)
def english(client):
    assert client.post("/langue", data={"locale": "en", "next": "/"}).status_code == 302


@pytest.fixture
def limits(catalogue):
    """The housing is for 18 to 24; the shelter (intervenantes only) does not serve men."""
    catalogue["housing"].minimum_age = 18
    catalogue["housing"].maximum_age = 24
    catalogue["shelter"].excluded_populations = [term("population.men")]
    catalogue["lawyer"].minimum_age = 16
    db.session.commit()
    return catalogue


def check(client, **person) -> str:
    data = {"q": "", **{k: str(v) for k, v in person.items()}}
    response = client.post("/recherche", data=data)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    return response.get_data(as_text=True)


def card_of(html: str, name: str) -> str:
    start = html.index(name)
    return html[html.rfind("<article", 0, start) : html.index("</article>", start)]


def test_a_young_person_sees_why_a_service_would_turn_them_away(client, login_as, limits):
    login_as(Role.INTERVENANTE)
    html = check(client, person_age=16)
    housing = card_of(html, "Logements de transition")
    assert "May not serve the person:" in housing and "Minimum age: 18" in housing
    assert "Minimum age" not in card_of(html, "Avocate en droit")  # 16 and over: fine
    assert "1 service on this page may turn the person away" in html
    assert 'value="16"' in html  # the form keeps what was typed


def test_too_old_and_an_excluded_population_are_marked(client, login_as, limits):
    login_as(Role.INTERVENANTE)
    html = check(client, person_age=30, person_population="population.men")
    assert "Maximum age: 24" in card_of(html, "Logements de transition")
    assert "Does not serve: Men" in card_of(html, "Hébergement d&#39;urgence")
    assert "Does not serve" not in card_of(html, "Thérapie individuelle")


def test_hiding_removes_them_from_results_and_counts(client, login_as, limits):
    login_as(Role.INTERVENANTE)
    html = check(client, person_age=16, hide_turned_away="y")
    assert "Logements de transition" not in html
    assert "7 services found" in html  # 8 for intervenantes, less the housing
    assert "Services that would turn the person away are hidden." in html


def test_the_index_hides_by_age_and_population(limits):
    def found(**person):
        params = SearchParams(per_page=100, hide_turned_away=True, **person)
        return set(search_services(params, Audience.INTERVENANTE).service_ids)

    everything = found()
    assert limits["housing"].id not in found(person_age=17)
    assert limits["housing"].id not in found(person_age=25)
    assert limits["housing"].id in found(person_age=18)
    assert limits["lawyer"].id not in found(person_age=15)
    assert limits["shelter"].id not in found(person_populations=["population.men"])
    assert found(person_populations=["population.women"]) == everything


def test_the_person_never_reaches_a_url(client, limits):
    html = check(client, person_age=16, person_population="population.men")
    links = [part.split('"')[0] for part in html.split('href="')[1:]]
    assert not [link for link in links if "person" in link or "population.men" in link]
    assert '<form id="person-check" method="post"' in html
    # The person's fields belong to the posted form, not to the GET search form.
    assert html.count('form="person-check"') >= 4  # age, population, hide, the button
    # A search by GET ignores person fields typed into its URL: nothing is marked.
    response = client.get("/recherche?person_age=16")
    assert "May not serve the person" not in response.get_data(as_text=True)


def test_odd_ages_get_a_clear_message_and_mark_nothing(client, limits):
    for value in ("999", "-1", "12345678901234567890", "abc"):
        html = check(client, person_age=value)
        assert "May not serve the person" not in html
    html = check(client, person_age="999")
    assert "Enter an age from 0 to 120 years." in html
    assert 'aria-invalid="true"' in html
