"""Server-side sessions: each sign-in gets a random token whose hash is stored.

The signed cookie only carries the token; deleting the row (logout, deactivation,
password change) signs that browser out everywhere the cookie might have been copied.
"""

from __future__ import annotations

import hashlib
import secrets

from flask import g, session
from flask_login import LoginManager, login_user, logout_user
from sqlalchemy import delete, select

from ..database import utcnow
from ..extensions import db
from .models import User, UserSession

SESSION_KEY = "sid"


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def init_login_manager(manager: LoginManager) -> None:
    manager.login_view = "accounts.login"
    manager.login_message = None
    manager.session_protection = None  # our own server-side session replaces it

    @manager.user_loader
    def load_user(user_id: str) -> User | None:
        token = session.get(SESSION_KEY)
        if not token:
            return None
        record = db.session.scalar(
            select(UserSession).where(UserSession.token_hash == token_digest(token))
        )
        if record is None or str(record.user_id) != user_id:
            return None
        user = db.session.get(User, record.user_id)
        if user is None or not user.active:
            return None
        return user


def forget_cached_user() -> None:
    """Make Flask-Login load the user from this request's cookie, never from an earlier request.

    Flask-Login caches the user in g, which outlives a request whenever one application
    context wraps several requests (as in tests or scripts); a stale user there would let one
    browser act as another.
    """
    g.pop("_login_user", None)


def start_session(user: User) -> None:
    """Sign user in with a brand-new session (nothing from before login survives but the locale)."""
    _forget_current_token()
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale
    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(user_id=user.id, token_hash=token_digest(token)))
    user.last_login_at = utcnow()
    db.session.flush()
    session[SESSION_KEY] = token
    session.permanent = True
    login_user(user, remember=False, fresh=True)


def end_session() -> None:
    """Sign the current browser out and forget its server-side session."""
    _forget_current_token()
    logout_user()
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale


def _forget_current_token() -> None:
    """Delete this browser's server-side session, if it has one (no id outlives a sign-in)."""
    token = session.get(SESSION_KEY)
    if token:
        db.session.execute(delete(UserSession).where(UserSession.token_hash == token_digest(token)))


def end_all_sessions(user: User) -> None:
    """Sign user out of every browser (deactivation, password change)."""
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))
