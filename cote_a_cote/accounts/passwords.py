"""Password hashing with Argon2id (a slow, memory-hard hash)."""

from __future__ import annotations

import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# argon2-cffi's defaults: RFC 9106's low-memory profile (Argon2id, t=3, m=64 MiB, p=4).
PRODUCTION_PARAMETERS = PasswordHasher()
_hasher = PRODUCTION_PARAMETERS


@cache
def _dummy_hash() -> str:
    """Verified against when the e-mail is unknown, so both cases take the same time.

    Made on first use, not at import: hashing takes Argon2's 64 MiB, which every process (each web
    worker, each command) would otherwise carry as its peak memory without ever signing anyone in.
    """
    return _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when password matches; spends the same effort when there is no hash."""
    try:
        return _hasher.verify(password_hash or _dummy_hash(), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def generate_password() -> str:
    """A random password for demo accounts, printed once and never stored in clear."""
    return secrets.token_urlsafe(12)
