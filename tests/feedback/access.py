"""Access-matrix rows for /avis (anyone; an empty answer shows the form again) and the
provider's page of people's opinions (provider staff only). Merged by tests/test_access_matrix.py.
"""

from __future__ import annotations

LOGIN = "login"


def everyone(code):
    return {"anonymous": code, "intervenante": code, "provider": code, "admin": code}


ROWS: dict[tuple[str, str], dict[str, int | str]] = {
    ("GET", "feedback.give"): everyone(200),
    ("POST", "feedback.give"): everyone(200),
    ("GET", "feedback.provider_page"): {
        "anonymous": LOGIN,
        "intervenante": 403,
        "provider": 200,
        "admin": 403,
    },
}


def world(provider_org, service, make_user) -> dict:
    return {}
