"""Access-matrix rows and world objects for the reports on a listing.

Merged by tests/test_access_matrix.py (and so opened by tests/test_accessibility.py too). The
world's report is about the world's provider, not the signed-in provider's organisation: its
portal page answers 404 to provider staff. The report form is shown again when posted empty (200),
as is the status form.
"""

from __future__ import annotations

LOGIN = "login"


def everyone(code):
    return {"anonymous": code, "intervenante": code, "provider": code, "admin": code}


def admin_only(code):
    return {"anonymous": LOGIN, "intervenante": 403, "provider": 403, "admin": code}


def portal_only(code):
    return {"anonymous": LOGIN, "intervenante": 403, "provider": code, "admin": 403}


ROWS: dict[tuple[str, str], dict[str, int | str]] = {
    ("GET", "listing_reports.report"): everyone(200),
    ("POST", "listing_reports.report"): everyone(200),
    ("GET", "listing_reports.queue"): admin_only(200),
    ("GET", "listing_reports.admin_detail"): admin_only(200),
    ("POST", "listing_reports.change_status"): admin_only(200),
    ("GET", "listing_reports.provider_list"): portal_only(200),
    ("GET", "listing_reports.provider_detail"): portal_only(404),
}


def world(provider_org, service, make_user) -> dict:
    """An information report on the world's service, from someone not signed in."""
    from cote_a_cote.extensions import db
    from cote_a_cote.listing_reports.models import ListingReport, ReportKind

    report = ListingReport(
        service_id=service.id,
        organization_id=provider_org.id,
        service_name=service.name_fr,
        kind=ReportKind.WRONG_INFORMATION,
        note="Le numéro de téléphone ne répond plus (matrice).",
    )
    db.session.add(report)
    db.session.commit()
    return {"report_id": report.id}
