"""How training follows a change of a provider's staff."""

from __future__ import annotations

from .. import signals
from ..roles import Role
from .services import refresh_organization
from .sessions import release_seats


def _staff_changed(user, **_):
    # The trained status follows at once (the rule counts staff), and someone who leaves gives
    # back their seats in coming sessions to the people waiting.
    if user.role is Role.PROVIDER:
        if not user.active:
            release_seats(user)
        refresh_organization(user.organization)


def connect() -> None:
    """Subscribe training to the signals it reacts to (connecting twice changes nothing)."""
    signals.staff_changed.connect(_staff_changed)
