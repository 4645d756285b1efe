"""Invitations: an administrator invites, the invitee chooses a password and is signed in."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from cote_a_cote.accounts.models import Invitation, User
from cote_a_cote.accounts.passwords import verify_password
from cote_a_cote.catalogue.models import OrganizationKind
from cote_a_cote.database import utcnow
from cote_a_cote.extensions import db
from cote_a_cote.mail import outbox
from cote_a_cote.roles import Role
from tests.conftest import shown  # noqa: F401 - used by the tests here
from tests.emailed_links import open_emailed_link

LINK = re.compile(r"http://127\.0\.0\.1:5000/invitation#[A-Za-z0-9_-]{43}\n")
CHOSEN = "my own long invitation password"


@pytest.fixture
def admin(login_as):
    return login_as(Role.ADMIN, name="Admin Person")


@pytest.fixture
def shelter(make_org):
    return make_org(name="Maison Fictive du Fleuve", kind=OrganizationKind.REFERRER)


def invite(client, organization, email="nadia@example.org", role=Role.INTERVENANTE, **fields):
    data = {
        "name": "Nadia Fictive",
        "email": email,
        "role": role.value,
        "organization_id": organization.id,
        "locale": "fr",
        **fields,
    }
    return client.post("/admin/invitations/nouvelle", data=data)


def test_invitation_end_to_end(app, client, admin, shelter):
    page = client.get("/admin/invitations/nouvelle").get_data(as_text=True)
    assert "Maison Fictive du Fleuve" in page

    response = invite(client, shelter, email="Nadia@Example.org")
    assert response.status_code == 302
    invitation = db.session.scalar(select(Invitation))
    assert invitation.email == "nadia@example.org"
    assert invitation.invited_by_id == admin.id
    assert "Nadia Fictive" in client.get("/admin/").get_data(as_text=True)

    (message,) = outbox()
    assert message["To"] == "nadia@example.org"
    body = message.get_content()
    assert LINK.search(body)
    # A greeting, the fact, the link, a signature: nothing about the organisation or people.
    lines = [line for line in body.splitlines() if line.strip()]
    assert len(lines) == 4
    for secret in ("Maison Fictive", "Nadia", "Admin Person", "intervenante", admin.email):
        assert secret.lower() not in body.lower()
    assert invitation.token_hash not in body

    invitee = app.test_client()
    response = open_emailed_link(invitee, message)
    assert response.status_code == 302
    assert response.location == "/invitation/accepter"
    page = invitee.get("/invitation/accepter").get_data(as_text=True)
    assert "nadia@example.org" in page and 'value="Nadia Fictive"' in page

    response = invitee.post(
        "/invitation/accepter", data={"name": "Nadia F.", "password": CHOSEN, "confirm": CHOSEN}
    )
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "nadia@example.org"))
    assert (user.name, user.role, user.organization_id) == (
        "Nadia F.",
        Role.INTERVENANTE,
        shelter.id,
    )
    assert user.password_hash.startswith("$argon2id$") and verify_password(
        user.password_hash, CHOSEN
    )
    assert db.session.get(Invitation, invitation.id).accepted_at is not None
    assert invitee.get("/connexion").status_code == 302  # already signed in

    again = open_emailed_link(app.test_client(), message)
    assert again.status_code == 404
    assert shown(app, "This link no longer works") in again.get_data(as_text=True)


def test_administrator_invitation_goes_to_a_coordination_organisation(
    client, admin, make_org, shelter
):
    team = make_org(name="Équipe de coordination", kind=OrganizationKind.COORDINATION)
    assert invite(client, team, role=Role.ADMIN).status_code == 302
    assert db.session.scalar(select(Invitation.role)) is Role.ADMIN


def test_role_must_fit_the_organisation(app, client, admin, shelter):
    response = invite(client, shelter, role=Role.ADMIN)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert shown(app, "This organisation cannot receive accounts with this role.") in page
    assert outbox() == []


def test_provider_organisations_are_not_offered(client, admin, make_org, shelter):
    provider = make_org(name="Clinique Fictive", kind=OrganizationKind.PROVIDER)
    assert "Clinique Fictive" not in client.get("/admin/invitations/nouvelle").get_data(
        as_text=True
    )
    assert invite(client, provider).status_code == 200
    assert db.session.scalar(select(Invitation)) is None


def test_address_with_an_account_is_refused_keeping_the_values(
    app, client, admin, shelter, make_user
):
    make_user(email="taken@example.org")
    response = invite(client, shelter, email="TAKEN@example.org", name="Typed Name")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert shown(app, "An account already uses this e-mail address.") in page
    assert 'value="Typed Name"' in page and 'value="TAKEN@example.org"' in page
    assert outbox() == []


def test_address_with_a_pending_invitation_is_refused(app, client, admin, shelter):
    assert invite(client, shelter).status_code == 302
    response = invite(client, shelter)
    assert response.status_code == 200
    assert shown(app, "An invitation is already pending for this e-mail address.") in (
        response.get_data(as_text=True)
    )
    assert len(outbox()) == 1


def test_pending_invitations_made_at_the_same_instant_list_the_latest_first(client, admin, shelter):
    with time_machine.travel(utcnow(), tick=False):
        for email in ("premiere@example.org", "seconde@example.org"):
            assert invite(client, shelter, email=email).status_code == 302
    page = client.get("/admin/").get_data(as_text=True)
    assert page.index("seconde@example.org") < page.index("premiere@example.org")


def test_invalid_input_is_explained(client, admin, shelter):
    response = invite(client, shelter, email="not an address", name="")
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert invite(client, shelter, organization_id="999999").status_code == 200
    assert db.session.scalar(select(Invitation)) is None


def test_revoked_invitation_link_stops_working(app, client, admin, shelter):
    invite(client, shelter)
    invitation = db.session.scalar(select(Invitation))
    assert client.post(f"/admin/invitations/{invitation.id}/revoquer").status_code == 302
    assert db.session.get(Invitation, invitation.id).revoked_at is not None
    assert open_emailed_link(app.test_client(), outbox()[0]).status_code == 404
    # Revoked: the address may be invited again.
    assert invite(client, shelter).status_code == 302


def test_invitation_expires(app, client, admin, shelter):
    invite(client, shelter)
    invitee = app.test_client()
    assert open_emailed_link(invitee, outbox()[0]).status_code == 302
    later = utcnow() + timedelta(days=app.config["INVITATION_DAYS"], minutes=1)
    with time_machine.travel(later):
        response = invitee.post(
            "/invitation/accepter", data={"name": "N", "password": CHOSEN, "confirm": CHOSEN}
        )
        assert response.status_code == 404
        assert open_emailed_link(app.test_client(), outbox()[0]).status_code == 404
    assert db.session.scalar(select(User).where(User.email == "nadia@example.org")) is None


def test_password_rules_apply_to_invitees(app, client, admin, shelter):
    invite(client, shelter)
    invitee = app.test_client()
    open_emailed_link(invitee, outbox()[0])
    response = invitee.post(
        "/invitation/accepter", data={"name": "N", "password": "short", "confirm": "short"}
    )
    assert response.status_code == 200
    assert shown(app, "The password must have at least %(min)d characters.", min=12) in (
        response.get_data(as_text=True)
    )


@pytest.mark.parametrize("role", [Role.INTERVENANTE, Role.PROVIDER])
def test_only_administrators_invite(client, login_as, make_org, role):
    login_as(role)
    org = make_org(kind=OrganizationKind.REFERRER)
    assert client.get("/admin/invitations/nouvelle").status_code == 403
    assert invite(client, org).status_code == 403
    assert db.session.scalar(select(Invitation)) is None
