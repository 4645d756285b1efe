"""E-mail verification: an unverified account cannot sign in; the link works once, then signs in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from cote_a_cote.accounts.models import EmailVerificationToken, User, UserSession
from cote_a_cote.database import utcnow
from cote_a_cote.extensions import db
from cote_a_cote.mail import outbox
from cote_a_cote.roles import Role
from tests.conftest import PASSWORD, login, shown
from tests.emailed_links import emailed_link, open_emailed_link
from tests.portal.test_application import application, apply


def open_link(client, message):
    path, _secret = emailed_link(message)
    assert path == "/courriel/verifier"
    return open_emailed_link(client, message)


@pytest.fixture
def applicant(client, reference):
    apply(client, application(email="lea@example.org"))
    user = db.session.scalar(select(User).where(User.email == "lea@example.org"))
    return user


def sessions() -> int:
    return db.session.scalar(select(func.count(UserSession.id)))


def test_an_unverified_account_cannot_sign_in_and_is_told_why(app, client, applicant):
    response = login(client, applicant)
    assert response.status_code == 200
    html = response.text
    assert "alert--warning" in html and "alert--error" not in html
    assert 'action="/courriel/renvoyer"' in html
    assert sessions() == 0
    assert client.get("/portail/").status_code == 302  # still anonymous

    # A wrong password says nothing about the account.
    wrong = client.post("/connexion", data={"email": applicant.email, "password": "nope nope"})
    assert "alert--error" in wrong.text
    assert "/courriel/renvoyer" not in wrong.text


def test_the_link_moves_out_of_the_address_and_works_once(app, client, applicant):
    response = open_link(client, outbox()[0])
    assert response.status_code == 302
    assert response.headers["Location"] == "/courriel/confirmer"
    page = client.get("/courriel/confirmer")
    assert page.status_code == 200
    assert "lea@example.org" in page.text
    assert (
        db.session.get(User, applicant.id).email_verified_at is None
    )  # opening it changes nothing

    confirmed = client.post("/courriel/confirmer")
    assert confirmed.status_code == 302
    assert confirmed.headers["Location"] == "/portail/"
    db.session.expire_all()
    assert db.session.get(User, applicant.id).email_verified_at is not None
    assert sessions() == 1
    assert client.get("/portail/").status_code == 200

    # Spent: the same link no longer works, even in another browser.
    other = app.test_client()
    assert open_link(other, outbox()[0]).status_code == 404
    assert other.get("/courriel/confirmer").status_code == 404

    # And signing in now works.
    client.post("/deconnexion")
    assert login(client, applicant).status_code == 302


def test_an_expired_link_does_not_work(app, client, applicant):
    db.session.execute(
        EmailVerificationToken.__table__.update().values(expires_at=utcnow() - timedelta(minutes=1))
    )
    db.session.commit()
    response = open_link(client, outbox()[0])
    assert response.status_code == 404
    assert shown(app, "This link no longer works") in response.text


def test_resend_sends_a_new_link_only_to_unverified_accounts(app, client, applicant, make_user):
    make_user(email="verified@example.org")
    outbox().clear()
    for email in ("LEA@example.org", "verified@example.org", "nobody@example.org"):
        response = client.post("/courriel/renvoyer", data={"email": email})
        response.close()
        assert response.status_code == 302
        assert response.headers["Location"] == "/devenir-partenaire/demande-envoyee"
    assert [m["To"] for m in outbox()] == ["lea@example.org"]
    # The new link works.
    open_link(client, outbox()[0])
    assert client.post("/courriel/confirmer").status_code == 302


@pytest.mark.parametrize("app_config", [{"VERIFICATION_RESEND_LIMIT": "2 per hour"}])
def test_resend_is_rate_limited(client, applicant):
    for _ in range(2):
        assert client.post("/courriel/renvoyer", data={"email": applicant.email}).status_code == 302
    assert client.post("/courriel/renvoyer", data={"email": applicant.email}).status_code == 429


def test_accounts_created_by_invitation_are_verified(app, make_user):
    from cote_a_cote.accounts.services import accept_invitation, create_invitation

    admin = make_user(role=Role.ADMIN)
    invitation = create_invitation(
        name="Invitée",
        email="invitee@example.org",
        role=Role.INTERVENANTE,
        organization=make_user().organization,
        invited_by=admin,
        locale="fr",
    )
    user = accept_invitation(invitation, "Invitée", PASSWORD)
    assert user.email_verified_at is not None
