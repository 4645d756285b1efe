"""Limits hold whatever the number of web processes: two gunicorn servers share one count.

Two real gunicorn processes serve the same database; the requests alternate between them, as a
load balancer or gunicorn's workers spread them. With the default storage (the app's database)
or Redis, the account's first 429 comes exactly after the configured number of failures, and an
unknown address is limited exactly like a known account. The in-process memory storage is run as
a control: it proves the requests really reached two processes (each counts only its own half).
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from cote_a_cote.roles import Role
from tests.conftest import PASSWORD

GUNICORN = Path(sys.executable).with_name("gunicorn")
PROJECT = Path(__file__).resolve().parent.parent
REDIS_URI = os.environ.get("TEST_REDIS_URI", "redis://127.0.0.1:6379")
REQUIRED = os.environ.get("REQUIRE_BROWSER_TESTS") == "1"  # CI: Redis must be there
ATTEMPTS = 8
LIMIT = 5

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _redis_or_skip() -> None:
    reason = None
    try:
        import redis
    except ImportError:
        reason = "the redis package is not installed"
    else:
        host, port = (
            urllib.parse.urlsplit(REDIS_URI).hostname,
            urllib.parse.urlsplit(REDIS_URI).port,
        )
        try:
            redis.Redis(host=host, port=port or 6379, socket_timeout=2).ping()
        except redis.RedisError as error:
            reason = f"Redis is not reachable at {REDIS_URI} ({type(error).__name__})"
    if reason:
        if REQUIRED:
            pytest.fail(reason + " but REQUIRE_BROWSER_TESTS=1 (CI)")
        pytest.skip(reason + "; the Redis storage test is skipped")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One visitor's cookies; each sign-in goes to the next server in turn."""

    def __init__(self, bases: list[str]):
        self.bases = bases
        self.turn = 0
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), NoRedirect()
        )

    def request(self, url: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(url, data=body, timeout=30) as answer:
                return answer.status, answer.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def sign_in(self, email: str, password: str) -> int:
        """The sign-in form fetched and posted on one server; the next sign-in on the other."""
        base = self.bases[self.turn % len(self.bases)]
        self.turn += 1
        status, page = self.request(base + "/connexion")
        assert status == 200
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        status, _page = self.request(
            base + "/connexion", {"csrf_token": token, "email": email, "password": password}
        )
        return status


@pytest.fixture
def start_servers(app, tmp_path):
    """Start two gunicorn servers (one worker each) on the test's database; stop them after."""
    running: list[subprocess.Popen] = []

    def start(storage_uri: str, **settings: str) -> list[str]:
        env = {
            **os.environ,
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SECRET_KEY": app.config["SECRET_KEY"],
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "MAIL_BACKEND": "memory",
            "SEARCH_INDEX_DIR": str(tmp_path / "search-index"),
            "RATELIMIT_STORAGE_URI": storage_uri,
            # Our own keys in a shared Redis: parallel runs never count each other's attempts.
            "RATELIMIT_KEY_PREFIX": "test-" + secrets.token_hex(6),
            **settings,
        }
        bases = []
        for _ in range(2):
            port = _free_port()
            command = [str(GUNICORN), "--workers", "1", "--bind", f"127.0.0.1:{port}"]
            running.append(
                subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
                    [*command, "cote_a_cote:create_app()"],
                    cwd=PROJECT,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
            bases.append(f"http://127.0.0.1:{port}")
        for base in bases:
            _wait_until_serving(base)
        return bases

    yield start
    # SIGINT is gunicorn's quick shutdown: the test's requests are all answered, and a graceful
    # SIGTERM made each teardown wait ~2-3 s for idle workers.
    for process in running:
        process.send_signal(signal.SIGINT)
    for process in running:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_serving(base: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/connexion", timeout=5) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"gunicorn did not start serving at {base}")


SETTINGS = {
    # Only the account-wide limit can answer 429 here: the others are far away.
    "LOGIN_LIMIT_PER_ACCOUNT": f"{LIMIT} per 15 minutes",
    "LOGIN_LIMIT_PER_ACCOUNT_ADDRESS": "100 per 15 minutes",
    "LOGIN_LIMIT_PER_ADDRESS": "100 per 15 minutes",
}


def failed_attempts(bases: list[str], email: str) -> list[int]:
    browser = Browser(bases)
    return [browser.sign_in(email, "not the password") for _ in range(ATTEMPTS)]


def exact() -> list[int]:
    return [200] * LIMIT + [429] * (ATTEMPTS - LIMIT)


@pytest.mark.parametrize("storage", ["database://", "redis"])
def test_two_processes_share_the_limit_exactly_for_known_and_unknown_addresses(
    start_servers, make_user, storage
):
    if storage == "redis":
        _redis_or_skip()
        storage = REDIS_URI
    user = make_user(role=Role.ADMIN, email="owner@example.org")
    bases = start_servers(storage, **SETTINGS)

    assert failed_attempts(bases, user.email) == exact()
    assert failed_attempts(bases, "nobody-here@example.org") == exact()
    # The right password is refused too while the account is throttled, but another account
    # signs in from the same address.
    assert Browser(bases).sign_in(user.email, PASSWORD) == 429
    other = make_user(role=Role.ADMIN, email="colleague@example.org")
    assert Browser(bases).sign_in(other.email, PASSWORD) == 302


def test_control_each_process_alone_would_count_half(start_servers, make_user):
    """With memory:// (one count per process) the same attempts pass the limit: two processes."""
    user = make_user(role=Role.ADMIN, email="owner@example.org")
    bases = start_servers("memory://", **SETTINGS)
    assert failed_attempts(bases, user.email) == [200] * ATTEMPTS
