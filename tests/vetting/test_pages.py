"""The vetting pages: queue, review, decisions through the forms, history, the admin home."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from cote_a_cote.catalogue.models import (
    Organization,
    OrganizationKind,
    OrganizationStatus,
)
from cote_a_cote.extensions import db
from cote_a_cote.mail import outbox
from cote_a_cote.roles import Role
from cote_a_cote.vetting.models import EventAction, OrganizationEvent
from cote_a_cote.vetting.services import latest_change_request
from tests.conftest import shown
from tests.vetting.conftest import NOW


def review_url(org) -> str:
    return f"/admin/verification/organisations/{org.id}"


def events(org) -> list[tuple]:
    return db.session.execute(
        select(OrganizationEvent.action, OrganizationEvent.actor_id, OrganizationEvent.message)
        .where(OrganizationEvent.organization_id == org.id)
        .order_by(OrganizationEvent.id)
    ).all()


def status_of(org) -> OrganizationStatus:
    db.session.expire_all()
    return db.session.get(Organization, org.id).status


def test_queue_lists_submitted_oldest_first_then_those_waiting(app, client, admin, make_org):
    make_org(name="Fictif Récent", status=OrganizationStatus.SUBMITTED, submitted_at=NOW)
    make_org(
        name="Fictif Ancien",
        status=OrganizationStatus.SUBMITTED,
        submitted_at=NOW - timedelta(days=9),
    )
    make_org(name="Fictif En Correction", status=OrganizationStatus.CHANGES_REQUESTED)
    make_org(name="Fictif Approuvé", status=OrganizationStatus.APPROVED)
    page = client.get("/admin/verification/").get_data(as_text=True)
    assert (
        page.index("Fictif Ancien")
        < page.index("Fictif Récent")
        < page.index("Fictif En Correction")
    )
    assert "Fictif Approuvé" not in page
    assert shown(app, "Awaiting review") in page
    assert "(2)" in page and "(1)" in page


def test_review_shows_the_whole_profile(app, client, admin, applicant, reference, make_service):
    org, staff = applicant
    make_service(
        organization=org,
        name_fr="Coupe solidaire",
        terms=("need.self_image",),
        regions=("06",),
        languages=("fr", "es"),
        location={
            "municipality": "Montréal",
            "address_1": "12 rue Cachée",
            "postal_code": "H2X 1Y1",
            "is_confidential": True,
            "region_code": "06",
        },
    )
    page = client.get(review_url(org)).get_data(as_text=True)
    for expected in (
        "Atelier Fictif Lumière",
        "Un atelier de coiffure solidaire.",
        "Coupe solidaire",
        "Montréal",
        "12 rue Cachée",  # administrators see confidential addresses
        "H2X 1Y1",
        "paul@example.org",
        "Paul Pourvoyeur",
    ):
        assert expected in page, expected
    assert "spagnol" in page  # Spanish, named in the page's language
    # The decisions allowed for a submitted application, each as its own form.
    for endpoint in ("demander-des-modifications", "approuver", "refuser"):
        assert f'action="{review_url(org)}/{endpoint}"' in page
    assert f'action="{review_url(org)}/suspendre"' not in page


def test_review_of_an_unknown_or_referring_organisation_is_404(client, admin, make_org):
    referrer = make_org(kind=OrganizationKind.REFERRER)
    assert client.get(review_url(referrer)).status_code == 404
    assert client.get("/admin/verification/organisations/999999").status_code == 404
    assert client.post(f"{review_url(referrer)}/approuver").status_code == 404


def test_request_changes_with_a_message_the_provider_reads(app, client, admin, applicant):
    org, staff = applicant
    outbox().clear()
    response = client.post(
        f"{review_url(org)}/demander-des-modifications",
        data={"changes-message": "Ajoutez l'adresse de votre salon."},
    )
    assert response.status_code == 302
    assert response.location == review_url(org)
    assert status_of(org) is OrganizationStatus.CHANGES_REQUESTED
    assert latest_change_request(org).message == "Ajoutez l'adresse de votre salon."
    assert events(org) == [
        (EventAction.CHANGES_REQUESTED, admin.id, "Ajoutez l'adresse de votre salon.")
    ]
    # The e-mail says that changes are asked for, not what they are.
    [mail] = outbox()
    assert mail["To"] == staff.email
    assert "salon" not in mail.get_content()


def test_a_missing_reason_is_refused_and_nothing_changes(app, client, admin, applicant):
    org, _staff = applicant
    for endpoint, field in (("demander-des-modifications", "changes"), ("refuser", "reject")):
        response = client.post(f"{review_url(org)}/{endpoint}", data={f"{field}-message": "  "})
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert shown(app, "Please write the message; the organisation will read it.") in page
        assert 'aria-invalid="true"' in page
    assert status_of(org) is OrganizationStatus.SUBMITTED
    assert events(org) == []


def test_what_was_typed_is_kept_when_the_form_is_refused(client, admin, applicant):
    org, _staff = applicant
    too_long = "Trop long. " * 500
    response = client.post(f"{review_url(org)}/refuser", data={"reject-message": too_long})
    assert response.status_code == 200
    assert too_long.strip() in response.get_data(as_text=True)
    assert status_of(org) is OrganizationStatus.SUBMITTED


def test_a_decision_not_possible_now_changes_nothing(app, client, admin, make_org):
    org = make_org(status=OrganizationStatus.APPROVED)
    response = client.post(f"{review_url(org)}/approuver", follow_redirects=True)
    assert shown(
        app, "This decision is not possible in the organisation's current status."
    ) in response.get_data(as_text=True)
    assert status_of(org) is OrganizationStatus.APPROVED
    assert events(org) == []


def test_reject_with_a_reason(client, admin, applicant):
    org, _staff = applicant
    client.post(f"{review_url(org)}/refuser", data={"reject-message": "Hors de notre mission."})
    assert status_of(org) is OrganizationStatus.REJECTED
    assert events(org) == [(EventAction.REJECTED, admin.id, "Hors de notre mission.")]


def search_page(client, words: str) -> str:
    return client.get("/recherche", query_string={"q": words}).get_data(as_text=True)


def test_approve_then_suspend_and_reinstate_move_the_organisation_in_search(
    client, admin, applicant, reference, make_service
):
    org, _staff = applicant
    make_service(organization=org, name_fr="Zythologie solidaire fictive")
    assert "Zythologie solidaire fictive" not in search_page(client, "Zythologie")

    client.post(f"{review_url(org)}/approuver", data={"approve-message": ""})
    assert status_of(org) is OrganizationStatus.APPROVED
    assert "Zythologie solidaire fictive" in search_page(client, "Zythologie")

    client.post(f"{review_url(org)}/suspendre", data={"suspend-message": "Plainte à vérifier."})
    assert status_of(org) is OrganizationStatus.SUSPENDED
    assert "Zythologie solidaire fictive" not in search_page(client, "Zythologie")

    client.post(f"{review_url(org)}/retablir", data={"reinstate-message": ""})
    assert status_of(org) is OrganizationStatus.APPROVED
    assert "Zythologie solidaire fictive" in search_page(client, "Zythologie")
    assert [e[0] for e in events(org)] == [
        EventAction.APPROVED,
        EventAction.SUSPENDED,
        EventAction.REINSTATED,
    ]


def test_suspend_needs_a_reason(client, admin, make_org):
    org = make_org(status=OrganizationStatus.APPROVED)
    assert client.post(f"{review_url(org)}/suspendre", data={}).status_code == 200
    assert status_of(org) is OrganizationStatus.APPROVED


@pytest.mark.parametrize("path", ["", "/historique"])
def test_history_shows_who_when_what_and_why(app, client, admin, applicant, path):
    org, _staff = applicant
    client.post(
        f"{review_url(org)}/demander-des-modifications",
        data={"changes-message": "Il manque votre numéro."},
    )
    page = client.get(review_url(org) + path).get_data(as_text=True)
    assert shown(app, "Changes requested") in page
    assert "Il manque votre numéro." in page
    assert "Aline Coordination" in page
    assert "<time datetime=" in page


def test_admin_home_links_the_vetting_queues(app, client, admin, make_org):
    make_org(status=OrganizationStatus.APPROVED, last_verified_at=NOW - timedelta(days=400))
    page = client.get("/admin/").get_data(as_text=True)
    assert 'href="/admin/verification/"' in page
    assert 'href="/admin/verification/revisions"' in page
    assert 'href="/admin/verification/profils-a-confirmer"' in page
    assert re.search(re.escape(shown(app, "Profiles out of date")) + r" \(1\)", page)


@pytest.mark.parametrize("role", [Role.INTERVENANTE, Role.PROVIDER])
def test_other_roles_cannot_decide(client, login_as, applicant, role):
    org, _staff = applicant
    login_as(role)
    assert client.post(f"{review_url(org)}/approuver").status_code == 403
    assert status_of(org) is OrganizationStatus.SUBMITTED
