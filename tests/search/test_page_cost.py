"""What a search page costs outside the search engine: its statements do not grow with the
number of results, and reading labels once per page still shows an administrator's edit."""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select

from cote_a_cote.catalogue.models import Region, TaxonomyTerm
from cote_a_cote.extensions import db

# Whoosh answers without SQL: what is left is the page's own reading (reference choices, the
# page's services with what their cards show, recognition badges, the demo-data notice).
PAGE_STATEMENTS_WHOOSH = 12


@pytest.fixture(autouse=True)
def english(client):
    with client.session_transaction() as session:
        session["locale"] = "en"


@contextmanager
def counted():
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def statements_for(client, url: str) -> int:
    client.get(url)  # the index and the compiled statements warm, as on a running server
    with counted() as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements)


def test_statements_do_not_grow_with_the_results(client, catalogue, search_backend):
    few = statements_for(client, "/recherche?region=01")
    assert "2 services found" in client.get("/recherche?region=01").get_data(as_text=True)
    many = statements_for(client, "/recherche")
    assert "7 services found" in client.get("/recherche").get_data(as_text=True)
    assert many == few
    if search_backend == "whoosh":
        assert many <= PAGE_STATEMENTS_WHOOSH


def test_words_add_one_statement_for_the_needs_they_name(client, catalogue, search_backend):
    plain = statements_for(client, "/recherche?region=06")
    worded = statements_for(client, "/recherche?q=avocate")
    if search_backend == "whoosh":
        assert worded == plain + 1
    html = client.get("/recherche?q=avocate").get_data(as_text=True)
    # "avocate" names the legal need, above all three: each card marks them as matching.
    matched = re.findall(r'badge--need badge--match">([^<]+)<span', html)
    assert matched == ["Lawyer", "Immigration status", "Court accompaniment"]


def test_an_edited_label_shows_on_the_next_page(client, catalogue):
    html = client.get("/recherche").get_data(as_text=True)
    assert "Homes between two places" not in html and "Laval island" not in html
    term = db.session.scalar(select(TaxonomyTerm).where(TaxonomyTerm.code == "need.housing"))
    region = db.session.get(Region, "13")
    term.name_en, region.name_en = "Homes between two places", "Laval island"
    db.session.commit()
    html = client.get("/recherche").get_data(as_text=True)
    assert "Homes between two places" in html  # the facet, and the housing service's badge
    assert html.count("Homes between two places") == 2
    assert html.count("Laval island") == 2  # the facet, and the card's regions served
