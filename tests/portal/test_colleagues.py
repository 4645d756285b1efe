"""Colleagues: invite into one's own organisation, revoke, remove (never oneself, never others')."""

from __future__ import annotations

import re

from sqlalchemy import select

from cote_a_cote.accounts.models import Invitation, Role, User
from cote_a_cote.extensions import db
from cote_a_cote.mail import outbox
from tests.conftest import PASSWORD, login, shown


def test_invite_a_colleague_who_joins_the_same_organisation(app, client, staff, provider_org):
    assert client.get("/portail/collegues/inviter").status_code == 200
    response = client.post(
        "/portail/collegues/inviter",
        data={"name": "Jo Collègue", "email": "Jo@Example.org", "locale": "en"},
    )
    assert response.status_code == 302
    invitation = db.session.scalar(select(Invitation))
    assert invitation.role is Role.PROVIDER
    assert invitation.organization_id == provider_org.id
    assert invitation.invited_by_id == staff.id
    assert "jo@example.org" in client.get("/portail/collegues").text

    link = re.search(r"https?://[^/\s]+(/invitation/\S+)", outbox()[-1].get_content()).group(1)
    newcomer = app.test_client()
    newcomer.get(link)
    newcomer.post(
        "/invitation/accepter", data={"name": "Jo", "password": PASSWORD, "confirm": PASSWORD}
    )
    jo = db.session.scalar(select(User).where(User.email == "jo@example.org"))
    assert jo.organization_id == provider_org.id and jo.role is Role.PROVIDER
    assert jo.email_verified_at is not None
    assert newcomer.get("/portail/").status_code == 200


def test_an_address_with_an_account_is_refused_keeping_the_values(app, client, staff, make_user):
    make_user(email="taken@example.org")
    response = client.post(
        "/portail/collegues/inviter", data={"name": "Typed Name", "email": "taken@example.org"}
    )
    assert response.status_code == 200
    assert shown(app, "An account already uses this e-mail address.") in response.text
    assert 'value="Typed Name"' in response.text
    assert db.session.scalar(select(Invitation)) is None


def test_revoke_a_pending_invitation(client, staff):
    client.post("/portail/collegues/inviter", data={"name": "Jo", "email": "jo@example.org"})
    invitation = db.session.scalar(select(Invitation))
    assert (
        client.post(f"/portail/collegues/invitations/{invitation.id}/revoquer").status_code == 302
    )
    db.session.expire_all()
    assert invitation.revoked_at is not None


def test_remove_a_colleague_but_not_oneself(app, client, staff, provider_org, make_user):
    colleague = make_user(role=Role.PROVIDER, organization=provider_org, email="col@example.org")
    other_browser = app.test_client()
    login(other_browser, colleague)
    assert other_browser.get("/portail/").status_code == 200

    assert (
        client.post(
            f"/portail/collegues/{colleague.id}/retirer", data={"confirmed": "1"}
        ).status_code
        == 302
    )
    db.session.expire_all()
    assert colleague.active is False
    assert other_browser.get("/portail/").status_code == 302  # signed out everywhere
    assert "col@example.org" not in client.get("/portail/collegues").text

    assert (
        client.post(f"/portail/collegues/{staff.id}/retirer", data={"confirmed": "1"}).status_code
        == 302
    )
    db.session.expire_all()
    assert staff.active is True
    assert client.get("/portail/").status_code == 200


def test_admin_invitation_form_still_offers_no_provider_organisation(client, login_as, make_org):
    make_org(name="Clinique Cachée")
    login_as(Role.ADMIN)
    assert "Clinique Cachée" not in client.get("/admin/invitations/nouvelle").text
