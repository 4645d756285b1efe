"""The public help page, the help lines administrators edit, and the listing of referring
organisations (off until the organisation agrees)."""

from __future__ import annotations

import json
import re

from sqlalchemy import func, select

from cote_a_cote.catalogue.models import OrganizationKind
from cote_a_cote.config import PROJECT_ROOT
from cote_a_cote.extensions import db
from cote_a_cote.helplines import services
from cote_a_cote.helplines.models import Helpline, ReferrerListing
from cote_a_cote.roles import Role
from tests.conftest import shown

SEED = json.loads((PROJECT_ROOT / "seeds" / "helplines.json").read_text("utf-8"))


def test_every_seeded_line_cites_a_public_source_and_has_a_number():
    lines = SEED["helplines"]
    assert len(lines) >= 5
    for line in lines:
        assert re.match(r"^https?://[^\s/]+\.[a-z]{2,}/", line["source"]), line["key"]
        assert re.match(r"^[0-9][0-9 -]{2,}$", line["phone"]), line["key"]
        assert line["name_fr"] and line["name_en"] and line["hours_fr"] and line["hours_en"]
    assert len({line["key"] for line in lines}) == len(lines)


def test_reference_data_loads_the_lines_once_and_keeps_edits(app, reference):
    assert db.session.scalar(select(func.count(Helpline.id))) == len(SEED["helplines"])
    line = db.session.scalar(select(Helpline).where(Helpline.seed_key == "info-social-811"))
    assert line.source_url.startswith("https://") and line.phone == "811"
    line.hours_fr = "Modifié par l’équipe"
    db.session.commit()
    assert services.load_helplines() == 0
    db.session.refresh(line)
    assert line.hours_fr == "Modifié par l’équipe"


def test_the_public_page_lists_active_lines_and_has_no_form_of_its_own(app, client, reference):
    hidden = db.session.scalar(select(Helpline).where(Helpline.seed_key == "jeunesse-j-ecoute"))
    hidden.active = False
    db.session.commit()
    page = client.get("/obtenir-de-l-aide").get_data(as_text=True)
    assert "1 800 363-9010" in page and "1 833 900-1010" in page
    assert 'href="tel:18003639010"' in page
    assert "1 800 668-6868" not in page
    # The only forms are the layout's language switch; nothing is sent from this page.
    assert page.count("<form") == 1 and 'action="/langue"' in page
    assert 'id="quick-exit"' in page
    assert not re.search(
        r'(src|href)="https?://(?!127\.0\.0\.1)',
        page.split("<main")[1].split("</main>")[0].replace('href="tel:', ""),
    )


def test_home_page_and_footer_lead_to_it(client):
    page = client.get("/").get_data(as_text=True)
    assert page.count('href="/obtenir-de-l-aide"') == 2  # the home page and the footer


def test_referring_organisations_appear_only_once_listed(app, client, reference, make_org):
    agreed = make_org(
        name="Maison Fictive de l’Estuaire", kind=OrganizationKind.REFERRER, phone="418-555-0101"
    )
    silent = make_org(name="Refuge Fictif Discret", kind=OrganizationKind.REFERRER)
    services.save_listing(
        agreed, {"listed": True, "region_code": "03", "how_to_reach_fr": "Appelez le matin"}
    )
    services.listing_for(silent)  # exists, but never agreed: off by default
    db.session.commit()
    page = client.get("/obtenir-de-l-aide").get_data(as_text=True)
    assert "Maison Fictive de l’Estuaire" in page and "418-555-0101" in page
    assert "Appelez le matin" in page and "Capitale-Nationale" in page
    assert "Refuge Fictif Discret" not in page
    assert db.session.get(ReferrerListing, silent.id).listed is False


def test_demo_referrers_are_listed_fictional_and_say_so(app, client, demo_data):
    page = client.get("/obtenir-de-l-aide").get_data(as_text=True)
    assert page.count(shown(app, "Fictional (demonstration)")) == 5  # one of six stays unlisted
    assert "données de démonstration" in page


def test_administrators_add_edit_and_delete_a_line(app, client, login_as):
    login_as(Role.ADMIN)
    form = {
        "name_fr": "Ligne fictive d’essai",
        "name_en": "Fictional test line",
        "phone": "1 800 555-0000",
        "source_url": "not a web address",
        "position": "5",
        "active": "y",
    }
    page = client.post("/admin/lignes-d-aide/nouvelle", data=form).get_data(as_text=True)
    assert shown(app, "Enter a web address starting with https://.") in page
    assert "Ligne fictive d’essai" in page  # what was typed is kept
    page = client.post(
        "/admin/lignes-d-aide/nouvelle",
        data=form | {"phone": "<script>", "source_url": "https://example.org/x"},
    ).get_data(as_text=True)
    assert (
        shown(app, "Enter a phone number with digits, spaces, dashes or parentheses only.") in page
    )
    response = client.post(
        "/admin/lignes-d-aide/nouvelle", data=form | {"source_url": "https://example.org/ligne"}
    )
    assert response.status_code == 302
    line = db.session.scalar(select(Helpline).where(Helpline.name_fr == "Ligne fictive d’essai"))
    assert "1 800 555-0000" in client.get("/obtenir-de-l-aide").get_data(as_text=True)
    client.post(
        f"/admin/lignes-d-aide/{line.id}",
        data=form | {"source_url": "https://example.org/ligne", "active": ""},
    )
    db.session.refresh(line)
    assert line.active is False
    assert "1 800 555-0000" not in client.get("/obtenir-de-l-aide").get_data(as_text=True)
    client.post(f"/admin/lignes-d-aide/{line.id}/supprimer")
    assert db.session.get(Helpline, line.id) is None


def test_administrators_record_a_listing_and_providers_have_none(
    app, client, login_as, make_org, reference
):
    referrer = make_org(name="Centre Fictif des Rives", kind=OrganizationKind.REFERRER)
    provider = make_org(name="Clinique Fictive")
    login_as(Role.ADMIN)
    index = client.get("/admin/lignes-d-aide").get_data(as_text=True)
    assert "Centre Fictif des Rives" in index and "Clinique Fictive" not in index
    assert client.get(f"/admin/lignes-d-aide/organisations/{provider.id}").status_code == 404
    response = client.post(
        f"/admin/lignes-d-aide/organisations/{referrer.id}",
        data={"listed": "y", "region_code": "06", "how_to_reach_fr": "Sur rendez-vous"},
    )
    assert response.status_code == 302
    listing = db.session.get(ReferrerListing, referrer.id)
    assert (listing.listed, listing.region_code, listing.how_to_reach_fr) == (
        True,
        "06",
        "Sur rendez-vous",
    )
    page = client.post(
        f"/admin/lignes-d-aide/organisations/{referrer.id}", data={"region_code": "99"}
    ).get_data(as_text=True)
    assert 'aria-invalid="true"' in page
