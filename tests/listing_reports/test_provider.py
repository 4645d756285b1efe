"""The provider hears of information problems, never of who reported, and only of its own."""

from __future__ import annotations

from sqlalchemy import select

from cote_a_cote.extensions import db
from cote_a_cote.listing_reports import services
from cote_a_cote.listing_reports.models import ListingReport, ReportKind, ReportStatus
from cote_a_cote.mail import outbox
from cote_a_cote.notifications.models import Notification
from cote_a_cote.notifications.services import text
from cote_a_cote.roles import Role
from tests.conftest import login, shown

from .conftest import post_report


def _notes(user) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)))


def test_the_provider_is_told_of_an_information_problem_without_the_reporter(
    app, client, make_user, listing
):
    reporter = make_user(Role.INTERVENANTE, email="alix@example.org", name="Alix Fictive")
    login(client, reporter)
    outbox().clear()
    note = "Le service a déménagé rue Fictive."
    assert (
        post_report(client, listing.service.id, kind="closed_or_moved", note=note).status_code
        == 302
    )
    report = db.session.scalar(select(ListingReport))
    assert report.provider_told_at is not None

    [told] = _notes(listing.staff)
    assert told.kind == "listing_report_closed_or_moved"
    assert told.endpoint == "listing_reports.provider_detail"
    assert told.endpoint_args == {"report_id": report.id}
    sentence = text(told, "fr")
    assert sentence == shown(
        app,
        "A report says a service of %(organization)s has closed or moved.",
        organization="Clinique fictive Boréale",
    )
    for secret in ("Alix", "alix@example.org", str(reporter.id), "déménagé rue"):
        assert secret not in str(told.params) and secret not in sentence
    # The e-mail says what happened and where to look, nothing more.
    [mail] = [m for m in outbox() if m["To"] == "staff@example.org"]
    body = mail.get_body(("plain",)).get_content()
    assert "Alix" not in body and "alix@example.org" not in body and "déménagé rue" not in body
    # The coordinators are told too.
    assert [n.kind for n in _notes(listing.admin)] == ["listing_report_new"]

    # In the portal: the kind, the date, the note, and never the reporter.
    client.post("/deconnexion")
    login(client, listing.staff)
    overview = client.get("/portail/").get_data(as_text=True)
    assert 'id="provider-reports"' in overview and "Soins dentaires fictifs" in overview
    detail = client.get(f"/portail/signalements/{report.id}").get_data(as_text=True)
    assert note in detail
    assert "Alix" not in detail and "alix@example.org" not in detail
    listing_page = client.get("/portail/signalements").get_data(as_text=True)
    assert f"/portail/signalements/{report.id}" in listing_page


def test_a_poor_welcome_stays_with_the_coordinators(app, client, listing):
    outbox().clear()
    assert (
        post_report(
            client, listing.service.id, kind="poor_welcome", note="On m’a jugée."
        ).status_code
        == 302
    )
    assert (
        post_report(client, listing.service.id, kind="other", note="Autre chose.").status_code
        == 302
    )
    assert _notes(listing.staff) == []
    assert all(m["To"] != "staff@example.org" for m in outbox())
    assert len(_notes(listing.admin)) == 2
    reports = db.session.scalars(select(ListingReport).order_by(ListingReport.id)).all()
    assert all(r.provider_told_at is None for r in reports)
    login(client, listing.staff)
    assert 'id="provider-reports"' not in client.get("/portail/").get_data(as_text=True)
    page = client.get("/portail/signalements").get_data(as_text=True)
    assert "On m’a jugée." not in page and 'id="provider-reports-empty"' in page
    for report in reports:
        assert client.get(f"/portail/signalements/{report.id}").status_code == 404


def test_another_organisations_report_answers_404(
    client, make_org, make_service, make_user, listing
):
    other_org = make_org(name="Autre clinique fictive")
    other_service = make_service(organization=other_org)
    theirs = services.file_report(
        other_service, ReportKind.WRONG_INFORMATION, "Heures fausses.", None
    )
    ours = services.file_report(listing.service, ReportKind.WRONG_INFORMATION, "Numéro faux.", None)
    db.session.commit()
    login(client, listing.staff)
    assert client.get(f"/portail/signalements/{theirs.id}").status_code == 404
    assert client.get(f"/portail/signalements/{ours.id}").status_code == 200
    page = client.get("/portail/signalements").get_data(as_text=True)
    assert (
        "Numéro faux." not in page
    )  # the list names the service and the kind, the detail the note
    assert (
        f"/portail/signalements/{ours.id}" in page
        and f"/portail/signalements/{theirs.id}" not in page
    )
    for bad in ("2147483648", "99999999999999999999999"):
        assert client.get(f"/portail/signalements/{bad}").status_code == 404


def test_closed_reports_leave_the_providers_list(app, client, listing):
    report = services.file_report(
        listing.service, ReportKind.WRONG_INFORMATION, "Numéro faux.", None
    )
    db.session.commit()
    services.change_status(
        report, ReportStatus.FIXED, "Note interne de la coordination", listing.admin
    )
    db.session.commit()
    login(client, listing.staff)
    page = client.get("/portail/signalements").get_data(as_text=True)
    assert f"/portail/signalements/{report.id}" not in page
    assert shown(app, "Nothing to check.") in page
    # The coordinator's note is never shown to the provider.
    assert "Note interne de la coordination" not in client.get(
        f"/portail/signalements/{report.id}"
    ).get_data(as_text=True)
