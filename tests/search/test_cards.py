"""Result cards and the service page answer "can the person go there today?"."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from urllib.parse import parse_qs, urlparse

import pytest
import time_machine

from cote_a_cote.catalogue.models import Schedule
from cote_a_cote.config import update_settings
from cote_a_cote.extensions import db
from cote_a_cote.roles import Role
from tests.search.conftest import NOW


@pytest.fixture(autouse=True)
def english(client):
    assert client.post("/langue", data={"locale": "en", "next": "/"}).status_code == 302


def get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def get_in_english(client, url: str) -> str:
    """For travelled time: the session signed before the trip would not be read in 2025."""
    client.post("/langue", data={"locale": "en", "next": "/"})
    return get(client, url)


def card_of(html: str, name: str) -> str:
    start = html.index(name)
    return html[html.rfind("<article", 0, start) : html.index("</article>", start)]


def test_cards_show_phone_hours_open_now_cost_and_languages(client, catalogue):
    catalogue["therapy"].phone = "819 555-0142 poste 3"
    catalogue["therapy"].text_phone = "819 555-0150"
    catalogue["housing"].cost_kind = "fee"
    catalogue["lawyer"].schedules = [Schedule(weekday=1, opens_at=time(9), closes_at=time(12))]
    db.session.commit()
    with time_machine.travel(NOW, tick=False):  # Wednesday 11:00 in Montréal
        html = get_in_english(client, "/recherche")
    therapy = card_of(html, "Thérapie individuelle")
    assert '<a class="phone" href="tel:8195550142">Phone: 819 555-0142 poste 3</a>' in therapy
    assert '<a class="phone" href="sms:8195550150">Text: 819 555-0150</a>' in therapy
    assert "Open now" in therapy and "Today: 9:00\u202fa.m. – 5:00\u202fp.m." in therapy
    assert "Closed today" in card_of(html, "Clinique dentaire")  # closed for a holiday
    assert "Closed today" in card_of(html, "Avocate en droit")  # open on Mondays only
    assert "Hours not given" in card_of(html, "Logements de transition")
    assert "Cost:</span> Fee charged" in card_of(html, "Logements de transition")
    housing_free = card_of(get(client, "/recherche?q=interpreting"), "Community interpreting")
    assert "Cost:" not in housing_free
    assert 'lang="es">Spanish' in card_of(html, "Avocate en droit")


def test_free_or_reduced_access_feature_shows_as_cost(client, catalogue):
    html = get(client, "/recherche?access=access.free_or_reduced_cost")
    assert "Cost:</span> Free or reduced cost" in card_of(html, "Logements de transition")


def test_old_capacity_is_flagged_after_the_configured_days(app, client, catalogue):
    catalogue["therapy"].capacity_updated_at = datetime.now(UTC) - timedelta(days=31)
    catalogue["housing"].capacity_updated_at = datetime.now(UTC) - timedelta(days=29)
    db.session.commit()
    html = get(client, "/recherche")
    warning = "Capacity may be out of date: check by phone"
    assert warning in card_of(html, "Thérapie individuelle")
    assert warning not in card_of(html, "Logements de transition")
    update_settings(app, {"CAPACITY_STALE_DAYS": 60})
    assert warning not in get(client, "/recherche")


def test_options_with_no_result_are_not_offered(client, catalogue):
    # Sunday 03:00 in Montréal: nothing public is open (the 24/7 shelter is for intervenantes).
    with time_machine.travel(datetime(2025, 3, 16, 7, 0, tzinfo=UTC), tick=False):
        html = get_in_english(client, "/recherche")
    assert 'name="open"' not in html
    assert 'name="accepting"' in html  # other options still offered
    # An option already ticked stays visible so it can be unticked.
    with time_machine.travel(datetime(2025, 3, 16, 7, 0, tzinfo=UTC), tick=False):
        html = get_in_english(client, "/recherche?open=y")
    assert 'name="open" value="y" checked' in html


def first_control(card: str) -> str:
    return re.search(r"<(a|button|input)\b[^>]*>", card).group(0)


def test_the_first_control_of_a_card_is_its_main_action(client, login_as, catalogue):
    name = "Thérapie individuelle"
    public = first_control(card_of(get(client, "/recherche"), name))
    assert f'href="/services/{catalogue["therapy"].id}' in public
    login_as(Role.INTERVENANTE)
    client.post("/langue", data={"locale": "en", "next": "/"})
    card = card_of(get(client, "/recherche"), name)
    assert f'href="/references/nouvelle?service={catalogue["therapy"].id}"' in first_control(card)
    assert ">Refer a person</a>" in card and "See the service" in card


def test_service_page_leads_with_contact_and_access_and_says_who_it_is_for(client, catalogue):
    service = catalogue["housing"]
    service.minimum_age, service.maximum_age = 18, 24
    service.phone = "450 555-0100"
    db.session.commit()
    html = get(client, f"/services/{service.id}")
    contact, access = html.index('id="contact-title"'), html.index('id="access-title"')
    who = html.index("Who it is for")
    assert contact < access < who
    who_part = html[who : html.index("What it offers")]
    assert "Youth aged 18 to 24" in who_part and "From 18 to 24 years old" in who_part
    assert "Housing" not in who_part  # needs are what it offers, not who it is for
    assert 'href="tel:4505550100"' in html[contact:access]


def test_back_returns_to_the_search_with_its_filters(client, catalogue):
    html = get(client, "/recherche?q=logement&need=need.housing&sort=name")
    link = re.search(r'href="(/services/\d+\?retour=[^"]+)"', html).group(1).replace("&amp;", "&")
    page = get(client, link)
    back = re.search(r'href="(/recherche\?[^"]*)">Back to the results', page).group(1)
    query = parse_qs(urlparse(back.replace("&amp;", "&")).query)
    assert query == {"q": ["logement"], "need": ["need.housing"], "sort": ["name"]}


@pytest.mark.parametrize(
    "retour",
    ["", "javascript%3Aalert(1)", "q%3D" + "x" * 3000, "q%3Da%00b", "%3Cscript%3E%3Dx"],
)
def test_an_odd_way_back_falls_back_to_the_catalogue(client, catalogue, retour):
    page = get(client, f"/services/{catalogue['housing'].id}?retour={retour}")
    assert "Back to the results" not in page and "Back to the catalogue" in page
