"""The printed sheet: no platform name, no purpose, only public addresses."""

from __future__ import annotations

import pytest

from cote_a_cote.extensions import db
from cote_a_cote.shortlists import services
from cote_a_cote.shortlists.sheet import PRINT_FORBIDDEN_WORDS, reveals
from tests.conftest import login


@pytest.mark.parametrize(
    "text",
    [
        "Formations Côte-à-Côte",
        "COTE A COTE",
        "Victimes de TRAITE",
        "human trafficking",
        "Sortie de la prostitution",
        "Proxénètes",
        "Personnes survivantes",
        "Exploitée sexuellement",
    ],
)
def test_revealing_words_are_found_whatever_the_case_or_accents(text):
    assert reveals(text)


@pytest.mark.parametrize("text", ["Traitement dentaire", "Soins de côte", "Coût : gratuit", None])
def test_ordinary_words_are_not(text):
    assert not reveals(text)


def test_the_sheet_prints_public_facts_and_leaves_out_what_reveals(
    app, client, world, make_service
):
    revealing = make_service(
        world.provider,
        name_fr="Accompagnement après la traite",
        cost_fr="Gratuit grâce aux formations Côte-à-Côte",
        phone="514-555-0199",
        location={
            "municipality": "Laval",
            "address_1": "12, rue Cachée",
            "postal_code": "H7A 0A0",
            "is_confidential": True,
        },
    )
    public = make_service(
        world.provider,
        name_fr="Soins des pieds",
        location={"municipality": "Montréal", "address_1": "5, rue Publique", "region_code": "06"},
    )
    shortlist = services.create(world.alice, "Pour la personne")
    services.add_service(shortlist, revealing)
    services.add_service(shortlist, public)
    db.session.commit()
    login(client, world.alice)
    page = client.get(f"/listes/{shortlist.id}/imprimer").get_data(as_text=True)
    printed = page.split("<main>")[1]
    assert "Soins des pieds" in printed and "5, rue Publique" in printed
    assert "514-555-0199" in printed and "Laval" in printed
    assert "12, rue Cachée" not in printed  # confidential: never on paper
    assert "Pour la personne" not in printed  # the list's name stays private
    assert not any(reveals(line) for line in printed.splitlines())
    assert "Côte-à-Côte" not in page
    assert "2 texts were left out" in page or "2 textes" in page


def test_the_word_list_is_short_and_folded():
    assert all(word == word.lower() for word in PRINT_FORBIDDEN_WORDS)
