"""One language vocabulary: names in French and English everywhere, and searchable by either."""

from __future__ import annotations

from cote_a_cote.vocabulary.languages import OFFERED, language_label, language_name, search_names
from tests.search.conftest import find


def test_every_offered_code_has_a_french_and_an_english_name():
    for code in OFFERED:
        assert language_name(code, "fr") and language_name(code, "en"), code
    assert language_name("alq", "fr") == "Algonquin"
    assert language_name("atj", "en") == "Atikamekw"
    assert language_name("moe", "fr") == "Innu-aimun"
    assert language_name("cr", "fr") == "Cri"
    assert language_name("wdt", "en") == "Wendat"
    assert language_name("es", "fr") == "Espagnol"
    assert language_name("es", "en") == "Spanish"


def test_unknown_or_odd_codes_have_no_name_and_show_as_themselves():
    assert language_name("zz") is None
    assert language_name("<b>") is None
    assert language_label("zz", "fr") == "zz"


def test_search_names_hold_both_languages_and_what_people_type():
    assert {"Espagnol", "Spanish"} <= set(search_names("es"))
    assert "montagnais" in search_names("moe")


def test_a_language_name_in_either_language_finds_services_offered_in_it(add_service, catalogue):
    algonquin = add_service(None, "Soutien en anishinaabemowin", languages=("alq", "fr"))
    for words in ("Algonquin", "algonquin", "Anishinabe"):
        assert find(words) == [algonquin.id], words
    lawyer = catalogue["lawyer"].id
    for words in ("espagnol", "Spanish", "Espagnol"):
        assert find(words) == [lawyer], words


def test_search_page_names_the_language_in_its_facet(client, add_service, catalogue):
    add_service(None, "Soutien en anishinaabemowin", languages=("alq",))
    html = client.get("/recherche").get_data(as_text=True)
    assert 'lang="alq">Algonquin <span class="facet__count"' in html
    assert ">alq <" not in html
    client.post("/langue", data={"locale": "en", "next": "/"})
    html = client.get("/recherche?q=algonquin").get_data(as_text=True)
    assert "1 service found" in html and "Algonquin" in html
