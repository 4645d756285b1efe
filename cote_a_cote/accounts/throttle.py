"""Sign-in throttling that slows an attacker down without locking the owner out (OWASP).

A failed sign-in counts against every limit that applies to the request:

- a browser the account signed in from before (a *known device*, remembered by a signed cookie)
  obeys only LOGIN_LIMIT_PER_KNOWN_DEVICE, counted for that account and that browser;
- any other request obeys LOGIN_LIMIT_PER_ADDRESS (any account from its network address, a
  decorator on the route), LOGIN_LIMIT_PER_ACCOUNT_ADDRESS (the account from its address) and
  LOGIN_LIMIT_PER_ACCOUNT (the account from anywhere). The owner's successful password reset clears
  the account's counters, and the browser that reset becomes a known device.

So many addresses guessing one password slow each other down but never the owner on a browser they
used before, nor the owner who resets the password. Counters are keyed on a keyed digest of the
address as typed, computed alike whether or not an account has it: unknown and known addresses are
limited identically. Counters live in the limiter's storage, shared by every worker.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import abort, current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from limits import parse
from werkzeug.wrappers import Response

from ..config import settings
from ..extensions import limiter
from .services import normalise_email

DEVICE_COOKIE = "cac_device"
DEVICE_COOKIE_PATH = "/"
MAX_ACCOUNTS_PER_DEVICE = 5  # a shared computer remembers a few accounts, not a directory


def _digest(kind: str, value: str) -> str:
    key = settings().secret_key.encode()
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:40]


def account_digest(email: str | None) -> str:
    """A keyed digest of the e-mail address: the limiter's store never holds one, even hashed."""
    return _digest("account", normalise_email(email))


def network_digest() -> str:
    """A keyed digest of the request's network address, for the same reason."""
    return _digest("network", request.remote_addr or "unknown")


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings().secret_key, salt="known-device")


def _device() -> dict:
    """This browser's known-device record ({"d": id, "a": [account digests]}), or an empty one."""
    value = request.cookies.get(DEVICE_COOKIE)
    if value:
        max_age = settings().known_device_days * 86400
        try:
            data = _serializer().loads(value, max_age=max_age)
        except BadSignature:
            data = None
        if isinstance(data, dict) and isinstance(data.get("a"), list):
            return data
    return {"d": None, "a": []}


def is_known_device(email: str | None) -> bool:
    """True when this browser signed in to the account with this address before."""
    return account_digest(email) in _device()["a"]


def _limits(email: str) -> list[tuple[str, str, tuple[str, ...]]]:
    """(setting, its rate, identifiers) of each account limit this request obeys."""
    account = account_digest(email)
    limits = settings()
    if is_known_device(email):
        device = ("login-device", account, _device()["d"])
        return [("LOGIN_LIMIT_PER_KNOWN_DEVICE", limits.login_limit_per_known_device, device)]
    return [
        (
            "LOGIN_LIMIT_PER_ACCOUNT_ADDRESS",
            limits.login_limit_per_account_address,
            ("login-account-address", account, network_digest()),
        ),
        ("LOGIN_LIMIT_PER_ACCOUNT", limits.login_limit_per_account, ("login-account", account)),
    ]


def _item(rate: str):
    return parse(rate)


def _prefixed(identifiers: tuple[str, ...]) -> tuple[str, ...]:
    prefix = settings().ratelimit_key_prefix
    return (prefix, *identifiers) if prefix else identifiers


def check_sign_in_allowed(email: str) -> None:
    """Answer 429 when a limit on this account, as it applies to this request, is used up."""
    for setting, rate, identifiers in _limits(email):
        if not limiter.limiter.test(_item(rate), *_prefixed(identifiers)):
            current_app.logger.info("Sign-in throttled (%s)", setting)
            abort(429)


def record_failure(email: str) -> None:
    """Count a refused sign-in against every account limit that applies to this request."""
    for _setting, rate, identifiers in _limits(email):
        limiter.limiter.hit(_item(rate), *_prefixed(identifiers))


def forgive_account(email: str) -> None:
    """The owner proved control of the address (password reset): lift the account-wide limit."""
    account = account_digest(email)
    limiter.limiter.clear(
        _item(settings().login_limit_per_account), *_prefixed(("login-account", account))
    )
    limiter.limiter.clear(
        _item(settings().login_limit_per_account_address),
        *_prefixed(("login-account-address", account, network_digest())),
    )


def remember_device(response: Response, email: str) -> Response:
    """Mark this browser as a known device of the account (a signed, HttpOnly cookie)."""
    device = _device()
    account = account_digest(email)
    accounts = [account] + [a for a in device["a"] if a != account]
    value = _serializer().dumps(
        {"d": device["d"] or secrets.token_urlsafe(16), "a": accounts[:MAX_ACCOUNTS_PER_DEVICE]}
    )
    response.set_cookie(
        DEVICE_COOKIE,
        value,
        max_age=settings().known_device_days * 86400,
        path=DEVICE_COOKIE_PATH,
        secure=settings().session_cookie_secure,
        httponly=True,
        samesite="Lax",
    )
    return response
