"""Taxonomy keywords (synonyms): a term's keywords find the services tagged with it or with any
term under it, on every backend, and an edit of the keywords reaches search through the outbox."""

from __future__ import annotations

import pytest

from cote_a_cote.extensions import db
from tests.search.conftest import find, ids, term


@pytest.mark.parametrize("query", ["juriste", "notaire", "aide juridique", "attorney", "legal aid"])
def test_a_keyword_of_a_parent_term_finds_services_tagged_with_its_children(catalogue, query):
    # Neither legal service is tagged need.legal itself, nor says these words.
    assert set(find(query)) == set(ids(catalogue, "lawyer", "court"))


@pytest.mark.parametrize("query", ["psychologue", "counselling", "relation d'aide", "therapy"])
def test_mental_health_keywords_find_the_psychotherapy_service(catalogue, query):
    assert find(query) == ids(catalogue, "therapy")


def test_keywords_of_a_child_do_not_reach_its_siblings(catalogue):
    # "dentiste" is a keyword of need.physical_health.dental only: the other services of
    # physical health (none here) or of other needs are not found.
    assert find("dentiste") == ids(catalogue, "dental")


def test_population_and_access_keywords_are_searchable(catalogue):
    assert set(find("jeunes adultes")) == set(ids(catalogue, "housing"))
    assert set(find("fauteuil roulant")) == set(ids(catalogue, "dental"))


def test_an_edit_of_a_parents_keywords_reaches_search_at_commit(catalogue):
    assert find("paralegal") == []
    assert set(find("legal clinic")) == set(ids(catalogue, "lawyer", "court"))
    legal = term("need.legal")
    legal.keywords_en = "paralegal"
    db.session.commit()
    assert set(find("paralegal")) == set(ids(catalogue, "lawyer", "court"))
    # A keyword taken away finds them no more ("legal clinic" was in need.legal's English only).
    assert find("legal clinic") == []


def test_an_edit_of_a_sector_keyword_reaches_the_services_of_its_organisations(catalogue):
    sector = term("sector.translation")
    sector.keywords_fr = "sous-titrage"
    db.session.commit()
    assert find("sous-titrage") == ids(catalogue, "interpreting")


def test_the_card_marks_the_needs_a_keyword_named(client, catalogue):
    html = client.get("/recherche?q=juriste").text
    # The lawyer service's two legal needs and the court service's one sit under need.legal,
    # whose keyword "juriste" found them; its population (women) is not marked.
    assert html.count("(correspond à votre recherche)") == 3
