"""Password reset: identical answers, single-use expiring tokens, clean URLs, fresh sessions."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from cote_a_cote.accounts.models import PasswordResetToken, User, UserSession
from cote_a_cote.accounts.passwords import verify_password
from cote_a_cote.database import utcnow
from cote_a_cote.extensions import db
from cote_a_cote.mail import outbox
from cote_a_cote.roles import Role
from tests.conftest import PASSWORD, login, shown, without_csrf_tokens
from tests.emailed_links import emailed_link, open_emailed_link

NEW_PASSWORD = "a brand new sentence to remember"
LINK = re.compile(r"http://127\.0\.0\.1:5000/mot-de-passe/reinitialiser#[A-Za-z0-9_-]{43}\n")


def ask_reset(client, email):
    return client.post("/mot-de-passe/oublie", data={"email": email}, follow_redirects=True)


def open_link(client, message):
    return open_emailed_link(client, message)


def choose(client, password, confirm=None):
    return client.post(
        "/mot-de-passe/nouveau", data={"password": password, "confirm": confirm or password}
    )


def token_count() -> int:
    return db.session.scalar(select(func.count()).select_from(PasswordResetToken))


def test_known_unknown_and_deactivated_addresses_get_the_same_answer(app, make_user):
    make_user(email="known@example.org")
    make_user(email="gone@example.org", active=False)
    bodies = {
        email: ask_reset(app.test_client(), email)
        for email in ("known@example.org", "nobody@example.org", "gone@example.org")
    }
    assert {response.status_code for response in bodies.values()} == {200}
    assert {response.request.path for response in bodies.values()} == {"/connexion"}
    # Each browser gets its own CSRF token; everything else must be identical.
    pages = {without_csrf_tokens(response.get_data(as_text=True)) for response in bodies.values()}
    assert len(pages) == 1
    assert "known@example.org" not in bodies["known@example.org"].get_data(as_text=True)
    assert [message["To"] for message in outbox()] == ["known@example.org"]
    assert token_count() == 1


def test_reset_email_holds_only_the_fact_and_a_link(app, client, make_user):
    user = make_user(email="amelie@example.org", name="Amélie Tremblay", preferred_locale="en")
    ask_reset(client, "Amelie@Example.org ")
    (message,) = outbox()
    body = message.get_content()
    assert message["To"] == "amelie@example.org"
    assert LINK.search(body)
    assert user.name not in body and user.email not in body and PASSWORD not in body
    stored = db.session.scalar(select(PasswordResetToken.token_hash))
    path, token = emailed_link(message)
    assert path == "/mot-de-passe/reinitialiser"
    assert token not in stored and len(stored) == 64  # only a SHA-256 digest is kept


def test_full_reset_signs_out_everywhere_and_signs_in_fresh(app, client, make_user):
    user = make_user(role=Role.ADMIN)
    elsewhere = app.test_client()
    login(elsewhere, user)
    ask_reset(client, user.email)

    response = open_link(client, outbox()[0])
    assert response.status_code == 302
    assert response.location == "/mot-de-passe/nouveau"
    page = client.get("/mot-de-passe/nouveau").get_data(as_text=True)
    assert 'name="confirm"' in page

    response = choose(client, NEW_PASSWORD)
    assert response.status_code == 302
    assert response.location == "/"

    stored = db.session.scalar(select(User.password_hash).where(User.id == user.id))
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, NEW_PASSWORD)
    assert client.get("/admin/").status_code == 200
    assert elsewhere.get("/admin/").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(UserSession)) == 1
    assert login(app.test_client(), user).status_code == 200  # the old password is gone


def test_token_is_single_use(app, client, make_user):
    user = make_user()
    ask_reset(client, user.email)
    open_link(client, outbox()[0])
    assert choose(client, NEW_PASSWORD).status_code == 302

    again = app.test_client()
    response = open_link(again, outbox()[0])
    assert response.status_code == 404
    assert shown(app, "This link no longer works") in response.get_data(as_text=True)
    assert again.get("/mot-de-passe/nouveau").status_code == 404


def test_a_new_password_spends_every_earlier_link(app, client, make_user):
    user = make_user()
    ask_reset(client, user.email)
    ask_reset(client, user.email)
    first, second = outbox()
    open_link(client, second)
    choose(client, NEW_PASSWORD)
    assert open_link(app.test_client(), first).status_code == 404


def test_token_expires(app, client, make_user):
    user = make_user()
    ask_reset(client, user.email)
    hours = app.config["PASSWORD_RESET_HOURS"]
    with time_machine.travel(utcnow() + timedelta(hours=hours, minutes=1)):
        assert open_link(client, outbox()[0]).status_code == 404


def test_token_expiring_while_the_form_is_open_is_refused(app, client, make_user):
    user = make_user()
    ask_reset(client, user.email)
    assert open_link(client, outbox()[0]).status_code == 302
    hours = app.config["PASSWORD_RESET_HOURS"]
    with time_machine.travel(utcnow() + timedelta(hours=hours, minutes=1)):
        assert choose(client, NEW_PASSWORD).status_code == 404
    assert verify_password(db.session.get(User, user.id).password_hash, PASSWORD)


def test_unknown_token_and_missing_session_show_a_message(app, client):
    response = client.post("/mot-de-passe/reinitialiser", data={"token": "not-a-real-token"})
    assert response.status_code == 404
    assert shown(app, "This link no longer works") in response.get_data(as_text=True)
    assert client.get("/mot-de-passe/nouveau").status_code == 404
    assert choose(client, NEW_PASSWORD).status_code == 404


def test_new_password_rules_are_explained(app, client, make_user):
    user = make_user()
    ask_reset(client, user.email)
    open_link(client, outbox()[0])

    short = choose(client, "too short").get_data(as_text=True)
    assert shown(app, "The password must have at least %(min)d characters.", min=12) in short
    different = choose(client, NEW_PASSWORD, "something else entirely").get_data(as_text=True)
    assert shown(app, "The two passwords do not match.") in different
    assert verify_password(db.session.get(User, user.id).password_hash, PASSWORD)


def test_malformed_address_is_explained_without_sending(app, client):
    response = client.post("/mot-de-passe/oublie", data={"email": "not an address"})
    assert response.status_code == 200
    assert shown(app, "Enter a valid e-mail address.") in response.get_data(as_text=True)
    assert outbox() == []


def test_the_secret_is_only_after_the_hash_and_a_pasted_link_works(app, client, make_user):
    user = make_user()
    ask_reset(client, user.email)
    (message,) = outbox()
    path, token = emailed_link(message)
    # The landing page, as fetched without the fragment, asks for the link (no JavaScript).
    page = client.get(path).get_data(as_text=True)
    assert shown(app, "Link from the e-mail") in page
    assert "js/link-token.js" in page
    # Someone without JavaScript pastes the whole link.
    whole = f"  http://127.0.0.1:5000{path}#{token} "
    response = open_emailed_link(client, message, paste=whole)
    assert response.status_code == 302
    assert response.location == "/mot-de-passe/nouveau"
    assert choose(client, NEW_PASSWORD).status_code == 302


def test_an_empty_paste_is_explained_and_the_old_path_form_is_gone(app, client, make_user):
    response = client.post("/mot-de-passe/reinitialiser", data={"token": "  "})
    assert response.status_code == 200
    assert shown(app, "Paste the link from the e-mail.") in response.get_data(as_text=True)
    user = make_user()
    ask_reset(client, user.email)
    _path, token = emailed_link(outbox()[0])
    assert client.get(f"/mot-de-passe/reinitialiser/{token}").status_code == 404
    with client.session_transaction() as sess:
        assert "reset_token" not in sess


@pytest.mark.parametrize("app_config", [{"LOGIN_LIMIT_PER_ACCOUNT": "2 per 15 minutes"}])
def test_strangers_asking_resets_for_an_account_do_not_block_its_owner(app, make_user):
    owner = make_user(email="owner@example.org")
    for n in range(4):
        stranger = app.test_client()
        response = stranger.post(
            "/mot-de-passe/oublie",
            data={"email": owner.email},
            environ_base={"REMOTE_ADDR": f"198.51.100.{n % 2}"},
        )
        response.close()
        assert response.status_code == 302
    # Each stranger's address reached the account's limit there...
    blocked = app.test_client().post(
        "/mot-de-passe/oublie",
        data={"email": owner.email},
        environ_base={"REMOTE_ADDR": "198.51.100.0"},
    )
    assert blocked.status_code == 429
    # ...but the owner, from home, still gets a link.
    sent = len(outbox())
    ask_reset(app.test_client(), owner.email)
    assert len(outbox()) == sent + 1
