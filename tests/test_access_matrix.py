"""Every route × every role answers as this table says; a route missing from the table fails.

Object-level rules (another organisation's data answers 404) are tested with each feature;
this table pins the role level and makes sure no route is forgotten.
"""

from __future__ import annotations

import pytest
from flask import url_for

from cote_a_cote.accounts.models import Role
from cote_a_cote.catalogue.hsds import record_id
from tests.conftest import login

ROLES = ("anonymous", "intervenante", "provider", "admin")
LOGIN = "login"  # a redirect to the sign-in page


def everyone(code):
    return dict.fromkeys(ROLES, code)


def admin_only(code):
    return {"anonymous": LOGIN, "intervenante": 403, "provider": 403, "admin": code}


# (method, endpoint) -> expected answer per role.
MATRIX: dict[tuple[str, str], dict[str, int | str]] = {
    ("GET", "home.index"): everyone(200),
    ("GET", "home.quick_exit_help"): everyone(200),
    ("POST", "home.set_language"): everyone(302),
    ("GET", "accounts.login"): {
        "anonymous": 200,
        "intervenante": 302,
        "provider": 302,
        "admin": 302,
    },
    ("POST", "accounts.login"): {
        "anonymous": 200,
        "intervenante": 302,
        "provider": 302,
        "admin": 302,
    },
    ("POST", "accounts.logout"): everyone(302),
    ("GET", "accounts.forgot_password"): everyone(200),
    ("POST", "accounts.forgot_password"): everyone(302),
    ("GET", "accounts.reset_link"): everyone(404),
    ("GET", "accounts.new_password"): everyone(404),
    ("POST", "accounts.new_password"): everyone(404),
    ("GET", "accounts.invitation_link"): everyone(404),
    ("GET", "accounts.accept_invitation"): everyone(404),
    ("POST", "accounts.accept_invitation"): everyone(404),
    ("GET", "catalogue.listing"): everyone(200),
    ("GET", "catalogue.service"): everyone(200),
    ("GET", "catalogue.organization"): everyone(200),
    ("GET", "search.results"): everyone(200),
    ("GET", "admin.index"): admin_only(200),
    ("GET", "admin.accounts"): admin_only(200),
    ("GET", "admin.new_invitation"): admin_only(200),
    ("POST", "admin.new_invitation"): admin_only(200),
    ("POST", "admin.revoke_invitation"): admin_only(302),
    ("POST", "admin.deactivate_account"): admin_only(302),
    ("POST", "admin.reactivate_account"): admin_only(302),
    ("GET", "api.info"): everyone(200),
    ("GET", "api.openapi"): everyone(200),
    ("GET", "api.services"): everyone(200),
    ("GET", "api.service"): everyone(200),
    ("GET", "api.organizations"): everyone(200),
    ("GET", "api.organization"): everyone(200),
    ("GET", "api.taxonomies"): everyone(200),
    ("GET", "api.taxonomy_terms"): everyone(200),
}

# Form data sent with POSTs (CSRF is checked separately; here the role decides).
POST_DATA = {
    "home.set_language": {"locale": "en"},
    "accounts.login": {"email": "nobody@example.org", "password": "not the password"},
    "accounts.forgot_password": {"email": "nobody@example.org"},
}


def _routes(app):
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods & {"GET", "POST", "PUT", "PATCH", "DELETE"}):
            found.add((method, rule.endpoint))
    return found


def test_every_route_is_in_the_matrix(app):
    routes = _routes(app)
    assert routes - MATRIX.keys() == set(), "routes missing from the access matrix"
    assert MATRIX.keys() - routes == set(), "matrix rows for routes that no longer exist"


@pytest.fixture
def world(reference, make_org, make_user, make_service):
    """One object of each kind for the URLs that need an id."""
    from cote_a_cote.accounts.services import create_invitation

    provider_org = make_org(name="Clinique publique")
    service = make_service(organization=provider_org, name_fr="Soins publics")
    admin = make_user(role=Role.ADMIN, email="matrix-admin@example.org")
    someone = make_user(role=Role.INTERVENANTE, email="someone@example.org")
    invitation = create_invitation(
        name="Invitée",
        email="invitee@example.org",
        role=Role.INTERVENANTE,
        organization=someone.organization,
        invited_by=admin,
        locale="fr",
    )
    from cote_a_cote.extensions import db

    db.session.commit()
    return {
        "organization_id": provider_org.id,
        "service_id": service.id,
        "user_id": someone.id,
        "invitation_id": invitation.id,
        "token": "not-a-real-token",
        "api.service": {"service_id": record_id(service)},
        "api.organization": {"organization_id": record_id(provider_org)},
    }


def _url(app, endpoint, world):
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    values = world.get(endpoint) or {name: world[name] for name in rule.arguments}
    with app.test_request_context():
        return url_for(endpoint, **values)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "endpoint"), sorted(MATRIX))
def test_access(app, client, make_user, world, role, method, endpoint):
    if role != "anonymous":
        user = make_user(role=Role(role))
        assert login(client, user).status_code == 302
    url = _url(app, endpoint, world)
    response = client.open(url, method=method, data=POST_DATA.get(endpoint, {}))
    expected = MATRIX[(method, endpoint)][role]
    if expected == LOGIN:
        assert response.status_code == 302, (url, response.status_code)
        assert response.headers["Location"].startswith("/connexion"), response.headers["Location"]
    else:
        assert response.status_code == expected, (url, role, response.status_code)
