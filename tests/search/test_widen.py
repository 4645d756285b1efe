"""Zero results: the ways out proposed, each with the number of results it would really give."""

from __future__ import annotations

from cote_a_cote.search.query import Audience, SearchParams, nearby_regions, search_services
from tests.search.conftest import MONTREAL, RIMOUSKI, find


def widenings(**params) -> dict[tuple[str, str | None], int]:
    result = search_services(SearchParams(**params), Audience.INTERVENANTE, with_facets=True)
    assert result.total == 0
    found = {(w.kind, w.value): w.count for w in result.widenings}
    # Every count is what the widened search really finds.
    for w in result.widenings:
        assert search_services(w.params, Audience.INTERVENANTE).total == w.count
    return found


def test_nearby_regions_are_the_closest_centres(catalogue):
    assert nearby_regions(["01"]) == ["11", "03", "12"]
    assert nearby_regions(["06"])[:2] == ["13", "16"]


def test_region_and_filter_widenings_with_counts(catalogue):
    # Nothing legal in Bas-Saint-Laurent; Capitale-Nationale nearby has the court service.
    assert widenings(regions=["01"], needs=["need.legal"]) == {
        ("region", "03"): 1,  # the other nearby regions would give nothing: not proposed
        ("drop", "regions"): 2,
        ("drop", "needs"): 2,
    }


def test_remote_services_are_proposed(catalogue):
    # Peer support is only offered remotely, from Montréal's helpline: nothing in Estrie...
    assert widenings(regions=["05"], needs=["need.peer_support"]) == {
        ("remote", None): 1,
        ("drop", "regions"): 1,
        ("drop", "needs"): 2,  # the therapist and the province-wide interpreters
    }


def test_radius_widenings(catalogue):
    found = widenings(near=RIMOUSKI, radius_km=25, needs=["need.legal"])
    assert found == {("anywhere", None): 2, ("drop", "needs"): 2}
    found = widenings(near=MONTREAL, radius_km=5, needs=["need.housing"])
    assert found[("radius", "25")] == 1  # Laval is 16 km away: the next step up finds it
    assert found[("anywhere", None)] == 1


def test_word_widenings(catalogue):
    assert widenings(q="avocate jardinage") == {("any_word", None): 2, ("no_words", None): 8}


def test_no_widening_when_something_matches(catalogue):
    result = search_services(SearchParams(q="avocate"), Audience.INTERVENANTE, with_facets=True)
    assert result.total == 2
    assert result.widenings == []
    assert find("avocate")  # and the plain search agrees


def test_widenings_that_keep_the_words_count_what_the_words_find(catalogue):
    # Every change but "no words" keeps the words: its count is the words' services that the
    # changed filters admit (on PostgreSQL, counted over the words' rows, found once).
    assert widenings(q="avocate", regions=["01"]) == {
        ("region", "03"): 1,  # the court service; the Montréal lawyer is not nearby
        ("drop", "regions"): 2,
        ("no_words", None): 2,  # what Bas-Saint-Laurent has, whatever it is about
    }
    assert widenings(q="logement", near=MONTREAL, radius_km=5) == {
        ("radius", "25"): 1,  # the smallest wider radius that finds the Laval housing
        ("anywhere", None): 1,
        ("no_words", None): 2,
    }


def test_dropping_a_filter_that_is_not_a_facet_counts_what_it_finds(catalogue):
    """Options and other filters that are not facets: dropping each one is proposed with what
    the search finds without it (on PostgreSQL, counted apart from the search's rows)."""
    found = {}
    for options in ({"accepting_only": True}, {"trained_only": True}, {"open_now": True}):
        for code in ("es", "ar", "fr"):
            params = {"languages": [code], "needs": ["need.legal"], **options}
            if search_services(SearchParams(**params), Audience.INTERVENANTE).total == 0:
                found.update(widenings(**params))
    dropped = {value: count for (kind, value), count in found.items() if kind == "drop"}
    assert {"accepting_only", "trained_only", "open_now"} & {v for v, c in dropped.items() if c}
