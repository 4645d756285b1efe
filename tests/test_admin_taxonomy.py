"""Administrators edit the search keywords (synonyms) of taxonomy terms."""

from __future__ import annotations

import re

import pytest
from flask import g
from sqlalchemy import select

from cote_a_cote.audit.models import AuditEvent
from cote_a_cote.catalogue.models import TaxonomyTerm
from cote_a_cote.extensions import db
from cote_a_cote.roles import Role
from cote_a_cote.search.models import SearchOutbox
from tests.conftest import PASSWORD, shown


def _term(code: str) -> TaxonomyTerm:
    return db.session.scalars(select(TaxonomyTerm).where(TaxonomyTerm.code == code)).one()


def test_seeded_keywords_are_listed_for_every_term(client, reference, login_as):
    login_as(Role.ADMIN)
    page = client.get("/admin/taxonomie").text
    assert "Mots-clés de la taxonomie" in page
    # need.legal's seeded keywords, in both languages, on the term's row.
    row = page.split(f'id="term-{_term("need.legal").id}"')[1].split("</tr>")[0]
    assert "avocat, avocate, juriste, notaire, aide juridique" in row
    assert "lawyer, attorney, legal aid, legal clinic" in row


def test_an_administrator_replaces_the_keywords_of_a_term(
    app, client, reference, login_as, make_service
):
    admin = login_as(Role.ADMIN)
    term = _term("need.legal")
    child_tagged = make_service(name_fr="Clinique fictive", terms=("need.legal.lawyer",))
    db.session.execute(SearchOutbox.__table__.delete())
    db.session.commit()

    form = client.get(f"/admin/taxonomie/{term.id}").text
    assert "juriste" in form  # the current keywords, one per line

    response = client.post(
        f"/admin/taxonomie/{term.id}",
        data={"keywords_fr": "juriste,  aide   juridique\nJuriste\n\n", "keywords_en": "paralegal"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert (
        shown(app, "The keywords of %(term)s are saved; search uses them now.", term=term.name_fr)
        in response.text
    )
    db.session.expire_all()
    assert (term.keywords_fr, term.keywords_en) == ("juriste\naide juridique", "paralegal")
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "taxonomy_term.keywords_changed")
    ).one()
    assert (event.actor_id, event.object_id) == (admin.id, term.id)
    # The service tagged only with a term under need.legal was announced to search (and applied).
    assert db.session.scalars(select(SearchOutbox.service_id)).all() == []
    from cote_a_cote.search.query import Audience, SearchParams, search_services

    found = search_services(SearchParams(q="paralegal"), Audience.INTERVENANTE).service_ids
    assert found == [child_tagged.id]


def test_too_many_or_too_long_keywords_are_refused_and_kept_in_the_form(
    app, client, reference, login_as
):
    login_as(Role.ADMIN)
    term = _term("need.housing")
    before = term.keywords_fr
    many = "\n".join(f"mot{n}" for n in range(61))
    response = client.post(
        f"/admin/taxonomie/{term.id}", data={"keywords_fr": many, "keywords_en": "x" * 81}
    )
    assert response.status_code == 200
    assert shown(app, "Give at most %(max)s keywords in each language.", max=60) in response.text
    assert shown(app, "Keep each keyword under %(max)s characters.", max=80) in response.text
    assert "mot60" in response.text  # what was typed stays
    db.session.expire_all()
    assert term.keywords_fr == before


def test_an_unknown_term_answers_404(client, reference, login_as):
    login_as(Role.ADMIN)
    assert client.get("/admin/taxonomie/999999").status_code == 404
    assert client.post("/admin/taxonomie/999999", data={}).status_code == 404


@pytest.mark.parametrize("role", [Role.INTERVENANTE, Role.PROVIDER])
def test_other_roles_cannot_edit_keywords(client, reference, login_as, role):
    login_as(role)
    term = _term("need.legal")
    before = term.keywords_en
    assert client.post(f"/admin/taxonomie/{term.id}", data={"keywords_en": "x"}).status_code == 403
    db.session.expire_all()
    assert term.keywords_en == before


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_saving_keywords_needs_the_csrf_token(client, reference, make_user):
    admin = make_user(role=Role.ADMIN)
    page = client.get("/connexion").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert (
        client.post(
            "/connexion", data={"email": admin.email, "password": PASSWORD, "csrf_token": token}
        ).status_code
        == 302
    )
    term = _term("need.legal")
    assert client.post(f"/admin/taxonomie/{term.id}", data={"keywords_en": "x"}).status_code == 400
    g.pop("csrf_token", None)
    page = client.get(f"/admin/taxonomie/{term.id}").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        f"/admin/taxonomie/{term.id}", data={"keywords_en": "counsel", "csrf_token": token}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert term.keywords_en == "counsel"


def test_reloading_the_seeds_keeps_what_administrators_wrote(reference):
    from cote_a_cote.demo.seeding import load_reference_data

    term = _term("need.legal")
    term.keywords_fr, term.keywords_en = "", "counsel"
    db.session.commit()
    load_reference_data()
    db.session.commit()
    db.session.expire_all()
    assert (term.keywords_fr, term.keywords_en) == ("", "counsel")
    assert "psychologue" in _term("need.mental_health").keywords_fr.splitlines()
