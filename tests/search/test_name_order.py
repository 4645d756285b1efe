"""Sorting by name: as people read names, whatever the accents, the case or the ligatures."""

from __future__ import annotations

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
    assert find(sort="name") == [created[name] for name in NAMES_IN_ORDER]


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
