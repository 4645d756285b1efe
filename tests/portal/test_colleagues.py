"""Colleagues: invite into one's own organisation, revoke, remove (never oneself, never others')."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from cote_a_cote.accounts.models import Invitation, User
from cote_a_cote.extensions import db
from cote_a_cote.mail import outbox
from cote_a_cote.roles import Role
from tests.conftest import PASSWORD, login, shown
from tests.emailed_links import open_emailed_link


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

    newcomer = app.test_client()
    assert open_emailed_link(newcomer, outbox()[-1]).status_code == 302
    newcomer.post(
        "/invitation/accepter", data={"name": "Jo", "password": PASSWORD, "confirm": PASSWORD}
    )
    jo = db.session.scalar(select(User).where(User.email == "jo@example.org"))
    assert jo.organization_id == provider_org.id and jo.role is Role.PROVIDER
    assert jo.email_verified_at is not None
    assert newcomer.get("/portail/").status_code == 200


def invite(client, email, name="Jo Collègue", **extra):
    return client.post(
        "/portail/collegues/inviter", data={"name": name, "email": email, "locale": "fr", **extra}
    )


def test_known_and_unknown_addresses_get_the_same_answer(
    app, client, staff, provider_org, make_user
):
    elsewhere = make_user(email="taken@example.org", preferred_locale="en")
    pages = {}
    for email in ("Taken@example.org", "free@example.org"):
        response = invite(client, email)
        assert response.status_code == 302
        assert response.location == "/portail/collegues"
        page = client.get("/portail/collegues").text
        assert shown(app, "The invitation was sent.") in page
        pages[email] = page
    # Both are listed as pending: nothing on any page tells one from the other.
    assert "taken@example.org" in pages["free@example.org"]
    assert "free@example.org" in pages["free@example.org"]
    invitations = db.session.scalars(select(Invitation).order_by(Invitation.id)).all()
    assert [i.email for i in invitations] == ["taken@example.org", "free@example.org"]
    assert {i.organization_id for i in invitations} == {provider_org.id}

    # The owner of the existing account is told, with no link that could open anything.
    notice, link_mail = outbox()
    assert notice["To"] == "taken@example.org" and link_mail["To"] == "free@example.org"
    body = notice.get_content()
    assert "/connexion" in body and "/mot-de-passe/oublie" in body and "#" not in body
    assert provider_org.name not in body and staff.name not in body
    assert "already has an account" in body  # in the account's own language (English)
    assert "/invitation#" in link_mail.get_content()
    # The existing account is untouched, and still belongs to its organisation.
    db.session.expire_all()
    assert db.session.get(User, elsewhere.id).organization_id == elsewhere.organization_id


def test_a_colleague_already_in_the_organisation_is_pointed_out(
    app, client, staff, provider_org, make_user
):
    make_user(role=Role.PROVIDER, organization=provider_org, email="here@example.org")
    response = invite(client, "here@example.org", name="Typed Name")
    assert response.status_code == 200
    assert shown(app, "This person already has access to your organisation's portal.") in (
        response.text
    )
    assert 'value="Typed Name"' in response.text
    assert db.session.scalar(select(Invitation)) is None
    assert outbox() == []


def test_a_pending_invitation_elsewhere_is_not_revealed(app, client, staff, make_user, make_org):
    from cote_a_cote.accounts.services import create_invitation
    from cote_a_cote.catalogue.models import OrganizationKind

    create_invitation(
        name="Autre",
        email="wanted@example.org",
        role=Role.INTERVENANTE,
        organization=make_org(kind=OrganizationKind.REFERRER),
        invited_by=make_user(role=Role.ADMIN),
        locale="fr",
    )
    db.session.commit()
    assert invite(client, "wanted@example.org").status_code == 302
    # Within the organisation, a second invitation to the same address is refused (it is listed).
    again = invite(client, "wanted@example.org")
    assert again.status_code == 200
    assert shown(app, "An invitation is already pending for this e-mail address.") in again.text


@pytest.mark.parametrize("app_config", [{"INVITATION_LIMIT_PER_USER": "2 per hour"}])
def test_invitations_are_rate_limited_alike_for_every_address(
    app, client, staff, make_user, make_org
):
    make_user(email="taken@example.org")
    assert invite(client, "not an address").status_code == 200  # refused input does not count
    assert invite(client, "taken@example.org").status_code == 302
    assert invite(client, "free@example.org").status_code == 302
    blocked = invite(client, "another@example.org")
    assert blocked.status_code == 429
    assert shown(app, "Too many attempts") in blocked.text
    assert client.get("/portail/collegues/inviter").status_code == 200
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 2
    # Another staff member has an allowance of their own.
    other = make_user(role=Role.PROVIDER, organization=make_org())
    other_browser = app.test_client()
    login(other_browser, other)
    response = other_browser.post(
        "/portail/collegues/inviter", data={"name": "N", "email": "n@example.org"}
    )
    assert response.status_code == 302


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
