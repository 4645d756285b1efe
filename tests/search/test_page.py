"""The search page: a GET form that works without JavaScript, its partial, paging, odd input."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlparse

import pytest

from cote_a_cote.catalogue.models import Location
from cote_a_cote.extensions import db
from cote_a_cote.roles import Role
from cote_a_cote.search.forms import GROUP_PARAMS
from tests.search.conftest import LAVAL

ALLOWED_ARGS = {
    *GROUP_PARAMS,
    "q",
    "any",
    "near",
    "near_org",
    "radius",
    "sort",
    "page",
    "accepting",
    "trained",
    "open",
    "remote",
}


class Controls(HTMLParser):
    """Inputs, selects and labels of a page, to check every control is labelled."""

    def __init__(self):
        super().__init__()
        self.controls, self.labels, self.links, self.inline = [], set(), [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("input", "select", "textarea") and attrs.get("type") not in ("hidden", "submit"):
            self.controls.append(attrs)
        if tag == "label" and attrs.get("for"):
            self.labels.add(attrs["for"])
        if tag == "a" and attrs.get("href", "").startswith("/recherche"):
            self.links.append(attrs["href"])
        if (tag == "script" and "src" not in attrs) or "style" in attrs:
            self.inline.append(tag)


@pytest.fixture(autouse=True)
def english(client):
    """The page in English, so assertions read the (English) message ids."""
    assert client.post("/langue", data={"locale": "en", "next": "/"}).status_code == 302


def parse(html: str) -> Controls:
    controls = Controls()
    controls.feed(html)
    return controls


def text(response) -> str:
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_empty_search_page_lists_everything_with_labelled_facets(client, catalogue):
    html = text(client.get("/recherche"))
    page = parse(html)
    assert '<form id="search-form"' in html and 'method="get"' in html
    assert all(control.get("id") in page.labels for control in page.controls)
    assert page.inline == []
    assert "7 services found" in html  # public: the shelter is for intervenantes only
    assert '<legend class="facet__legend">Need</legend>' in html
    assert re.search(
        r'value="need.legal"\s*>\s*<label[^>]*>[^<]+<span class="facet__count" '
        r'aria-hidden="true">2</span>',
        html,
    )
    assert 'src="/static/js/search.js"' in html
    assert 'href="/static/css/search.css"' in html


def test_form_get_filters_and_keeps_choices(client, catalogue):
    html = text(client.get("/recherche?q=avocate&need=need.legal&lang=es&sort=name"))
    assert "1 service found" in html
    assert "Avocate en droit de l&#39;immigration" in html
    assert 'value="need.legal" checked' in html
    assert 'value="es" checked' in html
    assert 'value="avocate"' in html
    assert '<option selected value="name">' in html
    # Why it matched: the need and the language asked for are marked.
    assert html.count("(matches your search)") == 3  # lawyer, immigration status, Spanish


def test_partial_is_the_results_region_only(client, catalogue):
    response = client.get("/recherche?q=avocate", headers={"X-Search-Partial": "1"})
    html = text(response)
    assert "<html" not in html and "<form" not in html
    assert 'id="search-count"' in html and "2 services found" in html
    assert "X-Search-Partial" in response.headers["Vary"]
    assert "<html" not in text(client.get("/recherche?q=avocate&partial=1"))


def test_paging_keeps_the_filters(client, add_service):
    for number in range(25):
        add_service(name_fr=f"Atelier {number:02d}", terms=("need.housing",))
    html = text(client.get("/recherche?need=need.housing&sort=name"))
    assert "Atelier 00" in html and "Atelier 19" in html and "Atelier 20" not in html
    assert "Page 1 of 2" in html
    next_link = next(link for link in parse(html).links if "page=2" in link)
    assert parse_qs(urlparse(next_link.replace("&amp;", "&")).query) == {
        "need": ["need.housing"],
        "sort": ["name"],
        "page": ["2"],
    }
    html = text(client.get(next_link.replace("&amp;", "&")))
    assert "Atelier 24" in html and "Atelier 00" not in html
    assert "Page 2 of 2" in text(client.get("/recherche?need=need.housing&page=99"))


@pytest.mark.parametrize(
    "query",
    [
        "page=abc",
        "radius=abc",
        "sort=zzz",
        "need=need.unknown",
        "lang=<script>",
        "region=99",
        "q=" + "x" * 500,
        "near=" + "y" * 500,
        "accepting=maybe",
    ],
)
def test_odd_input_never_breaks_the_page(client, catalogue, query):
    html = text(client.get(f"/recherche?{query}"))
    assert "services found" in html
    assert "<script>" not in html.split("<main", 1)[1].split("</main>", 1)[0]


def test_unknown_municipality_and_distance_without_a_place_are_explained(client, catalogue):
    html = text(client.get("/recherche?near=Atlantide"))
    assert "We do not know the municipality “Atlantide”" in html
    html = text(client.get("/recherche?radius=25&sort=distance"))
    assert "Choose a municipality to search by distance." in html


def test_near_a_municipality_shows_distances_and_labels(client, catalogue):
    html = text(client.get("/recherche?near=Laval&radius=25&sort=distance"))
    assert "services found within 25 km of Laval" in html
    assert re.search(r"\d+,\d km away|\d+\.\d km away", html)
    assert "Province-wide" in html
    first = html.index("Logements de transition")
    assert first < html.index("Avocate en droit")  # Laval's own service first


def test_near_my_organisation_for_intervenantes(client, login_as, make_org, catalogue):
    org = make_org("Centre de femmes")
    db.session.add(
        Location(
            organization=org,
            municipality="Laval",
            latitude=LAVAL[0],
            longitude=LAVAL[1],
            region_code="13",
        )
    )
    db.session.commit()
    login_as(Role.INTERVENANTE, organization=org)
    html = text(client.get("/recherche"))
    assert 'name="near_org"' in html
    html = text(client.get("/recherche?near_org=y&sort=distance"))
    assert "services found near your organisation" in html
    assert html.index("Logements de transition") < html.index("Avocate en droit")


def test_near_my_organisation_is_not_offered_to_the_public(client, catalogue):
    assert 'name="near_org"' not in text(client.get("/recherche"))


def test_zero_results_propose_widenings_with_counts(client, catalogue):
    html = text(client.get("/recherche?region=01&need=need.legal"))
    assert "No service matches this search." in html
    assert "Add the region Capitale-Nationale</a> — 1 service" in html
    assert "Remove the filter “Region”</a> — 2 services" in html
    link = next(link for link in parse(html).links if "region=03" in link)
    assert "1 service found" in text(client.get(link.replace("&amp;", "&")))


def test_links_carry_filters_only(client, catalogue):
    html = text(client.get("/recherche?q=avocate&need=need.legal&near=Laval&radius=200&page=1"))
    for link in parse(html).links:
        assert set(parse_qs(urlparse(link.replace("&amp;", "&")).query)) <= ALLOWED_ARGS


def test_search_page_speaks_french_first(app, catalogue):
    html = text(app.test_client().get("/recherche?need=need.legal"))
    assert "Juridique et sociojudiciaire" in html  # taxonomy labels in the page's language
