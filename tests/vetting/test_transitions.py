"""decide(): every allowed and every refused status change, reasons, history and notices."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from cote_a_cote.catalogue.models import Organization, OrganizationStatus
from cote_a_cote.extensions import db
from cote_a_cote.mail import outbox
from cote_a_cote.notifications.models import Notification
from cote_a_cote.roles import Role
from cote_a_cote.vetting.models import EventAction, OrganizationEvent
from cote_a_cote.vetting.services import (
    NEEDS_MESSAGE,
    TRANSITIONS,
    VettingError,
    allowed_actions,
    decide,
    history,
    latest_change_request,
    submit_application,
)
from tests.vetting.conftest import NOW

CASES = [
    pytest.param(action, start, start in sources, id=f"{action.value}-from-{start.value}")
    for action, (sources, _target) in TRANSITIONS.items()
    for start in OrganizationStatus
]


def event_count() -> int:
    return db.session.scalar(select(func.count(OrganizationEvent.id)))


@pytest.mark.parametrize(("action", "start", "allowed"), CASES)
def test_each_transition_is_allowed_or_refused_as_the_table_says(
    make_org, make_user, action, start, allowed
):
    org = make_org(status=start)
    admin = make_user(role=Role.ADMIN)
    if allowed:
        event = decide(org, action, admin, "Une raison écrite", now=NOW)
        db.session.commit()
        assert db.session.get(Organization, org.id).status is TRANSITIONS[action][1]
        assert (event.actor_id, event.action, event.message, event.created_at) == (
            admin.id,
            action,
            "Une raison écrite",
            NOW,
        )
    else:
        with pytest.raises(VettingError):
            decide(org, action, admin, "Une raison écrite", now=NOW)
        db.session.rollback()
        assert db.session.get(Organization, org.id).status is start
        assert event_count() == 0


@pytest.mark.parametrize("action", [a for a in EventAction if a not in TRANSITIONS])
def test_actions_outside_the_table_are_refused(make_org, make_user, action):
    org = make_org(status=OrganizationStatus.SUBMITTED)
    with pytest.raises(VettingError):
        decide(org, action, make_user(role=Role.ADMIN), "Pourquoi pas", now=NOW)
    assert org.status is OrganizationStatus.SUBMITTED
    assert event_count() == 0


def test_allowed_actions_follow_the_table(make_org):
    org = make_org(status=OrganizationStatus.SUBMITTED)
    assert set(allowed_actions(org)) == {
        EventAction.CHANGES_REQUESTED,
        EventAction.APPROVED,
        EventAction.REJECTED,
    }
    org.status = OrganizationStatus.APPROVED
    assert allowed_actions(org) == [EventAction.SUSPENDED]


@pytest.mark.parametrize("action", sorted(NEEDS_MESSAGE, key=lambda a: a.value))
@pytest.mark.parametrize("message", [None, "", "   \n "])
def test_reasons_are_required(make_org, make_user, action, message):
    start = next(iter(sorted(TRANSITIONS[action][0], key=lambda s: s.value)))
    org = make_org(status=start)
    with pytest.raises(VettingError):
        decide(org, action, make_user(role=Role.ADMIN), message, now=NOW)
    assert org.status is start
    assert event_count() == 0


def test_history_keeps_who_when_what_and_why(applicant, make_user):
    org, staff = applicant
    admin = make_user(role=Role.ADMIN, name="Aline Coordination")
    decide(org, EventAction.CHANGES_REQUESTED, admin, "Ajoutez vos heures.", now=NOW)
    submit_application(org, staff, now=NOW.replace(hour=15))
    decide(org, EventAction.APPROVED, admin, None, now=NOW.replace(hour=16))
    db.session.commit()
    rows = [(e.action, e.actor_id, e.created_at, e.message) for e in history(org)]
    assert rows == [
        (EventAction.APPROVED, admin.id, NOW.replace(hour=16), None),
        (EventAction.SUBMITTED, staff.id, NOW.replace(hour=15), None),
        (EventAction.CHANGES_REQUESTED, admin.id, NOW, "Ajoutez vos heures."),
    ]


def test_the_provider_reads_the_change_request(applicant, make_user):
    org, staff = applicant
    admin = make_user(role=Role.ADMIN)
    decide(org, EventAction.CHANGES_REQUESTED, admin, "Précisez vos tarifs.", now=NOW)
    db.session.commit()
    assert latest_change_request(org).message == "Précisez vos tarifs."
    kinds = db.session.scalars(
        select(Notification.kind).where(Notification.user_id == staff.id)
    ).all()
    assert kinds == ["application_changes_requested"]
    # Once resubmitted there is nothing left to act on.
    submit_application(org, staff, now=NOW)
    assert latest_change_request(org) is None


def test_approval_starts_the_partnership_and_the_verification_clock(applicant, make_user):
    org, _staff = applicant
    org.stale_notice_sent_at = NOW
    decide(org, EventAction.APPROVED, make_user(role=Role.ADMIN), now=NOW)
    assert org.partner_since == NOW.date()
    assert org.last_verified_at == NOW
    assert org.stale_warning_sent_at is None and org.stale_notice_sent_at is None


def test_submitting_tells_the_administrators_after_the_commit(make_org, make_user):
    org = make_org(name="Atelier Fictif Brouillon", status=OrganizationStatus.DRAFT)
    staff = make_user(role=Role.PROVIDER, organization=org)
    admin = make_user(role=Role.ADMIN, email="team@example.org")
    outbox().clear()
    submit_application(org, staff, now=NOW)
    assert outbox() == []  # nothing leaves before the commit
    db.session.commit()
    assert [m["To"] for m in outbox()] == [admin.email]
    assert org.submitted_at == NOW


def test_a_refused_decision_sends_nothing(applicant, make_user):
    org, _staff = applicant
    outbox().clear()
    with pytest.raises(VettingError):
        decide(org, EventAction.SUSPENDED, make_user(role=Role.ADMIN), "Raison", now=NOW)
    db.session.commit()
    assert outbox() == []
    assert db.session.scalar(select(func.count(Notification.id))) == 0
