"""Access-matrix rows and world objects for the stats routes.

Merged by tests/test_access_matrix.py (and so checked by tests/test_accessibility.py too).
The dashboard and its drill-down are for administrators only.
"""

from __future__ import annotations

LOGIN = "login"


def admin_only(code):
    return {"anonymous": LOGIN, "intervenante": 403, "provider": 403, "admin": code}


# (method, endpoint) -> expected answer per role, as in tests/test_access_matrix.py.
ROWS: dict[tuple[str, str], dict[str, int | str]] = {
    ("GET", "stats.dashboard"): admin_only(200),
    ("GET", "stats.coverage"): admin_only(200),
}


def world(provider_org, service, make_user) -> dict:
    """Objects the URLs need: by URL argument name, or by endpoint for explicit values."""
    return {"stats.coverage": {"region": "06", "need": "need.housing"}}
