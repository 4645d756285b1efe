"""Who may do what: the roles, their labels, and the route decorators that check them.

Every feature checks roles; none of them needs the accounts feature to do so.
"""

from __future__ import annotations

import enum
from functools import wraps

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .extensions import login_manager


class Role(enum.Enum):
    INTERVENANTE = "intervenante"
    PROVIDER = "provider"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        """The role's name in the current locale."""
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.INTERVENANTE: _l("Intervenante"),
    Role.PROVIDER: _l("Provider staff"),
    Role.ADMIN: _l("Administrator"),
}


def role_required(*roles: Role):
    """Only signed-in users holding one of roles: anonymous users go to login, others get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def login_required(view):
    """Any signed-in role."""
    return role_required(*Role)(view)
