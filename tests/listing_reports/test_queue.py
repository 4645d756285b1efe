"""The coordinators' queue: filtered by status, moved along the written transitions, audited."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from cote_a_cote.audit.models import AuditEvent
from cote_a_cote.extensions import db
from cote_a_cote.listing_reports import services
from cote_a_cote.listing_reports.models import (
    ListingReport,
    ListingReportEvent,
    ReportKind,
    ReportStatus,
)
from cote_a_cote.roles import Role
from tests.conftest import login, shown

S = ReportStatus


@pytest.fixture
def filed(listing, make_user):
    """Three reports: one from an intervenante, two from the public."""
    intervenante = make_user(Role.INTERVENANTE, email="inter@example.org", name="Alix Fictive")
    made = [
        services.file_report(
            listing.service, ReportKind.POOR_WELCOME, "Accueil froid.", intervenante
        ),
        services.file_report(
            listing.service, ReportKind.WRONG_INFORMATION, "Mauvais numéro.", None
        ),
        services.file_report(listing.service, ReportKind.CLOSED_OR_MOVED, "Déménagé.", None),
    ]
    db.session.commit()
    return made


def test_the_queue_lists_reports_and_filters_by_status(app, client, listing, filed):
    login(client, listing.admin)
    services.change_status(filed[1], S.FIXED, None, listing.admin)
    db.session.commit()
    page = client.get("/admin/signalements").get_data(as_text=True)
    assert all(f'data-report="{r.id}"' in page for r in filed)
    fixed = client.get("/admin/signalements?status=fixed").get_data(as_text=True)
    assert f'data-report="{filed[1].id}"' in fixed
    assert (
        f'data-report="{filed[0].id}"' not in fixed and f'data-report="{filed[2].id}"' not in fixed
    )
    dismissed = client.get("/admin/signalements?status=dismissed").get_data(as_text=True)
    assert 'id="report-queue-empty"' in dismissed


@pytest.mark.parametrize(
    "query", ["status=stolen", "status=%00", "page=99999999999999999999", "page=-4"]
)
def test_a_bad_filter_shows_everything_with_a_message_never_a_500(
    app, client, listing, filed, query
):
    login(client, listing.admin)
    response = client.get(f"/admin/signalements?{query}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    if query.startswith("status"):
        assert shown(app, "Choose one of the statuses.") in page
        assert all(f'data-report="{r.id}"' in page for r in filed)


def test_the_detail_shows_the_reporter_to_coordinators_only(client, listing, filed):
    login(client, listing.admin)
    page = client.get(f"/admin/signalements/{filed[0].id}").get_data(as_text=True)
    assert "Alix Fictive" in page and "inter@example.org" in page
    assert "Accueil froid." in page


def test_transitions_follow_the_table_and_are_audited_with_a_note(app, client, listing, filed):
    login(client, listing.admin)
    report = filed[1]
    url = f"/admin/signalements/{report.id}/statut"
    assert (
        client.post(url, data={"status": "in_progress", "note": "Appel au pourvoyeur."}).status_code
        == 302
    )
    assert client.post(url, data={"status": "fixed", "note": "Numéro corrigé."}).status_code == 302
    db.session.expire_all()
    report = db.session.get(ListingReport, report.id)
    assert report.status is S.FIXED
    events = db.session.scalars(
        select(ListingReportEvent)
        .where(ListingReportEvent.report_id == report.id)
        .order_by(ListingReportEvent.id)
    ).all()
    assert [(e.from_status, e.to_status, e.note, e.actor_id) for e in events] == [
        (S.NEW, S.IN_PROGRESS, "Appel au pourvoyeur.", listing.admin.id),
        (S.IN_PROGRESS, S.FIXED, "Numéro corrigé.", listing.admin.id),
    ]
    actions = db.session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.object_type == "listing_report", AuditEvent.object_id == report.id)
        .order_by(AuditEvent.id)
    ).all()
    assert actions == [
        "listing_report.create",
        "listing_report.in_progress",
        "listing_report.fixed",
    ]
    page = client.get(f"/admin/signalements/{report.id}").get_data(as_text=True)
    assert "Appel au pourvoyeur." in page and "Numéro corrigé." in page


def test_a_transition_not_in_the_table_is_refused(app, client, listing, filed):
    login(client, listing.admin)
    report = filed[0]
    services.change_status(report, S.FIXED, None, listing.admin)
    db.session.commit()
    # From fixed, only "in progress" (reopening) is allowed.
    response = client.post(
        f"/admin/signalements/{report.id}/statut", data={"status": "dismissed", "note": "Non"}
    )
    assert response.status_code == 200
    assert shown(
        app, "This report cannot move to that status from where it is."
    ) in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ListingReport, report.id).status is S.FIXED
    with pytest.raises(services.ReportError):
        services.change_status(report, S.NEW, None, listing.admin)


def test_the_transitions_table_is_the_rule(listing, filed):
    assert services.TRANSITIONS[S.NEW] == {S.IN_PROGRESS, S.FIXED, S.DISMISSED}
    assert services.TRANSITIONS[S.IN_PROGRESS] == {S.FIXED, S.DISMISSED}
    assert S.NEW not in set().union(*services.TRANSITIONS.values())  # nothing goes back to new
    assert services.allowed_targets(filed[0]) == [S.IN_PROGRESS, S.FIXED, S.DISMISSED]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "dismissed"}, "Say in a note why the report is dismissed."),
        ({"status": "dismissed", "note": "   "}, "Say in a note why the report is dismissed."),
        ({"note": "Rien"}, "Choose the report's new status."),
        (
            {"status": "gone", "note": "Rien"},
            "This report cannot move to that status from where it is.",
        ),
        ({"status": "fixed", "note": "x" * 1001}, "Keep the note to %(max)d characters or fewer."),
        (
            {"status": "fixed", "note": "a\x00b"},
            "The note contains invisible control characters; remove them and try again.",
        ),
    ],
)
def test_bad_status_changes_are_refused_and_keep_the_note(
    app, client, listing, filed, data, message
):
    login(client, listing.admin)
    report = filed[0]
    response = client.post(f"/admin/signalements/{report.id}/statut", data=data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    expected = shown(app, message, max=1000) if "%(max)d" in message else shown(app, message)
    assert expected in page
    if data.get("note", "").strip() and "\x00" not in data["note"]:
        assert data["note"][:40] in page
    db.session.expire_all()
    assert db.session.get(ListingReport, report.id).status is S.NEW
    assert db.session.scalars(select(ListingReportEvent)).all() == []


def test_dismissing_with_a_note_works(client, listing, filed):
    login(client, listing.admin)
    url = f"/admin/signalements/{filed[2].id}/statut"
    assert (
        client.post(
            url, data={"status": "dismissed", "note": "Vérifié : toujours ouvert."}
        ).status_code
        == 302
    )
    db.session.expire_all()
    assert db.session.get(ListingReport, filed[2].id).status is S.DISMISSED


@pytest.mark.parametrize("report_id", ["999999", "2147483648", "99999999999999999999999"])
def test_unknown_reports_answer_404(client, listing, report_id):
    login(client, listing.admin)
    assert client.get(f"/admin/signalements/{report_id}").status_code == 404
    assert (
        client.post(f"/admin/signalements/{report_id}/statut", data={"status": "fixed"}).status_code
        == 404
    )


def test_the_organisation_history_keeps_the_reports(client, listing, filed):
    login(client, listing.admin)
    for url in (
        f"/admin/verification/organisations/{listing.org.id}/historique",
        f"/admin/verification/organisations/{listing.org.id}",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.get_data(as_text=True)
        assert 'id="organization-reports"' in page
        assert all(f"/admin/signalements/{r.id}" in page for r in filed)


def test_the_history_survives_the_service(client, listing, filed):
    from cote_a_cote.revisions.services import delete_service

    delete_service(listing.service)
    db.session.commit()
    login(client, listing.admin)
    page = client.get(f"/admin/signalements/{filed[0].id}").get_data(as_text=True)
    assert "Soins dentaires fictifs" in page
    assert len(services.for_organization(listing.org.id)) == 3


def test_a_file_where_the_status_note_is_expected_is_refused(app, client, listing, filed):
    login(client, listing.admin)
    response = client.post(
        f"/admin/signalements/{filed[0].id}/statut",
        data={"status": "dismissed", "note": (io.BytesIO(b"not a note"), "note.txt")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert shown(app, "Say in a note why the report is dismissed.") in response.get_data(
        as_text=True
    )
