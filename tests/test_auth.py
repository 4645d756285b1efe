"""Signing in and out: generic failures, rate limits, fresh sessions, CSRF, safe redirects."""

from __future__ import annotations

import base64
import re
from datetime import timedelta

import pytest
import time_machine
from argon2 import PasswordHasher
from sqlalchemy import func, select

from cote_a_cote.accounts.models import User, UserSession
from cote_a_cote.accounts.passwords import verify_password
from cote_a_cote.accounts.services import set_preferred_locale
from cote_a_cote.accounts.sessions import SESSION_KEY, token_digest
from cote_a_cote.accounts.throttle import DEVICE_COOKIE
from cote_a_cote.database import utcnow
from cote_a_cote.extensions import db
from cote_a_cote.mail import outbox
from cote_a_cote.roles import Role
from tests.conftest import PASSWORD, login, shown, without_csrf_tokens
from tests.emailed_links import open_emailed_link

SESSION_COOKIE = "cac_session"


def post_login(client, email, password, address="127.0.0.1", **extra):
    return client.post(
        "/connexion",
        data={"email": email, "password": password, **extra},
        environ_base={"REMOTE_ADDR": address},
    )


def session_count(user: User) -> int:
    return db.session.scalar(
        select(func.count()).select_from(UserSession).where(UserSession.user_id == user.id)
    )


def is_signed_in_admin(client) -> bool:
    """True when the client reaches the admin home; False when sent to the login page."""
    response = client.get("/admin/")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def test_login_signs_in_and_redirects_home(client, make_user):
    user = make_user(role=Role.ADMIN)
    response = login(client, user)
    assert response.status_code in (302, 303)
    assert response.location == "/"
    assert is_signed_in_admin(client)
    assert db.session.get(User, user.id).last_login_at is not None


def test_wrong_password_is_refused_and_keeps_the_email(client, make_user):
    user = make_user(email="ines@example.org")
    response = post_login(client, user.email, "not the password at all")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'value="ines@example.org"' in page
    assert "not the password at all" not in page
    assert 'role="alert"' in page
    assert session_count(user) == 0


def test_unknown_email_and_deactivated_account_answer_like_a_wrong_password(client, make_user):
    make_user(email="known@example.org")
    make_user(email="gone@example.org", active=False)
    bodies = {
        email: without_csrf_tokens(
            post_login(client, email, "wrong password 123").get_data(as_text=True)
        )
        for email in ("known@example.org", "nobody@example.org", "gone@example.org")
    }
    normalised = {body.replace(email, "EMAIL") for email, body in bodies.items()}
    assert len(normalised) == 1


def test_deactivated_account_cannot_sign_in_with_right_password(client, make_user):
    user = make_user(active=False)
    assert login(client, user).status_code == 200
    assert session_count(user) == 0


def test_email_case_and_spaces_do_not_matter(client, make_user):
    make_user(role=Role.ADMIN, email="case@example.org")
    assert post_login(client, "  CASE@Example.org ", PASSWORD).status_code == 302


def test_password_is_stored_as_argon2id_and_rehashed_when_parameters_change(client, make_user):
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    user = make_user(role=Role.ADMIN)
    user.password_hash = weak.hash(PASSWORD)
    db.session.commit()

    assert login(client, user).status_code == 302
    stored = db.session.scalar(select(User.password_hash).where(User.id == user.id))
    assert stored.startswith("$argon2id$")
    assert "m=8," not in stored
    assert verify_password(stored, PASSWORD)


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/path",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "/\t/evil.example",
        "http:/evil.example",
    ],
)
def test_next_refuses_other_sites(client, make_user, target):
    user = make_user(role=Role.ADMIN)
    response = post_login(client, user.email, PASSWORD, next=target)
    assert response.location == "/"


def test_next_keeps_a_path_on_this_site(client, make_user):
    user = make_user(role=Role.ADMIN)
    page = client.get("/connexion?next=/admin/comptes%3Frole%3Dadmin").get_data(as_text=True)
    assert 'value="/admin/comptes?role=admin"' in page
    response = post_login(client, user.email, PASSWORD, next="/admin/comptes?role=admin")
    assert response.location == "/admin/comptes?role=admin"


def test_anonymous_visitor_is_sent_to_login_with_next(client):
    response = client.get("/admin/comptes")
    assert response.status_code == 302
    assert response.location.startswith("/connexion?next=")


def test_login_gives_a_new_session_and_a_planted_one_never_authenticates(app, client, make_user):
    user = make_user(role=Role.ADMIN)
    with client.session_transaction() as sess:
        sess[SESSION_KEY] = "planted-by-someone-else"
        sess["leftover"] = "from before login"
    before = client.get_cookie(SESSION_COOKIE).value

    assert login(client, user).status_code == 302
    after = client.get_cookie(SESSION_COOKIE).value
    assert after != before
    with client.session_transaction() as sess:
        token = sess[SESSION_KEY]
        assert token != "planted-by-someone-else"
        assert "leftover" not in sess
    stored = db.session.scalars(
        select(UserSession.token_hash).where(UserSession.user_id == user.id)
    )
    assert list(stored) == [token_digest(token)]

    attacker = app.test_client()
    attacker.set_cookie(SESSION_COOKIE, before)
    assert not is_signed_in_admin(attacker)


def test_signing_in_again_replaces_the_browser_session(app, client, make_user):
    user = make_user(role=Role.ADMIN)
    login(client, user)
    first = client.get_cookie(SESSION_COOKIE).value
    client.post("/deconnexion")
    login(client, user)
    assert session_count(user) == 1
    stale = app.test_client()
    stale.set_cookie(SESSION_COOKIE, first)
    assert not is_signed_in_admin(stale)


def test_logout_invalidates_a_copied_cookie_but_not_other_browsers(app, client, make_user):
    user = make_user(role=Role.ADMIN)
    other = app.test_client()
    login(client, user)
    login(other, user)
    copied = client.get_cookie(SESSION_COOKIE).value

    response = client.post("/deconnexion", follow_redirects=True)
    assert response.status_code == 200
    assert response.request.path == "/"
    assert shown(app, "You are signed out.") in response.get_data(as_text=True)

    thief = app.test_client()
    thief.set_cookie(SESSION_COOKIE, copied)
    assert not is_signed_in_admin(thief)
    assert not is_signed_in_admin(client)
    assert is_signed_in_admin(other)
    assert session_count(user) == 1


def test_logout_is_never_a_get(client, login_as):
    login_as(Role.ADMIN)
    assert client.get("/deconnexion").status_code == 405
    assert is_signed_in_admin(client)


@pytest.mark.parametrize("app_config", [{"LOGIN_LIMIT_PER_ACCOUNT": "3 per 15 minutes"}])
def test_failed_logins_per_account_reach_429(app, client, make_user):
    user = make_user(role=Role.ADMIN)
    # Different addresses: the per-account limit holds whatever the address.
    for number in range(3):
        assert post_login(client, user.email, "wrong", f"10.0.0.{number}").status_code == 200
    blocked = post_login(client, user.email.upper(), PASSWORD, "10.0.0.9")
    assert blocked.status_code == 429
    page = blocked.get_data(as_text=True)
    assert '<html lang="fr">' in page
    assert f"<h1>{shown(app, 'Too many attempts')}</h1>" in page
    assert session_count(user) == 0

    other = make_user(role=Role.ADMIN)
    assert post_login(client, other.email, PASSWORD, "10.0.0.9").status_code == 302

    # The window passes: the account may try again.
    with time_machine.travel(utcnow() + timedelta(minutes=16)):
        assert post_login(client, user.email, PASSWORD, "10.0.0.9").status_code == 302


@pytest.mark.parametrize("app_config", [{"LOGIN_LIMIT_PER_ADDRESS": "3 per 15 minutes"}])
def test_failed_logins_per_address_reach_429(app, client, make_user):
    user = make_user(role=Role.ADMIN)
    for number in range(3):
        response = post_login(client, f"guess{number}@example.org", "wrong", "192.0.2.7")
        assert response.status_code == 200
    assert post_login(client, user.email, PASSWORD, "192.0.2.7").status_code == 429
    assert post_login(client, user.email, PASSWORD, "192.0.2.8").status_code == 302


@pytest.mark.parametrize(
    "app_config",
    [
        {
            "LOGIN_LIMIT_PER_ACCOUNT": "2 per 15 minutes",
            "LOGIN_LIMIT_PER_ADDRESS": "2 per 15 minutes",
        }
    ],
)
def test_successful_logins_do_not_count(client, make_user):
    user = make_user(role=Role.ADMIN)
    for _ in range(4):
        assert login(client, user).status_code == 302
        client.post("/deconnexion")


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_posts_without_csrf_token_are_rejected(client, make_user):
    user = make_user(role=Role.ADMIN)
    assert login(client, user).status_code == 400
    assert session_count(user) == 0

    token = _csrf_token(client.get("/connexion").get_data(as_text=True))
    response = client.post(
        "/connexion", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302

    assert client.post("/deconnexion").status_code == 400
    assert is_signed_in_admin(client)
    assert session_count(user) == 1


def _csrf_token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_preferred_locale_is_stored_when_supported(app, make_user):
    user = make_user()
    set_preferred_locale(user, "en")
    set_preferred_locale(user, "de")
    db.session.commit()
    assert db.session.get(User, user.id).preferred_locale == "en"


@pytest.mark.parametrize("app_config", [{"LOGIN_LIMIT_PER_ADDRESS": "2 per 15 minutes"}])
def test_password_reset_requests_are_rate_limited_per_address(app, client):
    for number in range(2):
        data = {"email": f"someone{number}@example.org"}
        assert client.post("/mot-de-passe/oublie", data=data).status_code == 302
    response = client.post("/mot-de-passe/oublie", data={"email": "third@example.org"})
    assert response.status_code == 429
    assert f"<h1>{shown(app, 'Too many attempts')}</h1>" in response.get_data(as_text=True)


# --- Throttling that spares the owner (OWASP) ----------------------------------------------------


def fifteen_strangers_guess(app, email: str) -> list[int]:
    """15 wrong passwords for email, each from another network address and browser."""
    return [
        post_login(app.test_client(), email, f"guess number {n}", f"198.51.100.{n}").status_code
        for n in range(15)
    ]


def test_fifteen_addresses_do_not_lock_out_the_owner_on_a_known_device(app, client, make_user):
    owner = make_user(role=Role.ADMIN)
    assert post_login(client, owner.email, PASSWORD, "203.0.113.5").status_code == 302
    assert client.get_cookie(DEVICE_COOKIE) is not None
    client.post("/deconnexion")

    answers = fifteen_strangers_guess(app, owner.email)
    assert answers == [200] * 5 + [429] * 10  # the account is throttled for strangers
    # Even with the right password, a browser the account never used waits.
    assert post_login(app.test_client(), owner.email, PASSWORD, "203.0.113.5").status_code == 429
    # The owner's own browser signs in, from home or elsewhere.
    assert post_login(client, owner.email, PASSWORD, "203.0.113.5").status_code == 302
    assert is_signed_in_admin(client)
    client.post("/deconnexion")
    assert post_login(client, owner.email, PASSWORD, "192.0.2.99").status_code == 302


def test_a_password_reset_lifts_the_account_limit(app, make_user):
    owner = make_user(role=Role.ADMIN)
    fifteen_strangers_guess(app, owner.email)
    laptop = app.test_client()
    assert post_login(laptop, owner.email, PASSWORD, "203.0.113.5").status_code == 429

    laptop.post("/mot-de-passe/oublie", data={"email": owner.email}).close()
    assert open_emailed_link(laptop, outbox()[-1]).status_code == 302
    chosen = "a new sentence after the attack"
    response = laptop.post(
        "/mot-de-passe/nouveau",
        data={"password": chosen, "confirm": chosen},
        environ_base={"REMOTE_ADDR": "203.0.113.5"},
    )
    assert response.status_code == 302
    assert is_signed_in_admin(laptop)
    # Any browser may sign in again with the new password; the old one is refused as before.
    assert post_login(app.test_client(), owner.email, chosen, "203.0.113.6").status_code == 302
    assert post_login(app.test_client(), owner.email, PASSWORD, "203.0.113.7").status_code == 200


@pytest.mark.parametrize("app_config", [{"LOGIN_LIMIT_PER_KNOWN_DEVICE": "3 per 15 minutes"}])
def test_a_known_device_has_its_own_limit_and_helps_only_its_accounts(app, client, make_user):
    owner = make_user(role=Role.ADMIN)
    other = make_user(role=Role.ADMIN)
    post_login(client, owner.email, PASSWORD)
    client.post("/deconnexion")
    # The device is known to owner only: guessing another account from it counts as a stranger.
    for _ in range(5):
        assert post_login(client, other.email, "wrong").status_code == 200
    assert post_login(client, other.email, PASSWORD).status_code == 429
    # On owner's account the device has its own, smaller allowance, whatever the address.
    for n in range(3):
        assert post_login(client, owner.email, "wrong", f"192.0.2.{n}").status_code == 200
    assert post_login(client, owner.email, PASSWORD, "192.0.2.50").status_code == 429


def test_a_forged_device_cookie_counts_for_nothing(app, client, make_user):
    owner = make_user(role=Role.ADMIN)
    fifteen_strangers_guess(app, owner.email)
    client.set_cookie(DEVICE_COOKIE, "eyJkIjoieCIsImEiOlsiYWJjIl19.forged.signature", path="/")
    assert post_login(client, owner.email, PASSWORD).status_code == 429


@pytest.mark.parametrize(
    "app_config",
    [
        {
            "LOGIN_LIMIT_PER_ACCOUNT": "10 per 15 minutes",
            "LOGIN_LIMIT_PER_ACCOUNT_ADDRESS": "3 per 15 minutes",
        }
    ],
)
def test_one_address_is_stopped_on_an_account_before_the_account_is(app, make_user):
    owner = make_user(role=Role.ADMIN)
    for _ in range(3):
        assert post_login(app.test_client(), owner.email, "wrong", "192.0.2.7").status_code == 200
    assert post_login(app.test_client(), owner.email, PASSWORD, "192.0.2.7").status_code == 429
    assert post_login(app.test_client(), owner.email, PASSWORD, "192.0.2.8").status_code == 302


def test_the_device_cookie_names_no_address_and_is_http_only(app, client, make_user):
    owner = make_user(role=Role.ADMIN, email="visible@example.org")
    response = post_login(client, owner.email, PASSWORD)
    (header,) = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(DEVICE_COOKIE)]
    assert "HttpOnly" in header and "SameSite=Lax" in header
    payload = header.split("=", 1)[1].split(".")[0]
    assert b"visible" not in base64.urlsafe_b64decode(payload + "==")


@pytest.mark.parametrize("app_config", [{"LOGIN_LIMIT_PER_ADDRESS": "3 per 15 minutes"}])
def test_an_owner_behind_a_busy_address_still_signs_in_from_a_known_device(app, client, make_user):
    owner = make_user(role=Role.ADMIN)
    assert post_login(client, owner.email, PASSWORD, "192.0.2.7").status_code == 302
    client.post("/deconnexion")
    # Someone else on the same network (a shared office or café address) guesses away.
    for n in range(3):
        response = post_login(app.test_client(), f"guess{n}@example.org", "wrong", "192.0.2.7")
        assert response.status_code == 200
    assert post_login(app.test_client(), owner.email, PASSWORD, "192.0.2.7").status_code == 429
    assert post_login(client, owner.email, PASSWORD, "192.0.2.7").status_code == 302
