"""Role checks for routes: anonymous users go to login, wrong roles get 403."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user

from ..extensions import login_manager
from .models import Role


def role_required(*roles: Role):
    """Allow only signed-in users holding one of roles; others get 403."""

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
