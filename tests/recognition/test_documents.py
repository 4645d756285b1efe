"""The badge (SVG) and the certificate (PDF) of a current award."""

from __future__ import annotations

import io
from datetime import timedelta
from xml.etree import ElementTree

from pypdf import PdfReader

from cote_a_cote.database import utcnow
from cote_a_cote.extensions import db
from cote_a_cote.recognition import services
from cote_a_cote.roles import Role
from cote_a_cote.training.rule import local_day

SVG = "{http://www.w3.org/2000/svg}"


def give(org, levels, admin, code="ambassadeur", days_ago=0):
    made = services.award(
        org,
        levels[code],
        "Pour l’exemple",
        admin,
        local_day(utcnow()) - timedelta(days=days_ago),
        override=True,
    )
    db.session.commit()
    return made


def test_badge_is_an_svg_with_level_year_and_a_title(client, make_org, make_user, levels):
    admin = make_user(role=Role.ADMIN)
    org = make_org(name="Clinique « Les Érables »")
    made = give(org, levels, admin)
    answer = client.get(f"/reconnaissance/badge/{made.verification_code}.svg")
    assert answer.status_code == 200
    assert answer.mimetype == "image/svg+xml"
    root = ElementTree.fromstring(answer.data)  # noqa: S314 - our own server's output
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    title = root.find(f"{SVG}title").text
    assert "Ambassadeur" in title and str(made.year) in title and "« Les Érables »" in title
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Ambassadeur" in texts and str(made.year) in texts
    assert b"style=" not in answer.data and b"<script" not in answer.data


def test_badge_of_a_withdrawn_or_unknown_award_is_404(client, make_org, make_user, levels):
    admin = make_user(role=Role.ADMIN)
    made = give(make_org(), levels, admin)
    services.withdraw(made, "Retrait", admin)
    db.session.commit()
    assert client.get(f"/reconnaissance/badge/{made.verification_code}.svg").status_code == 404
    assert client.get("/reconnaissance/badge/inconnu.svg").status_code == 404


def test_certificate_names_organisation_level_year_and_verification_address(
    client, login_as, make_user, levels
):
    me = login_as(Role.PROVIDER)
    org = me.organization
    org.name = "Boulangerie « L’Épi d’or »"
    db.session.commit()
    made = give(org, levels, make_user(role=Role.ADMIN), code="allie")
    answer = client.get("/portail/reconnaissance/certificat")
    assert answer.status_code == 200
    assert answer.mimetype == "application/pdf"
    assert "attachment" in answer.headers["Content-Disposition"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(answer.data)).pages)
    flat = " ".join(text.split())
    assert "Boulangerie « L’Épi d’or »" in flat
    assert "Allié" in flat and str(made.year) in flat
    assert f"/reconnaissance/verifier/{made.verification_code}" in flat.replace(" ", "")


def test_no_certificate_without_a_current_award(client, login_as, make_user, levels):
    me = login_as(Role.PROVIDER)
    give(me.organization, levels, make_user(role=Role.ADMIN), days_ago=400)  # expired
    assert client.get("/portail/reconnaissance/certificat").status_code == 404


def test_a_name_beyond_the_pdf_fonts_never_breaks_the_certificate(
    client, login_as, make_user, levels
):
    me = login_as(Role.PROVIDER)
    me.organization.name = "Centre ᐃᓄᒃᑎᑐᑦ Ŝukaq"  # syllabics: DejaVu Sans draws them
    db.session.commit()
    give(me.organization, levels, make_user(role=Role.ADMIN), code="allie")
    answer = client.get("/portail/reconnaissance/certificat")
    assert answer.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(answer.data)).pages)
    assert "Centre ᐃᓄᒃᑎᑐᑦ Ŝukaq" in " ".join(text.split())
