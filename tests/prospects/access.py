"""Access-matrix rows and world objects for partner recruitment (issue 17 §5).

Intervenantes and administrators suggest; the prospect list is for administrators only. Forms
posted empty show themselves again (200).
"""

from __future__ import annotations

LOGIN = "login"


def admin_only(code):
    return {"anonymous": LOGIN, "intervenante": 403, "provider": 403, "admin": code}


ROWS: dict[tuple[str, str], dict[str, int | str]] = {
    ("GET", "prospects.suggest"): {
        "anonymous": LOGIN,
        "intervenante": 200,
        "provider": 403,
        "admin": 200,
    },
    ("POST", "prospects.suggest"): {
        "anonymous": LOGIN,
        "intervenante": 200,
        "provider": 403,
        "admin": 200,
    },
    ("GET", "prospects.index"): admin_only(200),
    ("GET", "prospects.detail"): admin_only(200),
    ("POST", "prospects.set_status"): admin_only(200),
    ("POST", "prospects.follow_up"): admin_only(302),
    ("POST", "prospects.invite"): admin_only(200),
    ("POST", "prospects.link"): admin_only(200),
}


def world(provider_org, service, make_user) -> dict:
    """A prospect suggested by an intervenante."""
    from sqlalchemy import select

    from cote_a_cote.catalogue.models import Taxonomy, TaxonomyTerm
    from cote_a_cote.extensions import db
    from cote_a_cote.prospects.models import Prospect

    sector = db.session.scalars(
        select(TaxonomyTerm).join(Taxonomy).where(Taxonomy.code == "sector")
    ).first()
    prospect = Prospect(
        name="Clinique dentaire imaginaire", sector_id=sector.id, region_code="06", why="Accueil"
    )
    db.session.add(prospect)
    db.session.commit()
    return {"prospect_id": prospect.id}
