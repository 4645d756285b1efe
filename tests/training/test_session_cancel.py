"""Issue 17 §2: an administrator cancels a session. Everyone enrolled or waiting is told (in the
app and by e-mail, with the module and the date only); the session takes no more enrolment,
attendance or reminder, and shows as cancelled. Pages are read in French; names are fictional."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from sqlalchemy import select

from cote_a_cote.audit.models import AuditEvent
from cote_a_cote.database import utcnow
from cote_a_cote.extensions import db
from cote_a_cote.mail import outbox
from cote_a_cote.notifications.models import Notification
from cote_a_cote.notifications.services import link
from cote_a_cote.roles import Role
from cote_a_cote.training import sessions
from cote_a_cote.training.models import EnrolmentStatus, SessionEnrolment, SessionLanguage
from cote_a_cote.training.services import TrainingError, local_day
from tests.conftest import login

REASON = "La formatrice fictive Mu est absente."


@pytest.fixture
def clinic(make_org):
    return make_org("Clinique Fictive Mu")


@pytest.fixture
def admin(make_user):
    return make_user(role=Role.ADMIN, name="Coordination Mu")


@pytest.fixture
def session_of(modules, admin):
    def factory(days=1, seats=1):
        data = sessions.SessionInput(
            module_id=modules["trauma_informed"].id,
            day=local_day(utcnow()) + timedelta(days=days),
            starts=time(9, 0),
            ends=time(12, 0),
            place="Salle fictive Mu",
            online_url=None,
            seats=seats,
            language=SessionLanguage.FR,
        )
        created = sessions.save_session(data, admin)
        db.session.commit()
        return created

    return factory


def _kinds(user) -> list[str]:
    return list(
        db.session.scalars(select(Notification.kind).where(Notification.user_id == user.id))
    )


def _status(session, user) -> EnrolmentStatus:
    return db.session.scalar(
        select(SessionEnrolment.status).where(
            SessionEnrolment.session_id == session.id, SessionEnrolment.user_id == user.id
        )
    )


def test_cancelling_tells_everyone_and_closes_the_session(session_of, clinic, staff, admin):
    session = session_of(days=1, seats=1)  # tomorrow: reminders would be due
    seated, waiting, gone = (staff(clinic, name=n) for n in ("Assise Mu", "Attend Mu", "Partie"))
    for person in (seated, waiting, gone):
        sessions.enrol(session, person, person)
    sessions.cancel_enrolment(
        db.session.scalar(select(SessionEnrolment).where(SessionEnrolment.user_id == gone.id)),
        gone,
    )
    db.session.commit()
    assert _status(session, waiting) is EnrolmentStatus.WAITING
    outbox().clear()

    with pytest.raises(TrainingError):
        sessions.cancel_session(session, "  ", admin)  # a reason is required
    assert sessions.cancel_session(session, REASON, admin) == 2
    db.session.commit()
    assert session.cancelled_at is not None and session.cancelled_by_id == admin.id
    assert session.cancellation_reason == REASON
    assert {_status(session, p) for p in (seated, waiting)} == {EnrolmentStatus.CANCELLED}
    assert "training_session_cancelled" in _kinds(seated)
    assert "training_session_cancelled" in _kinds(waiting)
    assert "training_session_cancelled" not in _kinds(gone)
    told = db.session.scalar(select(Notification).where(Notification.user_id == waiting.id))
    assert link(told) == f"/portail/formation/seances/{session.id}"  # where the reason is shown
    assert sorted(m["To"] for m in outbox()) == sorted([seated.email, waiting.email])
    assert all("formatrice" not in m.get_content() for m in outbox())  # no reason by e-mail
    assert db.session.scalar(
        select(AuditEvent.id).where(AuditEvent.action == "training.session_cancel")
    )

    # No reminder, no enrolment, no second cancellation, no change, no longer offered.
    assert sessions.send_session_reminders() == 0
    with pytest.raises(TrainingError):
        sessions.enrol(session, seated, seated)
    with pytest.raises(TrainingError):
        sessions.cancel_session(session, REASON, admin)
    assert session not in sessions.upcoming_sessions()
    assert session in sessions.upcoming_sessions(include_cancelled=True)


def test_a_session_that_has_begun_cannot_be_cancelled(session_of, clinic, staff, admin):
    session = session_of(days=1)
    person = staff(clinic, name="Présente Mu")
    sessions.enrol(session, person, person)
    db.session.commit()
    during = session.starts_at + timedelta(minutes=30)
    with pytest.raises(TrainingError):
        sessions.cancel_session(session, REASON, admin, now=during)
    db.session.rollback()
    assert session.cancelled_at is None
    # Attendance is refused once a session is cancelled.
    sessions.cancel_session(session, REASON, admin)
    enrolment = db.session.scalar(select(SessionEnrolment))
    with pytest.raises(TrainingError):
        sessions.set_attendance(enrolment, True, admin, now=during)


def test_an_administrator_cancels_from_the_page_and_staff_see_why(
    app, client, session_of, clinic, staff, admin
):
    session = session_of(days=3, seats=5)
    person = staff(clinic, name="Inscrite Mu")
    sessions.enrol(session, person, person)
    db.session.commit()
    login(client, admin)
    url = f"/admin/formation/seances/{session.id}/annuler"
    blank = client.post(url, data={"reason": " "})
    assert blank.status_code == 200 and "Dites pourquoi la séance est annulée." in blank.get_data(
        as_text=True
    )
    assert client.post(url, data={"reason": REASON}).status_code == 302
    page = client.get(f"/admin/formation/seances/{session.id}").get_data(as_text=True)
    assert "Cette séance est annulée." in page and REASON in page
    assert url not in page  # nothing left to cancel

    staff_client = app.test_client()
    login(staff_client, person)
    mine = staff_client.get(f"/portail/formation/seances/{session.id}").get_data(as_text=True)
    assert "Cette séance est annulée." in mine and REASON in mine
    assert f"/portail/formation/seances/{session.id}/inscrire" not in mine
    listing = staff_client.get("/portail/formation").get_data(as_text=True)
    assert "Séance annulée" in listing
    refused = staff_client.post(
        f"/portail/formation/seances/{session.id}/inscrire", data={"user_id": person.id}
    )
    assert refused.status_code == 200 and "Cette séance est annulée." in refused.get_data(
        as_text=True
    )
    assert _status(session, person) is EnrolmentStatus.CANCELLED
