"""Access-matrix rows for the public help page and the administrators' help-line pages.

Empty forms show themselves again (200), a listing posted empty too (no region chosen). The
world's help line and referring organisation exist; a provider organisation's listing is 404.
"""

from __future__ import annotations

LOGIN = "login"


def everyone(code):
    return {"anonymous": code, "intervenante": code, "provider": code, "admin": code}


def admin_only(code):
    return {"anonymous": LOGIN, "intervenante": 403, "provider": 403, "admin": code}


ROWS: dict[tuple[str, str], dict[str, int | str]] = {
    ("GET", "helplines.get_help"): everyone(200),
    ("GET", "helplines.admin_index"): admin_only(200),
    ("GET", "helplines.new_helpline"): admin_only(200),
    ("POST", "helplines.new_helpline"): admin_only(200),
    ("GET", "helplines.edit_helpline"): admin_only(200),
    ("POST", "helplines.edit_helpline"): admin_only(200),
    ("POST", "helplines.delete_helpline"): admin_only(302),
    ("GET", "helplines.edit_listing"): admin_only(200),
    ("POST", "helplines.edit_listing"): admin_only(200),
}


def world(provider_org, service, make_user) -> dict:
    from cote_a_cote.extensions import db
    from cote_a_cote.helplines.models import Helpline
    from cote_a_cote.roles import Role

    line = Helpline(name_fr="Ligne", name_en="Line", phone="811", position=1, active=True)
    db.session.add(line)
    db.session.commit()
    referrer = make_user(role=Role.INTERVENANTE, email="helplines-matrix@example.org")
    return {
        "helpline_id": line.id,
        "helplines.edit_listing": {"organization_id": referrer.organization_id},
    }
