"""Access-matrix rows for shortlists: intervenantes only. The world's list belongs to another
intervenante of another organisation, so every page about it answers 404 (the loader); an empty
new list or an empty "add" form shows itself again (200).
"""

from __future__ import annotations

LOGIN = "login"


def intervenante_only(code):
    return {"anonymous": LOGIN, "intervenante": code, "provider": 403, "admin": 403}


ROWS: dict[tuple[str, str], dict[str, int | str]] = {
    ("GET", "shortlists.index"): intervenante_only(200),
    ("POST", "shortlists.index"): intervenante_only(200),
    ("GET", "shortlists.detail"): intervenante_only(404),
    ("POST", "shortlists.rename"): intervenante_only(404),
    ("POST", "shortlists.delete"): intervenante_only(404),
    ("POST", "shortlists.move"): intervenante_only(404),
    ("POST", "shortlists.note"): intervenante_only(404),
    ("POST", "shortlists.remove"): intervenante_only(404),
    ("GET", "shortlists.print_sheet"): intervenante_only(404),
    ("GET", "shortlists.add"): intervenante_only(200),
    ("POST", "shortlists.add"): intervenante_only(200),
}


def world(provider_org, service, make_user) -> dict:
    from cote_a_cote.extensions import db
    from cote_a_cote.roles import Role
    from cote_a_cote.shortlists import services

    owner = make_user(role=Role.INTERVENANTE, email="shortlist-owner@example.org")
    shortlist = services.create(owner, "Liste privée")
    entry = services.add_service(shortlist, service)
    db.session.commit()
    return {
        "shortlist_id": shortlist.id,
        "entry_id": entry.id,
        "shortlists.move": {
            "shortlist_id": shortlist.id,
            "entry_id": entry.id,
            "direction": "monter",
        },
        "shortlists.add": {"service": service.id},
    }
