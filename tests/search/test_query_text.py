"""Whatever text is typed, every backend answers with results, never an error (property-based)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cote_a_cote.search.query import Audience, SearchParams, search_services
from tests.search.conftest import find, ids

# Characters that are syntax somewhere: tsquery operators and quoting, LIKE wildcards, SQL quotes
# (not "_": it is a word character, part of the word it touches).
SYNTAX = "&|!<>-():*'\"\\%;.,@^~\x00"
ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=300)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(q=ANY_TEXT)
@example(q="a & b | !c <-> d:* 'e' \\ f")
@example(q="\x00" * 10)
@example(q="\ud800 avocat \udfff")
@example(q="'" * 50 + "\\" * 50)
@example(q="logement:* & !avocat")
@example(q="x" * 10_000)
@example(q="logem%")
def test_any_text_gives_results_never_an_error(catalogue, q):
    result = search_services(SearchParams(q=q, per_page=5), Audience.PUBLIC, with_facets=True)
    assert result.total >= 0
    assert len(result.service_ids) <= 5
    assert "needs" in result.facets


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(before=st.text(SYNTAX, max_size=12), after=st.text(SYNTAX, max_size=12))
def test_syntax_around_a_word_is_only_punctuation(catalogue, before, after):
    assert find(f"{before}avocat{after}") == ids(catalogue, "lawyer", "court")


def test_the_page_answers_any_text(client, catalogue):
    assert client.post("/langue", data={"locale": "en", "next": "/"}).status_code == 302
    for q in ("a & b | !c", "'\\", "%00", "logement:*", "\\x00"):
        response = client.get("/recherche", query_string={"q": q})
        assert response.status_code == 200
        assert 'id="search-count"' in response.get_data(as_text=True), q


@pytest.mark.parametrize("q", ["avocat\x00", "\x00avocat"])
def test_nul_bytes_are_separators(catalogue, q):
    assert find(q) == ids(catalogue, "lawyer", "court")


def test_a_service_with_an_endless_word_is_still_found(add_service, catalogue):
    long_winded = add_service(name_fr="Atelier de jardinage", description_fr="z" * 5000 + " fin")
    assert find("jardinage") == [long_winded.id]
