"""Access-matrix rows and world objects for the person's pages (issue 12 §1).

Merged by tests/test_access_matrix.py. The world's referral (and so its person) belongs to
another intervenante: the signed-in intervenante gets 404 from the loader; other roles 403.
"""

from __future__ import annotations

LOGIN = "login"


def intervenante_only(code):
    return {"anonymous": LOGIN, "intervenante": code, "provider": 403, "admin": 403}


ROWS: dict[tuple[str, str], dict[str, int | str]] = {
    ("GET", "referrals.person"): intervenante_only(404),
    ("GET", "referrals.person_handout"): intervenante_only(404),
}


def world(provider_org, service, make_user) -> dict:
    """The person of the referral the matrix's world sent to service."""
    from sqlalchemy import select

    from cote_a_cote.extensions import db
    from cote_a_cote.referrals.models import Referral

    person_id = db.session.scalar(
        select(Referral.person_id).where(Referral.service_id == service.id).limit(1)
    )
    return {"person_id": person_id}
