"""Access-matrix rows and world objects for the closures and pauses of a service (issue 17 §1).

The world's service belongs to the world's provider, not to the signed-in provider's organisation:
every route answers 404 to that one.
"""

from __future__ import annotations

LOGIN = "login"


def portal_only(code):
    return {"anonymous": LOGIN, "intervenante": 403, "provider": code, "admin": 403}


ROWS: dict[tuple[str, str], dict[str, int | str]] = {
    ("GET", "closures.page"): portal_only(404),
    ("POST", "closures.add"): portal_only(404),
    ("GET", "closures.edit"): portal_only(404),
    ("POST", "closures.edit"): portal_only(404),
    ("POST", "closures.remove"): portal_only(404),
    ("POST", "closures.pause"): portal_only(404),
    ("POST", "closures.end_pause"): portal_only(404),
}


def world(provider_org, service, make_user) -> dict:
    """A closure of the world's service."""
    from datetime import timedelta

    from cote_a_cote.catalogue.models import Closure
    from cote_a_cote.database import utcnow
    from cote_a_cote.extensions import db

    today = utcnow().date()
    closure = Closure(starts_on=today + timedelta(days=30), ends_on=today + timedelta(days=31))
    service.closures.append(closure)
    db.session.commit()
    return {"closure_id": closure.id}
