"""Reviewing profile revisions: the queue, the side-by-side difference, publish and return."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from cote_a_cote.catalogue.models import Organization, OrganizationStatus
from cote_a_cote.extensions import db
from cote_a_cote.notifications.models import Notification
from cote_a_cote.revisions import services as portal
from cote_a_cote.revisions.models import (
    ProfileRevision,
    RevisionAction,
    RevisionStatus,
    RevisionTarget,
)
from cote_a_cote.roles import Role
from cote_a_cote.vetting.models import EventAction, OrganizationEvent
from tests.conftest import shown
from tests.vetting.conftest import NOW


@pytest.fixture
def partner(make_org, make_user):
    org = make_org(
        name="Clinique Fictive Aurore",
        status=OrganizationStatus.APPROVED,
        description_fr="Soins dentaires sans jugement.",
        phone="514 555-0100",
        last_verified_at=NOW,
    )
    staff = make_user(role=Role.PROVIDER, organization=org, name="Rita Réception")
    return org, staff


@pytest.fixture
def revision(partner):
    """A pending change of the description, proposed by the partner's staff (the portal's way)."""
    org, staff = partner
    values = portal.organization_values(org)
    values["description_fr"] = "Soins dentaires et hygiène, sans jugement."
    found = portal.save_change(
        org, RevisionTarget.ORGANIZATION, RevisionAction.UPDATE, values, staff, obj=org, now=NOW
    )
    db.session.commit()
    return found


def url(revision, action: str = "") -> str:
    return f"/admin/verification/revisions/{revision.id}" + (f"/{action}" if action else "")


def fresh(revision) -> ProfileRevision:
    db.session.expire_all()
    return db.session.get(ProfileRevision, revision.id)


def test_the_queue_lists_pending_revisions(client, admin, revision):
    page = client.get("/admin/verification/revisions").get_data(as_text=True)
    assert "Clinique Fictive Aurore" in page
    assert f'href="{url(revision)}"' in page


def test_the_page_shows_current_and_proposed_side_by_side(app, client, admin, revision):
    page = client.get(url(revision)).get_data(as_text=True)
    rows = page.split('<tr class="diff__row')[1:]
    changed = [r for r in rows if r.startswith(" diff__row--changed")]
    assert len(changed) == 1
    [row] = changed
    # Marked visually (the class) and in words, for screen readers too.
    assert f'<span class="diff__mark">{shown(app, "changed")}</span>' in row
    text = re.sub(r"<[^>]+>", "", row)
    added = shown(app, "[added]")
    assert text.index("Soins dentaires sans jugement.") < text.index(
        f"Soins dentaires {added} et hygiène, sans jugement."
    )
    # The words that changed are marked, not only the field.
    assert re.search(r'<ins class="diff__word">.*?</span>\s*et hygiène, </ins>', row)
    assert "<del" not in row  # nothing was taken out
    unchanged = [r for r in rows if "514 555-0100" in r]
    assert unchanged and "diff__mark" not in unchanged[0]
    assert '<th scope="col">' in page  # a real table with headers: field, current, proposed


def test_a_changed_word_is_marked_on_both_sides(app, client, admin, partner):
    org, staff = partner
    values = portal.organization_values(org)
    values["description_fr"] = "Soins dentaires sans rendez-vous."
    found = portal.save_change(
        org, RevisionTarget.ORGANIZATION, RevisionAction.UPDATE, values, staff, obj=org, now=NOW
    )
    db.session.commit()
    page = client.get(url(found)).get_data(as_text=True)
    removed = re.findall(r'<del class="diff__word">.*?</span>\s*(.*?)</del>', page)
    added = re.findall(r'<ins class="diff__word">.*?</span>\s*(.*?)</ins>', page)
    assert removed == ["jugement."]
    assert added == ["rendez-vous."]


def test_publishing_makes_the_change_live_and_is_recorded(client, admin, partner, revision):
    org, staff = partner
    response = client.post(url(revision, "publier"))
    assert response.status_code == 302
    assert fresh(revision).status is RevisionStatus.APPROVED
    assert (
        db.session.get(Organization, org.id).description_fr
        == "Soins dentaires et hygiène, sans jugement."
    )
    actions = db.session.scalars(
        select(OrganizationEvent.action).where(OrganizationEvent.actor_id == admin.id)
    ).all()
    assert actions == [EventAction.REVISION_APPROVED]
    kinds = db.session.scalars(
        select(Notification.kind).where(Notification.user_id == staff.id)
    ).all()
    assert kinds == ["revision_approved"]


def test_returning_needs_a_message_and_keeps_the_live_profile(
    app, client, admin, partner, revision
):
    org, _staff = partner
    response = client.post(url(revision, "renvoyer"), data={"return-message": ""})
    assert response.status_code == 200
    assert shown(app, "Please write the message; the organisation will read it.") in (
        response.get_data(as_text=True)
    )
    assert fresh(revision).status is RevisionStatus.PENDING

    response = client.post(url(revision, "renvoyer"), data={"return-message": "Gardez l'ancien."})
    assert response.status_code == 302
    returned = fresh(revision)
    assert (returned.status, returned.message, returned.decided_by_id) == (
        RevisionStatus.RETURNED,
        "Gardez l'ancien.",
        admin.id,
    )
    assert db.session.get(Organization, org.id).description_fr == "Soins dentaires sans jugement."


def test_a_decided_revision_cannot_be_decided_again(app, client, admin, revision):
    client.post(url(revision, "renvoyer"), data={"return-message": "Non."})
    response = client.post(url(revision, "publier"), follow_redirects=True)
    assert shown(app, "This change was already decided.") in response.get_data(as_text=True)
    assert fresh(revision).status is RevisionStatus.RETURNED
    page = client.get(url(revision)).get_data(as_text=True)
    assert url(revision, "publier") not in page  # no decision form any more


def test_an_unknown_revision_is_404(client, admin):
    assert client.get("/admin/verification/revisions/424242").status_code == 404
    assert client.post("/admin/verification/revisions/424242/publier").status_code == 404


def test_the_review_page_links_the_pending_revisions(client, admin, partner, revision):
    org, _staff = partner
    page = client.get(f"/admin/verification/organisations/{org.id}").get_data(as_text=True)
    assert f'href="{url(revision)}"' in page
