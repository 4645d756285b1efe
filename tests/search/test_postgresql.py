"""What only the PostgreSQL backend has: rows in the database, shared by every app server.

Collected only when the suite runs on PostgreSQL (tests/search/conftest.py, POSTGRESQL_ONLY)."""

from __future__ import annotations

import random
import string
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.orm import Session

from cote_a_cote.catalogue.models import (
    OrganizationStatus,
    Service,
    ServiceLanguage,
    Visibility,
)
from cote_a_cote.extensions import db
from cote_a_cote.search import backend_postgresql, facet_bits, sync_postgresql
from cote_a_cote.search.models import SearchDocument, SearchOutbox
from cote_a_cote.search.query import (
    RADIUS_CHOICES,
    Audience,
    AutoRadius,
    SearchParams,
    search_services,
)
from tests.conftest import make_test_app
from tests.search.conftest import MONTREAL, find, ids, place
from tests.search.test_page_cost import counted


def test_rows_follow_commits_and_nothing_is_left_in_the_outbox(catalogue):
    listed = ids(catalogue, *(n for n in catalogue if n not in ("draft", "suspended")))
    assert sorted(db.session.scalars(select(SearchDocument.service_id))) == sorted(listed)
    assert db.session.scalar(select(func.count(SearchOutbox.id))) == 0


def test_reindex_rebuilds_the_table(runner, catalogue):
    db.session.execute(text("DELETE FROM search_document"))
    db.session.commit()
    assert find("avocat") == []
    result = runner.invoke(args=["reindex"])
    assert result.exit_code == 0, result.output
    assert find("avocat") == ids(catalogue, "lawyer", "court")


def test_an_edit_through_one_server_is_found_through_another(tmp_path, monkeypatch, catalogue):
    other = make_test_app(
        tmp_path / "other-server", monkeypatch, SEARCH_BACKEND="postgresql"
    )  # its own instance folder: nothing shared but the database
    catalogue["therapy"].name_fr = "Thérapie en zoothérapie"
    legal = catalogue["lawyer"].organization
    legal.status = OrganizationStatus.SUSPENDED
    db.session.commit()
    therapy = ids(catalogue, "therapy")
    with other.app_context():
        assert find("zoothérapie") == therapy
        assert find("avocat") == []  # both services of the suspended provider are gone
        # Not disposed: in the suite both apps share one engine (conftest's
        # _share_postgres_engine), and disposing it left this test's own connection, still
        # checked out, in a pool nobody closed (a ResourceWarning in a later test).
        db.session.remove()


def test_the_widenings_of_a_search_that_found_nothing_are_counted_in_one_statement(catalogue):
    """The ways out of zero results that the search's own statement has not counted (here three
    nearby regions, remote services and no words; most of them find nothing and are not shown)
    are counted together in one more statement, the words probed once, instead of a probe and a
    count for each."""
    params = SearchParams(q="avocate", regions=["01"], needs=["need.legal"])
    search_services(params, Audience.INTERVENANTE, with_facets=True)  # compiled, warm
    backend_postgresql._known.clear()  # its words unknown to this process
    with counted() as statements:
        result = search_services(params, Audience.INTERVENANTE, with_facets=True)
    assert result.total == 0
    # The same ways out as on Whoosh, each count what the widened search finds.
    assert {(w.kind, w.value): w.count for w in result.widenings} == {
        ("region", "03"): 1,
        ("drop", "regions"): 2,
    }
    for widening in result.widenings:
        assert search_services(widening.params, Audience.INTERVENANTE).total == widening.count
    searches = [s for s in statements if "search_document" in s]
    # The words' probe, the search, then every count.
    assert len(searches) == 3, [s[:80] for s in searches]


def test_the_widenings_near_a_place_measure_the_places_of_each_radius_once(catalogue):
    """The counts of the ways out of zero results near a place: every widening that keeps the
    radius (dropping a filter, any word) reads the places within it from one CTE, measured
    once; only each wider radius measures its own."""
    params = SearchParams(
        q="avocate", near=MONTREAL, radius_km=25.0, needs=["need.legal"], languages=["en"]
    )
    search_services(params, Audience.INTERVENANTE, with_facets=True)  # compiled, warm
    backend_postgresql._known.clear()  # its words unknown to this process
    with counted() as statements:
        result = search_services(params, Audience.INTERVENANTE, with_facets=True)
    assert result.total == 0
    kinds = {w.kind for w in result.widenings}
    assert "drop" in kinds, result.widenings
    [widenings] = [s for s in statements if "c0_" in s and "search_document" in s]
    radii = [25.0, *(r for r in RADIUS_CHOICES if r > 25.0)]
    assert widenings.count("within AS MATERIALIZED") == len(radii), widenings


def test_a_page_near_a_place_whose_radius_widens_probes_once_and_searches_twice(client, catalogue):
    """The search at the default radius counts how many services each wider radius holds; it
    finds too few, so it answers nothing more, and the page searches once more at the radius
    chosen, the words probed once for both."""
    client.post("/langue", data={"locale": "en", "next": "/"})
    url = "/recherche?q=therapie&near=Montréal"
    client.get(url)  # compiled, warm
    backend_postgresql._known.clear()  # its words unknown to this process
    with counted() as statements:
        html = client.get(url).get_data(as_text=True)
    # The therapy service is beyond 50 km, and fewer than five are within 200: any distance.
    assert "No service within 50 km: search widened to any distance." in html
    assert "Thérapie individuelle" in html
    probes = [s for s in statements if "FROM search_word" in s]
    assert len(probes) == 1, [s[:80] for s in probes]
    searches = [s for s in statements if "FROM search_document d" in s and s not in probes]
    assert ["located_rows" in s for s in searches] == [True, False]


def test_a_page_reads_its_words_codes_before_its_searches_and_binds_them(client, catalogue):
    """A word is matched by codes (its stems', its terms'), read before the searches and bound
    as constants, so that the planner can count the rows they find; the page's second search
    (its radius widened) reads none again."""
    client.post("/langue", data={"locale": "en", "next": "/"})
    url = "/recherche?q=therapie+individuelle&near=Montréal"
    client.get(url)  # compiled, warm
    backend_postgresql._known.clear()  # its words unknown to this process
    with counted() as statements:
        html = client.get(url).get_data(as_text=True)
    assert "search widened to any distance" in html and "Thérapie individuelle" in html
    # The words' probe, then the search at the default radius and at the radius chosen.
    searches = [i for i, s in enumerate(statements) if "FROM search_document d" in s]
    codes = [i for i, s in enumerate(statements) if "FROM search_lexeme" in s]
    assert len(searches) == 3 and "FROM search_word" in statements[searches[0]], statements
    assert codes, statements
    assert max(codes) < min(searches)
    assert not any("search_lexeme" in statements[i] for i in searches)


def test_words_are_read_again_only_after_a_write_of_the_search_tables(catalogue, add_service):
    """A word's codes and probe are kept for the tables' state: the same search again reads
    neither, and finds the same; once a write is logged, both are read anew, so a new word
    (which had no code) is found at once."""
    backend_postgresql._known.clear()
    first, therapy = find("quenouille"), find("therapie")
    with counted() as statements:
        assert find("quenouille") == first == []
        assert find("therapie") == therapy == ids(catalogue, "therapy")
    assert not [s for s in statements if "FROM search_lexeme" in s or "FROM search_word" in s]
    with counted() as statements:  # another audience probes on its own; the codes are kept
        assert find("quenouille", Audience.PUBLIC) == []
    assert [s for s in statements if "FROM search_word" in s]
    assert not [s for s in statements if "FROM search_lexeme" in s]
    added = add_service(catalogue["housing"].organization, "Atelier Quenouille", regions=("13",))
    db.session.commit()
    with counted() as statements:
        assert find("quenouille") == [added.id]
    assert [s for s in statements if "FROM search_lexeme" in s]
    assert [s for s in statements if "FROM search_word" in s]


def test_a_rebuild_keeps_the_code_of_every_stem(runner, catalogue):
    """A search reads its words' codes, then its rows: a rebuild committed between the two must
    not give a stem another code."""
    before = dict(db.session.execute(text("SELECT lexeme, id FROM search_lexeme")).all())
    assert "avocat" in before
    db.session.commit()
    result = runner.invoke(args=["reindex"])
    assert result.exit_code == 0, result.output
    after = dict(db.session.execute(text("SELECT lexeme, id FROM search_lexeme")).all())
    assert after == before
    assert find("avocat") == ids(catalogue, "lawyer", "court")


def test_a_service_with_texts_at_their_longest_is_indexed_and_found(catalogue, add_service):
    """A row's codes are as many as its texts' stems: six texts of 5,000 characters of words
    never seen (over 3,000 codes: 13 kB, more than a page) must still be written, and their
    last word found."""
    rng = random.Random(13)
    texts = {}
    for field in ("description", "eligibility", "cost"):
        for language in ("fr", "en"):
            words = ["".join(rng.choices(string.ascii_lowercase, k=9)) for _ in range(500)]
            texts[f"{field}_{language}"] = " ".join(words)[:5000]
    service = add_service(catalogue["dental"].organization, "Clinique des mots", **texts)
    db.session.commit()
    lex = db.session.scalar(
        text("SELECT cardinality(lex) FROM search_document WHERE service_id = :id"),
        {"id": service.id},
    )
    assert lex > 3000
    last = texts["cost_en"].split()[-2]
    assert find(last) == [service.id]


def test_a_radius_not_chosen_never_reads_the_matched_rows(catalogue):
    """The statement at the default radius answers only its counts when they widen it: the
    matched rows (m), the page and the facets are never read (EXPLAIN ANALYZE says so)."""
    params = SearchParams(per_page=100, near=MONTREAL)
    auto = AutoRadius((1.0, 600.0), 2)
    with explained("located_rows") as plans:
        result = search_services(params, Audience.INTERVENANTE, with_facets=True, auto_radius=auto)
    assert result.radius_km == 600.0 and result.located[1.0] < 2 <= result.located[600.0]
    [plan] = plans
    assert "(never executed)" in _first_node(plan, "m"), plan
    assert "(never executed)" not in _first_node(plan, "located_rows"), plan


def test_browsing_one_need_reads_only_the_services_with_it(catalogue):
    """A need browsed alone (no words, no other filter): the matched rows (m) are only the
    services with it; the counts of the need's other values come from this process's sets."""
    with explained("m AS MATERIALIZED") as plans:
        result = search_services(SearchParams(needs=["need.legal"]), Audience.PUBLIC, True)
    assert result.total == 2 and result.facets["needs"]["need.housing"] == 1
    [plan] = plans
    assert " rows=2 " in _first_node(plan, "m"), plan


def test_searches_of_one_shape_are_each_planned_for_their_own_words(catalogue):
    """Searches of one shape share their text: psycopg prepares it once it has run five times,
    and PostgreSQL would then plan it once for every search, blind to each one's values (the
    codes of a search's words: a search near Montréal took 265 ms instead of 30 at 60,000
    services). Each execution of a prepared search is planned for its parameters."""
    for need in ["need.legal", "need.housing", "need.interpreting", "need.peer_support"] * 4:
        search_services(SearchParams(needs=[need]), Audience.INTERVENANTE, True)
    generic, custom = db.session.execute(
        text(
            "SELECT sum(generic_plans), sum(custom_plans) FROM pg_prepared_statements "
            "WHERE statement LIKE '%m AS MATERIALIZED%'"
        )
    ).one()
    assert custom >= 10 and generic == 0


# Searches without words whose every filter is a facet's or a flag's (the radius apart).
BROWSED = [
    {},
    {"needs": ["need.legal"]},
    {"needs": ["need.legal"], "accepting_only": True},
    {"regions": ["HQ"]},
    {"regions": ["QC"], "include_remote": True},
    {"regions": ["06", "HQ"], "languages": ["fr"]},
    {"regions": ["13"], "needs": ["need.housing"], "trained_only": True},
    {"languages": ["en"], "access": ["access.interpreter_available"], "trained_only": True},
    {"populations": ["population.women"], "exploitation": ["exploitation.sexual"]},
    {"needs": ["need.pets"], "languages": ["fr"]},  # nothing: counted widenings
    {"near": MONTREAL, "radius_km": 50.0},
    {"near": MONTREAL, "radius_km": 50.0, "needs": ["need.legal"], "sort": "distance"},
    {"near": MONTREAL, "radius_km": 5.0, "regions": ["06"], "include_remote": True},
    {"near": MONTREAL, "radius_km": 300.0, "regions": ["HQ", "16"], "accepting_only": True},
]


@pytest.mark.parametrize("audience", [Audience.INTERVENANTE, Audience.PUBLIC])
def test_a_search_counted_over_the_sets_answers_as_one_counted_in_sql(
    catalogue, monkeypatch, audience
):
    """Without words, a search whose filters are all a facet's or a flag's (the radius apart)
    takes its counts from this process's sets, its matched rows being only those every filter
    admits: each answer (page, total, distances, every facet and option count, the widenings)
    is the one the rows failing a filter give, counted in SQL."""
    by_sets = backend_postgresql.Plan._counted_by_sets
    taken = []

    def recorded(plan, with_facets):
        answer = by_sets(plan, with_facets)
        if plan.sql.prefix == "p":  # the search's own plan, not one of its widenings'
            taken.append(answer)
        return answer

    def searched() -> list[dict]:
        return [
            asdict(search_services(SearchParams(per_page=100, **f), audience, with_facets=True))
            for f in BROWSED
        ]

    monkeypatch.setattr(backend_postgresql.Plan, "_counted_by_sets", recorded)
    over_sets = searched()
    assert taken == [True] * len(BROWSED)
    monkeypatch.setattr(backend_postgresql.Plan, "_counted_by_sets", lambda plan, facets: False)
    assert over_sets == searched()
    # Not answers that are all alike: the legal services, those near Montréal, the widenings.
    assert over_sets[1]["total"] == 2 and over_sets[2]["total"] == 1
    assert over_sets[9]["total"] == 0 and over_sets[9]["widenings"]
    assert over_sets[11]["service_ids"] == ids(catalogue, "lawyer")
    assert over_sets[3]["facets"]["regions"]["HQ"] == 0 < over_sets[3]["facets"]["regions"]["QC"]


# Searches with words and filters, after a search of the same words without filters kept the
# rows they match.
WORDED = [
    {"q": "clinique", "regions": ["06"]},
    {"q": "clinique", "needs": ["need.health"], "accepting_only": True},
    {"q": "clinique", "near": MONTREAL, "radius_km": 50.0, "sort": "distance"},
    {"q": "clinique", "languages": ["en"], "trained_only": True},
    {"q": "avocate", "regions": ["03", "HQ"]},
    {"q": "avocate", "regions": ["09"], "include_remote": True},
    {"q": "avocate"},
]


def _kept_words_searched(audience) -> list[dict]:
    return [
        asdict(search_services(SearchParams(per_page=100, **f), audience, with_facets=True))
        for f in WORDED
    ]


@pytest.mark.parametrize("audience", [Audience.INTERVENANTE, Audience.PUBLIC])
def test_a_search_of_kept_words_counted_over_the_sets_answers_as_one_counted_in_sql(
    catalogue, monkeypatch, audience
):
    """Once a search of words without filters has kept the rows they match, the same words
    with filters read only the rows every filter admits and count over the sets: each answer
    (page, total, distances, every count, the widenings) is the one counted in SQL."""
    monkeypatch.setattr(backend_postgresql, "TEXT_ROWS_FROM", 1)  # the catalogue is small
    backend_postgresql._known.clear()
    for q in ("clinique", "avocate"):
        search_services(SearchParams(q=q), audience, with_facets=True)
    by_sets = backend_postgresql.Plan._counted_by_sets
    taken = []

    def recorded(plan, with_facets):
        answer = by_sets(plan, with_facets)
        if plan.sql.prefix == "p":  # the search's own plan, not one of its widenings'
            taken.append(answer)
        return answer

    monkeypatch.setattr(backend_postgresql.Plan, "_counted_by_sets", recorded)
    over_sets = _kept_words_searched(audience)
    assert taken == [True] * len(WORDED)
    monkeypatch.setattr(backend_postgresql.Plan, "_counted_by_sets", lambda plan, facets: False)
    assert over_sets == _kept_words_searched(audience)
    totals = [answer["total"] for answer in over_sets]
    assert totals[-1] > max(totals[:-1]) and 0 in totals and max(totals[:-1]) > 0


def test_kept_rows_of_words_are_read_again_after_a_write(catalogue, monkeypatch, add_service):
    monkeypatch.setattr(backend_postgresql, "TEXT_ROWS_FROM", 1)
    backend_postgresql._known.clear()

    def clinics(**filters) -> list[int]:
        params = SearchParams(q="clinique", per_page=100, **filters)
        found = search_services(params, Audience.INTERVENANTE, with_facets=True)
        if filters:  # each region 13 service found is counted for the region, no other
            assert found.facets["regions"].get("13", 0) == len(found.service_ids)
        return sorted(found.service_ids)

    clinics(regions=["13"])
    backend_postgresql._known.clear()
    assert clinics()  # the rows of "clinique" kept
    assert backend_postgresql.known_words(db.session()).texts
    before = clinics(regions=["13"])
    added = add_service(catalogue["housing"].organization, "Clinique du quartier", regions=("13",))
    db.session.commit()
    assert clinics(regions=["13"]) == sorted([*before, added.id])


def test_kept_rows_of_another_state_than_the_statement_read_are_not_counted(
    catalogue, monkeypatch, add_service
):
    """A write committed between reading the words' state and the search's statement: the
    rows kept at the older state are not counted over; the search is counted in SQL."""
    monkeypatch.setattr(backend_postgresql, "TEXT_ROWS_FROM", 1)
    backend_postgresql._known.clear()
    search_services(SearchParams(q="clinique"), Audience.INTERVENANTE, with_facets=True)
    older = backend_postgresql.known_words(db.session())
    assert older.texts
    added = add_service(catalogue["housing"].organization, "Clinique du quartier", regions=("13",))
    db.session.commit()
    monkeypatch.setattr(backend_postgresql, "known_words", lambda session: older)
    found = search_services(
        SearchParams(q="clinique", regions=["13"]), Audience.INTERVENANTE, with_facets=True
    )
    assert added.id in found.service_ids
    assert found.facets["regions"]["13"] == found.total == len(found.service_ids)


# Searches that find nothing, with words: their widenings without the words are counted over
# the sets (with a radius, the ids within it read by the statement of the widenings).
NOTHING_WITH_WORDS = [
    {"q": "astrophysique", "regions": ["06"]},
    {"q": "astrophysique", "near": MONTREAL, "radius_km": 50.0, "accepting_only": True},
    {"q": "astrophysique quantique", "needs": ["need.legal"], "languages": ["fr", "en"]},
    {"q": "astrophysique", "near": MONTREAL, "radius_km": 5.0, "include_remote": True},
]


@pytest.mark.parametrize("audience", [Audience.INTERVENANTE, Audience.PUBLIC])
def test_widenings_without_words_counted_over_the_sets_are_the_counts_in_sql(
    catalogue, monkeypatch, audience
):
    counted_over_sets = []
    count_over_sets = backend_postgresql.Plan._count_over_sets

    def recorded(plan, sets, radius_ids):
        counted_over_sets.append(count_over_sets(plan, sets, radius_ids))
        return counted_over_sets[-1]

    def searched() -> list[dict]:
        return [
            asdict(search_services(SearchParams(**f), audience, with_facets=True))
            for f in NOTHING_WITH_WORDS
        ]

    monkeypatch.setattr(backend_postgresql.Plan, "_count_over_sets", recorded)
    over_sets = searched()
    assert [answer["total"] for answer in over_sets] == [0] * len(NOTHING_WITH_WORDS)
    assert len(counted_over_sets) == len(NOTHING_WITH_WORDS)  # one: the words dropped
    assert counted_over_sets[0] > 0 and len(set(counted_over_sets)) > 1
    monkeypatch.setattr(backend_postgresql.Plan, "_counted_by_sets", lambda plan, facets: False)
    assert over_sets == searched()
    dropped = [w for w in over_sets[0]["widenings"] if w["params"]["q"] == ""]
    assert [w["count"] for w in dropped] == [counted_over_sets[0]]


# Searches sorted by distance from Montréal, a page of one or two: the places within 10 km
# (the lawyer's, in Montréal itself) may hold the page, or not.
NEAREST = [
    {},
    {"q": "avocate"},
    {"q": "clinique", "per_page": 2},
    {"needs": ["need.legal"], "languages": ["fr"]},
    {"q": "logement", "radius_km": 50.0},
    {"page": 2},
    {"regions": ["06", "QC"], "accepting_only": True},
    # The lawyer, 0 km away, refused by one filter only: the court, in Québec, is the page.
    {"q": "avocat", "regions": ["03"]},
]


def _nearest_pages(audience) -> list[dict]:
    return [
        asdict(
            search_services(
                SearchParams(**{"near": MONTREAL, "sort": "distance", "per_page": 1, **f}),
                audience,
                with_facets=True,
            )
        )
        for f in NEAREST
    ]


@pytest.mark.parametrize("audience", [Audience.INTERVENANTE, Audience.PUBLIC])
def test_the_nearest_page_is_the_same_whichever_way_the_close_places_are_found(
    catalogue, monkeypatch, audience
):
    """Sorted by distance, the page is taken among the rows with a place within 10 km when they
    are enough, those places matched to the result by looking each one's row up (few places)
    or by hashing the matched rows (many): every way gives the page that measuring every
    matched row gives."""
    monkeypatch.setattr(backend_postgresql, "NEAR_FIRST_KM", 0.0)  # never enough: every row
    measured = _nearest_pages(audience)
    monkeypatch.setattr(backend_postgresql, "NEAR_FIRST_KM", 10.0)
    monkeypatch.setattr(backend_postgresql, "LOOKUP_COST", 0)  # always looked up
    with explained("close AS MATERIALIZED") as looked_up_plans:
        looked_up = _nearest_pages(audience)
    monkeypatch.setattr(backend_postgresql, "LOOKUP_COST", 10**9)  # always hashed
    with explained("close AS MATERIALIZED") as hashed_plans:
        hashed = _nearest_pages(audience)
    assert looked_up == measured == hashed
    assert measured[0]["service_ids"] == ids(catalogue, "lawyer")  # in Montréal itself
    assert measured[0]["distances_km"] == {catalogue["lawyer"].id: 0.0}
    assert measured[5]["service_ids"] and measured[5]["service_ids"] != measured[0]["service_ids"]
    assert measured[7]["service_ids"] == ids(catalogue, "court")
    # Each way was the one taken: the rows looked up by their key, or never.
    lookups = [_lookup_node(plan) for plan in looked_up_plans + hashed_plans]
    assert all("never executed" not in node for node in lookups[: len(NEAREST)]), lookups
    assert all("never executed" in node for node in lookups[len(NEAREST) :]), lookups


def _lookup_node(plan: str) -> str:
    """The line of an EXPLAIN ANALYZE where the close places' rows are looked up (the only
    reading of search_document within CTE close)."""
    close = plan.split("CTE close\n", 1)[1].split("\n  CTE ", 1)[0].split("\n  InitPlan", 1)[0]
    [line] = [line for line in close.splitlines() if " on search_document " in line]
    return line


@contextmanager
def explained(marker: str) -> Iterator[list[str]]:
    """The EXPLAIN ANALYZE text of each statement holding marker that the block runs, run again
    once the block is over."""
    recorded: list[tuple[str, dict]] = []

    def record(conn, cursor, statement, parameters, *args):
        if marker in statement:
            recorded.append((statement, parameters))

    plans: list[str] = []
    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield plans
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    with db.session.connection().connection.cursor() as cursor:
        # As the search ran them (backend_postgresql.Plan._execute).
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        for statement, parameters in recorded:
            cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) {statement}", parameters)
            plans.append("\n".join(line for (line,) in cursor.fetchall()))


def _first_node(plan: str, cte: str) -> str:
    """The first node under a CTE in the text of an EXPLAIN ANALYZE."""
    return plan.split(f"CTE {cte}\n", 1)[1].splitlines()[0]


def test_a_page_near_a_place_whose_default_radius_holds_enough_searches_once(
    client, catalogue, add_service
):
    """Five services located within the default radius: the one statement that counts the
    radii also answers the page."""
    for name in ("Halte du Plateau", "Clinique Hochelaga", "Friperie Rosemont"):
        add_service(None, name, location=place("Montréal", MONTREAL, "06"))
    client.post("/langue", data={"locale": "en", "next": "/"})
    url = "/recherche?near=Montréal"
    client.get(url)  # compiled, warm
    with counted() as statements:
        html = client.get(url).get_data(as_text=True)
    assert "services found within 50 km of Montréal" in html and "widened to" not in html
    assert "Halte du Plateau" in html
    searches = [s for s in statements if "FROM search_document d" in s]
    assert ["located_rows" in s for s in searches] == [True]


def _spanish_too(service_id: int) -> None:
    """Add Spanish to a service through a session of its own, committed and drained, as another
    app server would."""
    with Session(db.engine) as other:
        service = other.get(Service, service_id)
        service.languages.append(ServiceLanguage(code="es"))
        other.commit()
    sync_postgresql.drain()


def _sets_read_again():
    """What this process's sets would be if it read every row now."""
    return facet_bits._read_sets(db.session)


def test_the_facet_counts_follow_an_edit_drained_after_this_process_read_them(catalogue):
    """Each process keeps every facet value's services as a bit set: a drain logs its write, so
    the next search reads again the services it rewrote instead of counting the old sets."""
    every = SearchParams()
    before = search_services(every, Audience.INTERVENANTE, with_facets=True)
    assert before.facets["languages"]["es"] == 1  # the lawyer
    _spanish_too(catalogue["therapy"].id)
    after = search_services(every, Audience.INTERVENANTE, with_facets=True)
    assert after.facets["languages"]["es"] == 2
    assert after.facets["languages"]["en"] == before.facets["languages"]["en"]
    assert sorted(find(languages=["es"])) == sorted(ids(catalogue, "lawyer", "therapy"))


def test_sets_brought_up_to_date_equal_sets_read_anew(catalogue, add_service, monkeypatch):
    """After an added language, a suspended provider (its services leave the search), a provider
    now seen by intervenantes only and a new service, the sets updated from the log of changes
    are exactly those read from every row; no full read happens."""
    before = search_services(SearchParams(), Audience.INTERVENANTE, with_facets=True)
    public = search_services(SearchParams(), Audience.PUBLIC, with_facets=True)
    _spanish_too(catalogue["therapy"].id)
    catalogue["lawyer"].organization.status = OrganizationStatus.SUSPENDED
    catalogue["dental"].organization.visibility = Visibility.INTERVENANTES
    add_service(catalogue["dental"].organization, "Clinique dentaire du quartier", regions=("13",))
    db.session.commit()

    def no_full_read(_session):
        raise AssertionError("the sets were read anew")

    with monkeypatch.context() as patched:
        patched.setattr(facet_bits, "_read_sets", no_full_read)
        found = search_services(SearchParams(), Audience.INTERVENANTE, with_facets=True)
        # Browsing one need: the need's other values count every service each audience sees.
        legal = search_services(SearchParams(needs=["need.legal"]), Audience.PUBLIC, True)
    anew = _sets_read_again()
    kept = facet_bits.sets_for(db.session, anew.state)  # what the search brought up to date
    assert kept.state == anew.state
    assert dict(kept.members) == dict(anew.members)
    assert found.facets["regions"]["13"] == before.facets["regions"]["13"] + 1
    assert found.facets["languages"]["es"] == 1  # the therapy; the lawyer left
    # The dental clinic's provider is no longer public.
    assert public.facets["needs"]["need.physical_health.dental"] == 1
    assert legal.facets["needs"].get("need.physical_health.dental", 0) == 0


def test_a_process_older_than_the_log_reads_every_row_again(catalogue, monkeypatch):
    """The writer keeps the last KEPT_CHANGES writes: a process whose sets are older than the
    oldest one kept reads them anew, and counts right."""
    monkeypatch.setattr(facet_bits, "KEPT_CHANGES", 1)
    search_services(SearchParams(), Audience.INTERVENANTE, with_facets=True)
    _spanish_too(catalogue["therapy"].id)
    _spanish_too(catalogue["court"].id)
    assert db.session.scalar(text("SELECT count(*) FROM search_change")) == 1
    found = search_services(SearchParams(), Audience.INTERVENANTE, with_facets=True)
    assert found.facets["languages"]["es"] == 3


def test_a_drain_between_the_search_and_its_counts_gives_rows_and_counts_of_one_state(
    catalogue, monkeypatch
):
    """Another server drains an edit after this search's statement and before this process
    brings its sets up to date: the statement runs again, so the total and the counts agree
    (without it, the total would be of the rows before the edit, the count of Spanish after)."""
    search_services(SearchParams(), Audience.INTERVENANTE, with_facets=True)  # sets read
    sets_for = facet_bits.sets_for
    edited = []

    def sets_after_an_edit(session, state):
        if not edited:
            edited.append(True)
            _spanish_too(catalogue["therapy"].id)
        return sets_for(session, state)

    monkeypatch.setattr(facet_bits, "sets_for", sets_after_an_edit)
    _spanish_too(catalogue["court"].id)  # a first edit: this search's statement sees new sets
    spanish = search_services(
        SearchParams(languages=["es"]), Audience.INTERVENANTE, with_facets=True
    )
    assert edited
    assert spanish.total == spanish.facets["languages"]["es"] == 3
    assert sorted(spanish.service_ids) == sorted(ids(catalogue, "lawyer", "court", "therapy"))


def _maintenance_counts() -> dict[str, tuple[int, int]]:
    """Each search table's (VACUUM, ANALYZE) counts, as PostgreSQL's statistics hold them now."""
    # Only this schema's tables: the suite's snapshot schemas hold copies with the same names.
    with db.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT relname, vacuum_count, analyze_count FROM pg_stat_user_tables "
                "WHERE schemaname = current_schema() AND relname = ANY(:tables)"
            ),
            {"tables": list(backend_postgresql.TABLES)},
        )
        return {name: (vacuums, analyses) for name, vacuums, analyses in rows}


def test_the_statistics_after_a_rebuild_wait_for_no_search(catalogue):
    """A rebuild ends with VACUUM ANALYZE of every search table. VACUUM must not try to give a
    table's emptied end back to the system: that needs the table alone, and PostgreSQL waits up
    to 5 s a table for it while any search is reading there (20 s seen in one test)."""
    # Words removed from the vocabulary leave the end of search_word empty.
    db.session.execute(
        text("INSERT INTO search_word (word) SELECT 'zz' || n FROM generate_series(1, 5000) n")
    )
    db.session.commit()
    db.session.execute(text("DELETE FROM search_word WHERE word LIKE 'zz%'"))
    db.session.commit()
    before = _maintenance_counts()
    assert set(before) == set(backend_postgresql.TABLES)
    with db.engine.connect() as reader:  # a search in another app server, mid-transaction
        for table in backend_postgresql.TABLES:
            reader.execute(text(f"SELECT 1 FROM {table} LIMIT 1"))  # noqa: S608 - our tables
        started = time.monotonic()
        sync_postgresql.analyze()
        took = time.monotonic() - started
        reader.rollback()
    # PostgreSQL's wait is a fixed 5 s (VACUUM_TRUNCATE_LOCK_TIMEOUT); the VACUUMs themselves
    # take milliseconds on tables this small, so 4 s tells the two apart on a slow machine too.
    assert took < 4, f"VACUUM waited {took:.1f} s for a search reading the tables"
    # Every table was still vacuumed and analysed once: the planner has its statistics.
    assert _maintenance_counts() == {
        table: (vacuums + 1, analyses + 1) for table, (vacuums, analyses) in before.items()
    }
    assert find("avocat") == ids(catalogue, "lawyer", "court")  # the tables answer as before


def test_sets_read_value_by_value_hold_every_service_and_the_state(catalogue):
    """Each facet value's set holds exactly the services whose row carries the value, and each
    audience's its services, read a few values at a time; tables holding no value still give
    their state."""
    sets = _sets_read_again()
    rows = db.session.execute(
        text(
            "SELECT c.facet, c.value, d.service_id FROM search_document d "
            "JOIN search_facet_code c ON c.id = ANY(d.facet_codes) "
            "UNION ALL SELECT 'audience', audience, service_id FROM search_document"
        )
    ).all()
    expected: dict[tuple[str, str], set[int]] = {}
    for facet, value, service_id in rows:
        expected.setdefault((facet, value), set()).add(service_id)
    for service_id, flags in db.session.execute(
        text("SELECT service_id, flags FROM search_document")
    ):
        for flag, bit in facet_bits.FLAG_BITS.items():
            if flags & bit:
                expected.setdefault(("flag", flag), set()).add(service_id)
    assert {"accepting", "trained", "province_wide", "remote"} <= {
        value for facet, value in expected if facet == "flag"
    }
    assert len(expected) > facet_bits.SETS_READ_BATCH  # more values than one batch
    assert {pair: facet_bits.bit_set(ids) for pair, ids in expected.items()} == dict(sets.members)
    newest = db.session.execute(text(f"SELECT {facet_bits.STATE_SQL}")).scalar()
    assert sets.state == facet_bits.state_of(newest) is not None
    public = db.session.scalars(
        text("SELECT service_id FROM search_document WHERE audience = 'public'")
    )
    assert sets.visible(True) == facet_bits.bit_set(public) != sets.visible(False)
    every = db.session.scalars(text("SELECT service_id FROM search_document"))
    assert sets.visible(False) == facet_bits.bit_set(every)
    db.session.execute(text("DELETE FROM search_document"))  # no row carries a value now
    emptied = _sets_read_again()
    assert emptied.members == {}
    assert emptied.state == sets.state
