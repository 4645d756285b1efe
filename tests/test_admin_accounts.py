"""Administrator account pages: queues, the filtered list, deactivation and reactivation."""

from __future__ import annotations

import re

import pytest
from flask import g
from sqlalchemy import func, select

from cote_a_cote.accounts.models import User, UserSession
from cote_a_cote.catalogue.models import OrganizationKind, OrganizationStatus
from cote_a_cote.extensions import db
from cote_a_cote.roles import Role
from tests.conftest import PASSWORD, login, shown

ADMIN_PAGES = ["/admin/", "/admin/comptes", "/admin/invitations/nouvelle"]


def names_listed(page: str) -> list[str]:
    return re.findall(r"<tr>\s*<td>([^<]+)</td>", page)


@pytest.fixture
def admin(login_as):
    return login_as(Role.ADMIN, name="Zoé Admin")


def test_home_shows_the_queues(client, admin, make_org, make_user):
    make_org(name="Atelier Fictif Soumis", status=OrganizationStatus.SUBMITTED)
    make_org(name="Atelier Fictif Approuvé", status=OrganizationStatus.APPROVED)
    make_user(name="Ancienne Fictive", active=False)
    page = client.get("/admin/").get_data(as_text=True)
    assert "Atelier Fictif Soumis" in page
    assert "Atelier Fictif Approuvé" not in page
    assert "Ancienne Fictive" in page
    assert "(1)" in page


@pytest.mark.parametrize("path", ADMIN_PAGES)
@pytest.mark.parametrize("role", [Role.INTERVENANTE, Role.PROVIDER])
def test_other_roles_get_403(client, login_as, role, path):
    login_as(role)
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_anonymous_visitors_are_sent_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.location.startswith("/connexion")


def test_list_filters_by_role_status_and_search(client, admin, make_org):
    org = make_org(kind=OrganizationKind.REFERRER)
    people = [
        ("Béatrice Fictive", "bea@example.org", Role.INTERVENANTE, True),
        ("Carole Fictive", "carole@exemple.test", Role.INTERVENANTE, False),
        ("Denis Fictif", "denis@example.org", Role.PROVIDER, True),
        ("Élise 100% Fictive", "elise@example.org", Role.INTERVENANTE, True),
    ]
    for name, email, role, active in people:
        db.session.add(
            User(name=name, email=email, role=role, organization_id=org.id, active=active)
        )
    db.session.commit()

    def listed(query: str) -> list[str]:
        return names_listed(client.get(f"/admin/comptes?{query}").get_data(as_text=True))

    assert listed("role=provider") == ["Denis Fictif"]
    assert listed("role=intervenante&status=inactive") == ["Carole Fictive"]
    assert listed("status=active&role=intervenante") == ["Béatrice Fictive", "Élise 100% Fictive"]
    assert listed("q=exemple.test") == ["Carole Fictive"]
    assert listed("q=b%C3%A9atrice") == ["Béatrice Fictive"]
    assert listed("q=100%25") == ["Élise 100% Fictive"]
    assert listed("q=%25") == ["Élise 100% Fictive"]  # % is a character, not a wildcard
    assert len(listed("role=nonsense")) == 5  # an invalid filter is ignored, not a 500


def test_list_is_paginated_keeping_the_filters(client, admin, make_org):
    org = make_org(kind=OrganizationKind.REFERRER)
    for number in range(30):
        db.session.add(
            User(
                name=f"Personne Fictive {number:02d}",
                email=f"p{number}@example.org",
                role=Role.INTERVENANTE,
                organization_id=org.id,
            )
        )
    db.session.commit()
    first = client.get("/admin/comptes?role=intervenante").get_data(as_text=True)
    assert len(names_listed(first)) == 25
    assert "page=2" in first and "role=intervenante" in first
    second = client.get("/admin/comptes?role=intervenante&page=2").get_data(as_text=True)
    assert names_listed(second) == [f"Personne Fictive {n}" for n in range(25, 30)]
    assert client.get("/admin/comptes?page=99").status_code == 200


def test_deactivation_ends_every_session_at_once(app, client, admin, make_user):
    target = make_user(role=Role.ADMIN, name="Cible Fictive")
    browser = app.test_client()
    assert login(browser, target).status_code == 302
    assert browser.get("/admin/").status_code == 200

    response = client.post(f"/admin/comptes/{target.id}/desactiver")
    assert response.status_code == 302
    stored = db.session.get(User, target.id)
    assert stored.active is False and stored.deactivated_at is not None
    count = select(func.count()).select_from(UserSession).where(UserSession.user_id == target.id)
    assert db.session.scalar(count) == 0

    assert browser.get("/admin/").status_code == 302  # the next request is anonymous
    assert login(app.test_client(), target).status_code == 200
    assert "Cible Fictive" in client.get("/admin/").get_data(as_text=True)


def test_reactivation_lets_the_user_sign_in_again(app, client, admin, make_user):
    target = make_user(active=False)
    assert client.post(f"/admin/comptes/{target.id}/reactiver").status_code == 302
    stored = db.session.get(User, target.id)
    assert stored.active is True and stored.deactivated_at is None
    assert login(app.test_client(), target, PASSWORD).status_code == 302


def test_administrator_cannot_deactivate_themself(app, client, admin):
    response = client.post(f"/admin/comptes/{admin.id}/desactiver", follow_redirects=True)
    assert response.status_code == 200
    assert shown(app, "You cannot deactivate your own account.") in response.get_data(as_text=True)
    assert db.session.get(User, admin.id).active is True


def test_unknown_account_is_404(client, admin):
    assert client.post("/admin/comptes/999999/desactiver").status_code == 404
    assert client.post("/admin/invitations/999999/revoquer").status_code == 404


def test_state_changes_are_posts_only(client, admin, make_user):
    target = make_user()
    assert client.get(f"/admin/comptes/{target.id}/desactiver").status_code == 405
    assert db.session.get(User, target.id).active is True


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_deactivation_without_csrf_token_is_rejected(client, make_user):
    admin = make_user(role=Role.ADMIN)
    target = make_user()
    page = client.get("/connexion").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = {"email": admin.email, "password": PASSWORD, "csrf_token": token}
    assert client.post("/connexion", data=data).status_code == 302

    assert client.post(f"/admin/comptes/{target.id}/desactiver").status_code == 400
    assert db.session.get(User, target.id).active is True

    # The fixture's application context outlives requests, so Flask-WTF's per-request token
    # cache in g would still hold the pre-login token; a real browser never sees that.
    g.pop("csrf_token", None)
    page = client.get("/admin/comptes").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post(f"/admin/comptes/{target.id}/desactiver", data={"csrf_token": token})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, target.id).active is False
