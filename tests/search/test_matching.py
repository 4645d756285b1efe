"""Matching: accents, stems in both languages, cross-language through the taxonomy, near misses."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cote_a_cote.config import update_settings
from cote_a_cote.database import utcnow
from cote_a_cote.extensions import db
from tests.search.conftest import find, ids, term


@pytest.mark.parametrize("query", ["therapie", "THÉRAPIE", "thérapies", "Therapie"])
def test_accents_and_case_do_not_matter(catalogue, query):
    assert find(query) == ids(catalogue, "therapy")


@pytest.mark.parametrize("query", ["logement", "logements"])
def test_french_plural_and_singular_meet(catalogue, query):
    # The service says "logements" in its name and "logement" in its description.
    assert find(query) == ids(catalogue, "housing")


@pytest.mark.parametrize("query", ["avocat", "avocate", "avocats", "avocates"])
def test_french_forms_of_a_word_meet(catalogue, query):
    # The lawyer's name says "Avocate"; the court service's organisation is in the sector
    # "Avocates et avocats": a name ranks above a taxonomy label.
    assert find(query) == ids(catalogue, "lawyer", "court")


@pytest.mark.parametrize("query", ["lawyer", "lawyers", "Lawyer"])
def test_english_word_finds_french_only_service_through_its_taxonomy_term(catalogue, query):
    # Neither service has English text: "Lawyer" is the label of a need and of a sector.
    assert find(query) == ids(catalogue, "lawyer", "court")


def test_french_word_finds_english_only_service(catalogue):
    assert find("interprète") == ids(catalogue, "interpreting")
    # "traduction" is nowhere in its text: only the French label of its need says it.
    assert find("traduction") == ids(catalogue, "interpreting")


def test_every_word_may_be_held_at_a_different_level(catalogue):
    # "traduction" is only in the label of the service's need, "phone" only in its description,
    # "interpreting" only in its name: all the words of a search, each at its own level.
    assert find("traduction phone") == ids(catalogue, "interpreting")
    assert find("phone traduction interpreting") == ids(catalogue, "interpreting")
    # "lawyer" only through the court service's sector, "accompagnement" in its name.
    assert find("lawyer accompagnement") == ids(catalogue, "court")
    # Each word is held by some service, but no service holds both.
    assert find("traduction logement") == []
    assert find("lawyer phone") == []


def test_taxonomy_label_change_needs_no_synonym_list(catalogue):
    # "psychothérapie" (French label) and "psychotherapy" (English label) both reach the service.
    assert find("psychotherapy") == ids(catalogue, "therapy")
    assert find("psychothérapie") == ids(catalogue, "therapy")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("logemnet", "housing"),  # two letters swapped
        ("logemant", "housing"),  # one wrong letter
        ("hébergemant", "shelter"),
        ("immigrafion", "lawyer"),
        ("psychoterapie", "therapy"),  # one letter missing
        ("avocta", "lawyer"),  # six letters: long enough
    ],
)
def test_one_typo_in_a_long_word_is_tolerated(catalogue, query, expected):
    assert find(query)[0] == catalogue[expected].id


def test_no_typo_tolerance_in_short_words(catalogue):
    assert find("lawyer")
    assert find("lawyr") == []  # five letters: too short to guess safely


def test_exact_matches_rank_above_near_misses(add_service, catalogue):
    misspelled = add_service(name_fr="Soutien au logemant", regions=("06",))
    found = find("logemant")
    assert found == [misspelled.id, catalogue["housing"].id]


def test_a_word_two_services_hold_still_brings_its_near_spellings(add_service, catalogue):
    # "logemant" is in two services' names, and one of them also carries it as a keyword of
    # its need: still two services, fewer than three, so the word is rare enough for its near
    # spellings ("logement") to be searched too. Counting that service twice would hide them.
    term("need.pets").keywords_fr = "logemant"
    first = add_service(name_fr="Soutien au logemant", terms=("need.pets",), regions=("06",))
    second = add_service(name_fr="Aide au logemant", regions=("06",))
    db.session.commit()
    found = find("logemant")
    assert set(found[:2]) == {first.id, second.id}
    assert catalogue["housing"].id in found


def test_several_words_must_all_match(catalogue):
    assert find("avocate immigration") == ids(catalogue, "lawyer")
    assert find("avocate logement") == []


def test_a_word_being_typed_matches_as_a_prefix(catalogue):
    assert find("avoc") == ids(catalogue, "lawyer", "court")
    assert find("logements transi") == ids(catalogue, "housing")


def test_stop_words_alone_find_everything_ranked_by_boosts(catalogue):
    assert len(find("de la")) == len(find(""))


def test_name_match_ranks_above_description_match(add_service, catalogue):
    in_description = add_service(name_fr="Aide générale", description_fr="Aussi du jardinage.")
    in_name = add_service(name_fr="Jardinage solidaire")
    assert find("jardinage") == [in_name.id, in_description.id]


def test_boosts_order_equal_matches(make_org, add_service, catalogue):
    plain = add_service(make_org("Ordinaire"), name_fr="Atelier de couture")
    trained = add_service(make_org("Formée", is_trained=True), name_fr="Atelier de couture")
    assert find("couture") == [trained.id, plain.id]


def test_a_verification_ranks_higher_for_as_long_as_stale_after_days_says(
    app, make_org, add_service, catalogue
):
    # Equal matches sort by name when no boost separates them.
    checked = make_org("Vérifiée", last_verified_at=utcnow() - timedelta(days=100))
    never = make_org("Jamais vérifiée")
    recent = add_service(checked, name_fr="Tricot B")
    plain = add_service(never, name_fr="Tricot A")
    assert find("tricot") == [recent.id, plain.id]  # 100 days is within the default 182
    update_settings(app, {"STALE_AFTER_DAYS": 60})
    assert find("tricot") == [plain.id, recent.id]


def test_municipality_and_region_names_are_searchable(catalogue):
    assert find("Laval") == ids(catalogue, "housing")
    assert set(find("montreal")) == set(ids(catalogue, "lawyer", "helpline"))


def test_language_names_are_searchable_in_both_languages(catalogue):
    assert find("espagnol") == ids(catalogue, "lawyer")
    assert find("spanish") == ids(catalogue, "lawyer")


def test_street_addresses_are_never_searchable(catalogue):
    assert find("Principale") == []
    assert find("Cachée") == []  # the confidential shelter's street
