"""Issue 17 §2: sessions, seats and the waiting list, attendance that records the module.

Services are called with an injected clock; the pages are driven through the test client.
All names are fictional.
"""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from sqlalchemy import select

from cote_a_cote.database import utcnow
from cote_a_cote.extensions import db
from cote_a_cote.notifications.models import Notification
from cote_a_cote.notifications.services import link
from cote_a_cote.roles import Role
from cote_a_cote.training import sessions
from cote_a_cote.training.models import (
    EnrolmentStatus,
    RecordStatus,
    SessionEnrolment,
    SessionLanguage,
    TrainingRecord,
    TrainingSession,
)
from cote_a_cote.training.services import TrainingError, local_day
from tests.training.conftest import REQUIRED


@pytest.fixture
def clinic(make_org):
    return make_org("Clinique Fictive Thêta")


@pytest.fixture
def admin(make_user):
    return make_user(role=Role.ADMIN, name="Coordination Thêta")


def _input(module, day, **changes) -> sessions.SessionInput:
    values = {
        "module_id": module.id,
        "day": day,
        "starts": time(9, 0),
        "ends": time(12, 0),
        "place": "Salle fictive 2, Montréal",
        "online_url": None,
        "seats": 2,
        "language": SessionLanguage.FR,
    }
    values.update(changes)
    return sessions.SessionInput(**values)


@pytest.fixture
def session_of(modules, admin):
    """session_of(code, days=7, seats=2): a session days from today, saved through the service."""

    def factory(code="trauma_informed", days=7, **changes):
        day = local_day(utcnow()) + timedelta(days=days)
        created = sessions.save_session(_input(modules[code], day, **changes), admin)
        db.session.commit()
        return created

    return factory


def _kinds(user) -> list[str]:
    return list(
        db.session.scalars(select(Notification.kind).where(Notification.user_id == user.id))
    )


# --- Sessions ---------------------------------------------------------------------------------


def test_a_session_is_stored_in_quebec_time(session_of):
    session = session_of(starts=time(18, 30), ends=time(20, 0))
    day, at = sessions.local_parts(session.starts_at)
    assert at == time(18, 30) and day == local_day(utcnow()) + timedelta(days=7)
    assert session.starts_at.utcoffset() == timedelta(0)  # read back in UTC
    assert sessions.local_parts(session.ends_at)[1] == time(20, 0)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends": time(8, 0)}, "ends"),
        ({"place": None, "online_url": None}, "place"),
        ({"place": " ", "online_url": "  "}, "place"),
        ({"online_url": "javascript:alert(1)"}, "online_url"),
        ({"online_url": "https://exemple fictif.org/salle"}, "online_url"),
        ({"seats": 0}, "seats"),
        ({"seats": 501}, "seats"),
    ],
)
def test_a_session_with_bad_input_is_refused(modules, admin, changes, field):
    day = local_day(utcnow()) + timedelta(days=3)
    with pytest.raises(TrainingError) as caught:
        sessions.save_session(_input(modules["trauma_informed"], day, **changes), admin)
    assert caught.value.field == field
    assert db.session.scalar(select(TrainingSession.id)) is None


@pytest.mark.parametrize("days", [-400, 800])
def test_a_session_date_must_be_in_range(modules, admin, days):
    day = local_day(utcnow()) + timedelta(days=days)
    with pytest.raises(TrainingError) as caught:
        sessions.save_session(_input(modules["trauma_informed"], day), admin)
    assert caught.value.field == "day"


def test_an_inactive_module_gets_no_session(modules, admin):
    modules["trauma_informed"].active = False
    db.session.commit()
    with pytest.raises(TrainingError) as caught:
        sessions.save_session(_input(modules["trauma_informed"], local_day(utcnow())), admin)
    assert caught.value.field == "module_id"


# --- Seats and the waiting list -------------------------------------------------------------------


def test_seats_then_the_waiting_list_then_a_freed_seat_goes_to_the_first_waiting(
    session_of, clinic, staff
):
    session = session_of(seats=2)
    ana, ben, chloe, dan = (staff(clinic, name=n) for n in ("Ana", "Ben", "Chloé", "Dan"))
    start = utcnow()
    statuses = []
    for minutes, person in enumerate((ana, ben, chloe, dan)):
        enrolment = sessions.enrol(session, person, person, now=start + timedelta(minutes=minutes))
        statuses.append(enrolment.status)
    db.session.commit()
    assert statuses == [EnrolmentStatus.ENROLLED] * 2 + [EnrolmentStatus.WAITING] * 2
    seats = sessions.seats_of([session])[session.id]
    assert (seats.taken, seats.waiting, seats.left) == (2, 2, 0)

    ben_enrolment = _enrolment(session, ben)
    promoted = sessions.cancel_enrolment(ben_enrolment, ben)
    db.session.commit()
    assert promoted.user_id == chloe.id
    assert _enrolment(session, chloe).status is EnrolmentStatus.ENROLLED
    assert _enrolment(session, dan).status is EnrolmentStatus.WAITING
    assert sessions.waiting_position(_enrolment(session, dan)) == 1
    assert _enrolment(session, ben).status is EnrolmentStatus.CANCELLED
    assert "training_seat_offered" in _kinds(chloe) and "training_seat_offered" not in _kinds(dan)
    offered = db.session.scalar(select(Notification).where(Notification.user_id == chloe.id))
    assert link(offered) == f"/portail/formation/seances/{session.id}"  # the session's page

    # Cancelling from the waiting list frees no seat.
    assert sessions.cancel_enrolment(_enrolment(session, dan), dan) is None
    # Ben enrols again: the session is full, so Ben waits, at the end of the line.
    assert sessions.enrol(session, ben, ben).status is EnrolmentStatus.WAITING


def test_more_seats_go_to_the_waiting_list_and_fewer_than_taken_are_refused(
    session_of, clinic, staff, admin
):
    session = session_of(seats=1)
    first, second = staff(clinic, name="Première"), staff(clinic, name="Second")
    sessions.enrol(session, first, first)
    sessions.enrol(session, second, second, now=utcnow() + timedelta(seconds=1))
    db.session.commit()
    day = sessions.local_parts(session.starts_at)[0]
    sessions.save_session(_input(session.module, day, seats=3), admin, session)
    db.session.commit()
    assert _enrolment(session, second).status is EnrolmentStatus.ENROLLED
    with pytest.raises(TrainingError) as caught:
        sessions.save_session(_input(session.module, day, seats=1), admin, session)
    assert caught.value.field == "seats"


def test_enrolment_rules(session_of, clinic, staff, make_org, make_user):
    session = session_of()
    member = staff(clinic, name="Membre")
    sessions.enrol(session, member, member)
    with pytest.raises(TrainingError):
        sessions.enrol(session, member, member)  # already enrolled
    other = staff(make_org("Autre Fictive"), name="Ailleurs")
    with pytest.raises(TrainingError):
        sessions.enrol(session, other, member)  # another organisation's staff
    intervenante = make_user(role=Role.INTERVENANTE)
    with pytest.raises(TrainingError):
        sessions.enrol(session, intervenante, intervenante)
    late = staff(clinic, name="En retard")
    with pytest.raises(TrainingError):
        sessions.enrol(session, late, late, now=session.starts_at + timedelta(minutes=1))


# --- Attendance ---------------------------------------------------------------------------------


def test_attendance_records_the_module_and_the_organisation_becomes_trained(
    session_of, clinic, staff, give, admin
):
    session = session_of(code=REQUIRED[-1])
    member = staff(clinic, name="Rosalie Thêta")
    for code in REQUIRED[:-1]:
        give(member, code)
    enrolment = sessions.enrol(session, member, member)
    db.session.commit()
    assert not clinic.is_trained

    with pytest.raises(TrainingError):
        sessions.set_attendance(enrolment, True, admin)  # the session has not begun

    after = session.starts_at + timedelta(hours=1)
    sessions.set_attendance(enrolment, True, admin, now=after)
    db.session.commit()
    record = db.session.get(TrainingRecord, enrolment.record_id)
    assert record.status is RecordStatus.CONFIRMED and record.confirmed_by_id == admin.id
    assert record.module_id == session.module_id and record.user_id == member.id
    assert record.completed_on == local_day(session.starts_at)
    assert record.expires_on == record.completed_on.replace(year=record.completed_on.year + 1)
    assert enrolment.status is EnrolmentStatus.ATTENDED
    assert clinic.is_trained
    assert "training_confirmed" in _kinds(member)

    # Marking present again creates no second record; correcting to absent removes it.
    sessions.set_attendance(enrolment, True, admin, now=after)
    assert _records(member, session.module_id) == 1
    sessions.set_attendance(enrolment, False, admin, now=after)
    db.session.commit()
    assert enrolment.status is EnrolmentStatus.ABSENT and enrolment.record_id is None
    assert _records(member, session.module_id) == 0
    db.session.expire_all()
    assert not clinic.is_trained


def test_people_waiting_cannot_be_marked_present(session_of, clinic, staff, admin):
    session = session_of(seats=1)
    first, second = staff(clinic, name="Assise"), staff(clinic, name="Attend")
    sessions.enrol(session, first, first)
    waiting = sessions.enrol(session, second, second, now=utcnow() + timedelta(seconds=1))
    db.session.commit()
    with pytest.raises(TrainingError):
        sessions.set_attendance(waiting, True, admin, now=session.starts_at + timedelta(hours=1))
    assert _records(second, session.module_id) == 0


def _enrolment(session, user) -> SessionEnrolment:
    return db.session.scalar(
        select(SessionEnrolment).where(
            SessionEnrolment.session_id == session.id, SessionEnrolment.user_id == user.id
        )
    )


def _records(user, module_id) -> int:
    return len(
        db.session.scalars(
            select(TrainingRecord).where(
                TrainingRecord.user_id == user.id, TrainingRecord.module_id == module_id
            )
        ).all()
    )


def test_a_deactivated_staff_member_gives_their_seat_to_the_first_waiting(
    session_of, clinic, staff, admin
):
    from cote_a_cote.accounts import services as accounts

    session = session_of(seats=1)
    leaving, waiting = staff(clinic, name="Part"), staff(clinic, name="Attend")
    sessions.enrol(session, leaving, leaving)
    sessions.enrol(session, waiting, waiting, now=utcnow() + timedelta(seconds=1))
    db.session.commit()
    accounts.deactivate_user(leaving, actor=admin)
    db.session.commit()
    assert _enrolment(session, leaving).status is EnrolmentStatus.CANCELLED
    assert _enrolment(session, waiting).status is EnrolmentStatus.ENROLLED
    assert "training_seat_offered" in _kinds(waiting)


def test_a_reminder_goes_once_to_people_holding_a_seat_the_day_before(session_of, clinic, staff):
    session = session_of(days=1)  # tomorrow, 9:00 in Québec
    later = session_of(days=5)
    seated, waiting = staff(clinic, name="Assise"), staff(clinic, name="Attend")
    sessions.enrol(session, seated, seated)
    sessions.enrol(later, seated, seated)
    db.session.commit()
    session.seats = 1
    sessions.enrol(session, waiting, waiting)  # the session is full: on the waiting list
    db.session.commit()
    assert sessions.send_session_reminders() == 1
    assert sessions.send_session_reminders() == 0  # once
    db.session.commit()
    assert _kinds(seated).count("training_session_reminder") == 1
    assert "training_session_reminder" not in _kinds(waiting)
