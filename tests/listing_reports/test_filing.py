"""Anyone who sees a listed service can report a problem on it; bad input is refused clearly."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from cote_a_cote.audit.models import AuditEvent
from cote_a_cote.catalogue.models import OrganizationStatus, Visibility
from cote_a_cote.config import update_settings
from cote_a_cote.extensions import db
from cote_a_cote.listing_reports.models import ListingReport, ReportKind, ReportStatus
from cote_a_cote.roles import Role
from tests.conftest import login, shown

from .conftest import post_report, report_url


def _reports() -> list[ListingReport]:
    return list(db.session.scalars(select(ListingReport).order_by(ListingReport.id)))


def test_the_service_page_links_to_the_report_form(client, listing):
    page = client.get(f"/services/{listing.service.id}").get_data(as_text=True)
    assert f'href="{report_url(listing.service.id)}"' in page
    form = client.get(report_url(listing.service.id)).get_data(as_text=True)
    assert "Soins dentaires fictifs" in form
    # Every kind is offered; nothing identifying is asked, and the hint says not to write any.
    for kind in ReportKind:
        assert f'value="{kind.value}"' in form
    assert 'name="email"' not in form and 'name="name"' not in form and 'name="phone"' not in form
    assert shown(client.application, "You are not signed in: the report is anonymous.") in form


def test_the_public_reports_anonymously(app, client, listing):
    response = post_report(client, listing.service.id, note="  Le numéro ne répond plus.  ")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/services/{listing.service.id}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert shown(app, "Thank you: your report was sent to the coordinating team.") in page
    [report] = _reports()
    assert report.reporter_id is None
    assert report.kind is ReportKind.WRONG_INFORMATION
    assert report.status is ReportStatus.NEW
    assert report.note == "Le numéro ne répond plus."
    assert report.organization_id == listing.org.id
    assert report.service_name == "Soins dentaires fictifs"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.object_type == "listing_report"))
    assert (event.action, event.object_id, event.actor_id) == (
        "listing_report.create",
        report.id,
        None,
    )
    assert event.remote_addr is None  # the public's address is not kept with its report


def test_a_signed_in_intervenante_reports_under_her_account(client, make_user, listing):
    intervenante = make_user(Role.INTERVENANTE, email="inter@example.org")
    login(client, intervenante)
    form = client.get(report_url(listing.service.id)).get_data(as_text=True)
    assert (
        shown(
            client.application,
            "The coordinating team sees that the report comes from your account; "
            "the provider never does.",
        )
        in form
    )
    assert (
        post_report(
            client, listing.service.id, kind="poor_welcome", note="Accueil froid."
        ).status_code
        == 302
    )
    [report] = _reports()
    assert report.reporter_id == intervenante.id
    assert report.kind is ReportKind.POOR_WELCOME


def test_signed_in_people_are_not_rate_limited(client, make_user, listing, app):
    update_settings(app, {"LISTING_REPORT_LIMIT_PER_ADDRESS": "1 per hour"})
    login(client, make_user(Role.INTERVENANTE))
    for _ in range(3):
        assert post_report(client, listing.service.id).status_code == 302
    assert len(_reports()) == 3


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"note": "Rien"}, "kind", "Choose what kind of problem it is."),
        ({"kind": "stolen", "note": "Rien"}, "kind", "Choose one of the problems listed."),
        ({"kind": "other", "note": "   "}, "note", "Describe the problem in a few words."),
        ({"kind": "other"}, "note", "Describe the problem in a few words."),
        (
            {"kind": "other", "note": "é" * 1001},
            "note",
            "Keep the note to %(max)d characters or fewer.",
        ),
        (
            {"kind": "other", "note": "Fermé\x00 depuis"},
            "note",
            "The note contains invisible control characters; remove them and try again.",
        ),
        (
            {"kind": "other", "note": "Fermé\x1b[31m"},
            "note",
            "The note contains invisible control characters; remove them and try again.",
        ),
    ],
)
def test_bad_input_is_refused_and_keeps_what_was_typed(app, client, listing, data, field, message):
    response = client.post(report_url(listing.service.id), data=data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert (
        shown(app, message, max=1000) in page
        if "%(max)d" in message
        else shown(app, message) in page
    )
    assert f'id="{field}-error"' in page
    assert _reports() == []
    if data.get("note", "").strip() and "\x00" not in data["note"] and "\x1b" not in data["note"]:
        assert data["note"].strip()[:50] in page  # what was typed is still there
    if data.get("kind") == "other":
        assert re.search(r'<input checked[^>]*value="other"', page)


def test_a_note_of_exactly_the_limit_is_accepted(client, listing):
    assert post_report(client, listing.service.id, note="x" * 1000).status_code == 302
    assert len(_reports()[0].note) == 1000


def test_line_breaks_are_ordinary_typing(client, listing):
    assert (
        post_report(client, listing.service.id, note="Ligne 1\r\nLigne 2\tfin").status_code == 302
    )


@pytest.mark.parametrize("service_id", ["999999", "2147483648", "99999999999999999999999"])
def test_unknown_services_answer_404(client, listing, service_id):
    assert client.get(f"/services/{service_id}/signaler").status_code == 404
    assert (
        client.post(
            f"/services/{service_id}/signaler", data={"kind": "other", "note": "x"}
        ).status_code
        == 404
    )
    assert _reports() == []


@pytest.mark.parametrize(
    ("status", "visibility"),
    [
        (OrganizationStatus.DRAFT, Visibility.PUBLIC),
        (OrganizationStatus.SUSPENDED, Visibility.PUBLIC),
        (OrganizationStatus.APPROVED, Visibility.INTERVENANTES),
    ],
)
def test_hidden_services_answer_404_to_the_public(
    client, make_org, make_service, reference, status, visibility
):
    hidden = make_service(organization=make_org(status=status, visibility=visibility))
    assert client.get(report_url(hidden.id)).status_code == 404
    assert post_report(client, hidden.id).status_code == 404
    assert _reports() == []


def test_an_intervenantes_only_service_can_be_reported_by_an_intervenante(
    client, make_org, make_service, make_user, reference
):
    shared = make_service(organization=make_org(visibility=Visibility.INTERVENANTES))
    login(client, make_user(Role.INTERVENANTE))
    assert post_report(client, shared.id).status_code == 302
    assert db.session.scalar(select(func.count(ListingReport.id))) == 1


def test_the_form_works_in_english(client, listing):
    client.post("/langue", data={"locale": "en"})
    page = client.get(report_url(listing.service.id)).get_data(as_text=True)
    assert "Report a problem" in page and "Closed or moved" in page


def test_a_file_where_the_note_is_expected_is_refused(app, client, listing):
    response = client.post(
        report_url(listing.service.id),
        data={"kind": "other", "note": (io.BytesIO(b"%PDF-1.4 not a note"), "note.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert shown(app, "Describe the problem in a few words.") in response.get_data(as_text=True)
    assert _reports() == []


def test_a_huge_note_is_refused_without_a_500(app, client, listing):
    response = post_report(client, listing.service.id, note="x" * 200_000)
    assert response.status_code in (200, 413)
    assert _reports() == []
