"""Sorting by name: as people read names, whatever the accents, the case or the ligatures."""

from __future__ import annotations

from cote_a_cote.search.query import Audience, SearchParams, search_services
from cote_a_cote.search.sync import rebuild_index
from tests.search.conftest import find

NAMES_IN_ORDER = [
    "abri de nuit",
    "Centre ÉLAN",
    "Ecole alternative",
    "École des parents",
    "Œuvres du quartier",
    "Ordre des psychologues",
    "zèbre services",
]


def test_names_sort_without_regard_to_accents_or_case(add_service, make_org):
    org = make_org("Organisme")
    created = {name: add_service(org, name).id for name in reversed(NAMES_IN_ORDER)}
    expected = [created[name] for name in NAMES_IN_ORDER]
    assert find(sort="name") == expected  # one segment per service added
    assert pages_of_two() == expected
    rebuild_index()
    assert find(sort="name") == expected  # all of them in one segment
    assert pages_of_two() == expected


def pages_of_two(q: str = "") -> list[int]:
    """Every service found, page by page (a short page walks the name order, not sorting)."""
    found: list[int] = []
    for page in range(1, 5):
        params = SearchParams(q=q, sort="name", per_page=2, page=page)
        found += search_services(params, Audience.INTERVENANTE).service_ids
    return found


def test_ligatures_sort_as_their_letters(add_service, make_org):
    org = make_org("Organisme")
    # "Œ" is read "oe", "æ" "ae": between "Odyssée" and "Ogive", and "Cadre" and "Caf".
    names = ["Ogive", "Œuvre", "Odyssée", "Caf", "Cæsar", "Cadre"]
    created = {name: add_service(org, name).id for name in names}
    expected = ["Cadre", "Cæsar", "Caf", "Odyssée", "Œuvre", "Ogive"]
    assert find(sort="name") == [created[name] for name in expected]


def test_english_names_sort_the_english_page(add_service, make_org):
    org = make_org("Organisme")
    first = add_service(org, "Zone jeunesse", name_en="Youth zone")
    second = add_service(org, "Atelier d'emploi", name_en="Work shop")
    # Without an English name, the French one is used.
    third = add_service(org, "Vélo partage")
    assert find(sort="name") == [second.id, third.id, first.id]
    assert find(sort="name", locale="en") == [third.id, second.id, first.id]


def test_a_name_walk_that_finds_its_page_late_ranks_the_members_instead(
    add_service, make_org, monkeypatch
):
    from cote_a_cote.search import engine

    org = make_org("Organisme")
    # The services that say "thérapie" are all named late in the alphabet: a walk through the
    # name order meets every other service first.
    others = [add_service(org, f"Atelier {letter}").id for letter in "ABCDEFGH"]
    therapy = {
        name: add_service(org, name).id
        for name in ("Thérapie Sud", "Thérapie Nord", "Thérapie Est", "Thérapie Ouest")
    }
    expected = [therapy[name] for name in sorted(therapy)]
    walked = find("thérapie", sort="name")
    monkeypatch.setattr(engine, "WALK_BUDGET", 0)  # the walk gives up at once: ranks instead
    monkeypatch.setattr(engine, "WALK_AT_LEAST", 0)
    assert find("thérapie", sort="name") == walked == expected
    assert pages_of_two("thérapie") == expected
    rebuild_index()
    assert pages_of_two("thérapie") == expected
    assert find(sort="name")[: len(others)] == others
