"""Access-matrix rows and world objects for the reporting routes.

Merged by tests/test_access_matrix.py (and so checked by tests/test_accessibility.py too).
"""

from __future__ import annotations


def admin_only(code):
    return {"anonymous": "login", "intervenante": 403, "provider": 403, "admin": code}


# (method, endpoint) -> expected answer per role, as in tests/test_access_matrix.py.
# The exports are files (tests/test_accessibility.py checks their type; their content is tested in
# tests/reporting/test_exports.py).
ROWS: dict[tuple[str, str], dict[str, int | str]] = {
    ("GET", "reporting.index"): admin_only(200),
    ("GET", "reporting.funder"): admin_only(200),
    ("GET", "reporting.export_csv"): admin_only(200),
    ("GET", "reporting.export_pdf"): admin_only(200),
    # Highlights (issue 17 §4): posted empty, nothing changes and the report shows again.
    ("GET", "reporting.highlights"): admin_only(200),
    ("POST", "reporting.highlights"): admin_only(302),
}


def world(provider_org, service, make_user) -> dict:
    """Objects the URLs need: by URL argument name, or by endpoint for explicit values."""
    from cote_a_cote.database import utcnow
    from cote_a_cote.reporting.year import year_of

    year = str(year_of(utcnow()).start_year)  # the current year is always offered
    return {
        "reporting.export_csv": {"annee": year},
        "reporting.export_pdf": {"annee": year, "vue": "bailleur"},
        "reporting.highlights": {"annee": year},
    }
