"""Training that is delivered: content pages, sessions, enrolment, waiting list and attendance.

Administrators create sessions of a module; provider staff enrol themselves or a colleague from
/portail/formation. A session has a number of seats: past them, people join a waiting list in the
order they enrolled, and a seat given back goes at once to the first person waiting. Once the
session has begun, an administrator takes attendance: marking someone present creates a confirmed
training record through services.record_completion (so the organisation's trained status follows
with no record typed by hand); correcting it to absent removes that record again. An administrator
may cancel a session that has not begun, with a reason: everyone enrolled or waiting is told (an
in-app notification and its e-mail, which names the module and the date only), and the session
takes no more enrolment, attendance or reminder.

Functions check what they must, flush and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import format_time
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..accounts.models import User
from ..audit.services import record as audit
from ..config import LOCAL_ZONE
from ..database import utcnow
from ..extensions import db
from ..i18n import safe_format_datetime
from ..notifications.services import notify
from ..roles import Role
from .models import (
    EnrolmentStatus,
    ModuleSection,
    SessionEnrolment,
    SessionLanguage,
    TrainingModule,
    TrainingSession,
)
from .rule import local_day
from .services import TrainingError, delete_record, record_completion

MAX_SEATS = 500
SESSION_DAYS_BACK = 366  # a session that took place may be entered up to a year later
SESSION_DAYS_AHEAD = 2 * 366  # and planned up to two years ahead
RECENT_DAYS = 90  # the administrators' list keeps sessions of the last 90 days
ACTIVE = (EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING)
# Who holds a seat: enrolled people before the session, then those whose attendance is taken.
SEATED = (EnrolmentStatus.ENROLLED, EnrolmentStatus.ATTENDED, EnrolmentStatus.ABSENT)
URL_SCHEMES = ("https://", "http://")

LANGUAGE_LABELS = {
    SessionLanguage.FR: _l("French"),
    SessionLanguage.EN: _l("English"),
    SessionLanguage.BILINGUAL: _l("French and English"),
}

ENROLMENT_LABELS = {
    EnrolmentStatus.ENROLLED: _l("Enrolled"),
    EnrolmentStatus.WAITING: _l("On the waiting list"),
    EnrolmentStatus.CANCELLED: _l("Cancelled"),
    EnrolmentStatus.ATTENDED: _l("Present"),
    EnrolmentStatus.ABSENT: _l("Absent"),
}


def _zone() -> ZoneInfo:
    return LOCAL_ZONE


def local_moment(day: date, at: time) -> datetime:
    """A Québec wall-clock time as an aware UTC-comparable datetime."""
    return datetime.combine(day, at, tzinfo=_zone())


def local_parts(moment: datetime) -> tuple[date, time]:
    """The Québec day and time of moment (to fill the form of an existing session)."""
    local = moment.astimezone(_zone())
    return local.date(), local.time().replace(second=0, microsecond=0)


def when(session: TrainingSession) -> str:
    """The session's date and hours in Québec time, in the reader's language."""
    begins = safe_format_datetime(session.starts_at)
    return f"{begins} – {format_time(session.ends_at, 'short')}"


# --- Content pages ------------------------------------------------------------------------------


def sections_of(module: TrainingModule) -> list[ModuleSection]:
    return list(
        db.session.scalars(
            select(ModuleSection)
            .where(ModuleSection.module_id == module.id)
            .order_by(ModuleSection.position, ModuleSection.id)
        )
    )


def save_section(
    module: TrainingModule, values: dict, actor: User, section: ModuleSection | None = None
) -> ModuleSection:
    """Add a section to module's content page, or change one."""
    values = {k: (v.strip() or None) if isinstance(v, str) else v for k, v in values.items()}
    if not values.get("title_fr"):
        raise TrainingError(_l("Give the section a title in French."), "title_fr")
    if not values.get("body_fr"):
        raise TrainingError(_l("Write the section's text in French."), "body_fr")
    if section is None:
        section = ModuleSection(module_id=module.id)
        db.session.add(section)
    for name in ("title_fr", "title_en", "body_fr", "body_en"):
        setattr(section, name, values.get(name))
    section.position = values.get("position") or 0
    db.session.flush()
    audit(actor, "training.section_save", "training_module", module.id)
    return section


def delete_section(section: ModuleSection, actor: User) -> None:
    module_id = section.module_id
    db.session.delete(section)
    db.session.flush()
    audit(actor, "training.section_delete", "training_module", module_id)


# --- Sessions -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionInput:
    module_id: int | None
    day: date
    starts: time
    ends: time
    place: str | None
    online_url: str | None
    seats: int
    language: SessionLanguage


@dataclass(frozen=True)
class SessionSeats:
    session: TrainingSession
    taken: int
    waiting: int

    @property
    def left(self) -> int:
        return max(self.session.seats - self.taken, 0)


def _clean(text: str | None) -> str | None:
    return (text or "").strip() or None


def _check_session(data: SessionInput, today: date) -> None:
    if data.day < today - timedelta(days=SESSION_DAYS_BACK):
        raise TrainingError(_l("Give a date within the last year or the next two years."), "day")
    if data.day > today + timedelta(days=SESSION_DAYS_AHEAD):
        raise TrainingError(_l("Give a date within the last year or the next two years."), "day")
    if data.ends <= data.starts:
        raise TrainingError(_l("The session must end after it begins."), "ends")
    place, url = _clean(data.place), _clean(data.online_url)
    if not place and not url:
        raise TrainingError(_l("Give the place, the online link, or both."), "place")
    if url and (not url.lower().startswith(URL_SCHEMES) or " " in url or len(url) < 12):
        raise TrainingError(
            _l("Give the full address of the online link, starting with https://."), "online_url"
        )
    if not 1 <= data.seats <= MAX_SEATS:
        raise TrainingError(_l("Give a number of seats from 1 to %(max)s.", max=MAX_SEATS), "seats")


def save_session(
    data: SessionInput,
    actor: User,
    session: TrainingSession | None = None,
    now: datetime | None = None,
) -> TrainingSession:
    """Create a session (session None) or change one; more seats go to the waiting list."""
    now = now or utcnow()
    _check_session(data, local_day(now))
    module = db.session.get(TrainingModule, data.module_id) if data.module_id else None
    if session is None:
        if module is None or not module.active:
            raise TrainingError(_l("Choose a module that is offered."), "module_id")
        session = TrainingSession(module_id=module.id, created_by_id=actor.id, created_at=now)
        db.session.add(session)
    else:
        _refuse_if_cancelled(session)
        _lock(session)
        taken = _count(session, SEATED)
        if data.seats < taken:
            raise TrainingError(
                _l(
                    "%(num)d people already hold a seat: give at least that many seats.",
                    num=taken,
                ),
                "seats",
            )
    session.starts_at = local_moment(data.day, data.starts)
    session.ends_at = local_moment(data.day, data.ends)
    session.place = _clean(data.place)
    session.online_url = _clean(data.online_url)
    session.seats = data.seats
    session.language = data.language
    db.session.flush()
    _fill_from_waiting_list(session, now)
    audit(actor, "training.session_save", "training_session", session.id)
    return session


def _lock(session: TrainingSession) -> None:
    """Hold the session's row until the request commits, so two people never get the last seat
    (PostgreSQL; SQLite writes one transaction at a time anyway)."""
    db.session.execute(
        select(TrainingSession.id).where(TrainingSession.id == session.id).with_for_update()
    )


def _count(session: TrainingSession, statuses) -> int:
    return db.session.execute(
        select(func.count(SessionEnrolment.id)).where(
            SessionEnrolment.session_id == session.id, SessionEnrolment.status.in_(statuses)
        )
    ).scalar_one()


def seats_of(sessions: list[TrainingSession]) -> dict[int, SessionSeats]:
    """Seats taken and people waiting, per session, in one query."""
    counts: dict[tuple[int, EnrolmentStatus], int] = {}
    if sessions:
        rows = db.session.execute(
            select(SessionEnrolment.session_id, SessionEnrolment.status, func.count())
            .where(SessionEnrolment.session_id.in_([s.id for s in sessions]))
            .group_by(SessionEnrolment.session_id, SessionEnrolment.status)
        )
        counts = {(sid, status): n for sid, status, n in rows}
    return {
        s.id: SessionSeats(
            s,
            sum(counts.get((s.id, st), 0) for st in SEATED),
            counts.get((s.id, EnrolmentStatus.WAITING), 0),
        )
        for s in sessions
    }


def upcoming_sessions(
    now: datetime | None = None, include_cancelled: bool = False
) -> list[TrainingSession]:
    """Sessions not yet begun, of modules still offered, soonest first (cancelled ones only if
    include_cancelled: the training page shows them as cancelled)."""
    now = now or utcnow()
    query = (
        select(TrainingSession)
        .join(TrainingModule, TrainingModule.id == TrainingSession.module_id)
        .where(TrainingSession.starts_at > now, TrainingModule.active.is_(True))
        .options(selectinload(TrainingSession.module))
        .order_by(TrainingSession.starts_at, TrainingSession.id)
    )
    if not include_cancelled:
        query = query.where(TrainingSession.cancelled_at.is_(None))
    return list(db.session.scalars(query))


def admin_sessions(now: datetime | None = None) -> list[TrainingSession]:
    """Every session from RECENT_DAYS ago on (attendance may still be taken), soonest first."""
    now = now or utcnow()
    return list(
        db.session.scalars(
            select(TrainingSession)
            .where(TrainingSession.starts_at >= now - timedelta(days=RECENT_DAYS))
            .options(selectinload(TrainingSession.module))
            .order_by(TrainingSession.starts_at, TrainingSession.id)
        )
    )


def has_begun(session: TrainingSession, now: datetime | None = None) -> bool:
    return session.starts_at <= (now or utcnow())


def is_cancelled(session: TrainingSession) -> bool:
    return session.cancelled_at is not None


def _refuse_if_cancelled(session: TrainingSession) -> None:
    if is_cancelled(session):
        raise TrainingError(_l("This session is cancelled."))


def cancel_session(
    session: TrainingSession, reason: str | None, actor: User, now: datetime | None = None
) -> int:
    """Cancel a session not yet begun: every seat and place in line is released, and each person
    who held one is notified. Returns how many people were told."""
    now = now or utcnow()
    reason = (reason or "").strip()
    _refuse_if_cancelled(session)
    if has_begun(session, now):
        raise TrainingError(_l("This session has already begun: it can no longer be cancelled."))
    if not reason:
        raise TrainingError(_l("Say why the session is cancelled."), "reason")
    _lock(session)
    session.cancelled_at = now
    session.cancelled_by_id = actor.id
    session.cancellation_reason = reason
    told = [e for e in session.enrolments if e.status in ACTIVE]
    for enrolment in told:
        enrolment.status = EnrolmentStatus.CANCELLED
        _tell(enrolment.user, "training_session_cancelled", session)
    db.session.flush()
    audit(actor, "training.session_cancel", "training_session", session.id)
    return len(told)


def _tell(user: User, kind: str, session: TrainingSession) -> None:
    """Notify user about session: a link to its page, the module in their language and the day."""
    notify(
        [user],
        kind,
        endpoint="training_sessions.provider_session",
        endpoint_args={"session_id": session.id},
        module=session.module.name(user.preferred_locale or "fr"),
        date=local_day(session.starts_at).isoformat(),
    )


# --- Enrolment ----------------------------------------------------------------------------------


def organization_enrolments(
    organization_id: int, sessions: list[TrainingSession] | None = None
) -> list[SessionEnrolment]:
    """The enrolments of an organisation's staff (in sessions, if given), not cancelled."""
    query = (
        select(SessionEnrolment)
        .join(User, User.id == SessionEnrolment.user_id)
        .where(
            User.organization_id == organization_id,
            SessionEnrolment.status != EnrolmentStatus.CANCELLED,
        )
        .options(selectinload(SessionEnrolment.user))
        .order_by(SessionEnrolment.enrolled_at, SessionEnrolment.id)
    )
    if sessions is not None:
        query = query.where(SessionEnrolment.session_id.in_([s.id for s in sessions]))
    return list(db.session.scalars(query))


def waiting_position(enrolment: SessionEnrolment) -> int | None:
    """1 for the first person waiting; None when not waiting."""
    if enrolment.status is not EnrolmentStatus.WAITING:
        return None
    waiting = [e for e in enrolment.session.enrolments if e.status is EnrolmentStatus.WAITING]
    ordered = sorted(waiting, key=lambda e: (e.enrolled_at, e.id))
    return ordered.index(enrolment) + 1


def enrol(
    session: TrainingSession, user: User, actor: User, now: datetime | None = None
) -> SessionEnrolment:
    """Enrol a staff member (the actor or a colleague): a seat if one is free, else the list."""
    now = now or utcnow()
    if actor.role is not Role.ADMIN and actor.organization_id != user.organization_id:
        raise TrainingError(_l("Choose a member of your organisation."), "user_id")
    if user.role is not Role.PROVIDER or not user.active:
        raise TrainingError(_l("Choose an active staff member of a provider."), "user_id")
    if not session.module.active:
        raise TrainingError(_l("This module is no longer offered."))
    _refuse_if_cancelled(session)
    if has_begun(session, now):
        raise TrainingError(_l("This session has already begun: enrolment is closed."))
    _lock(session)
    enrolment = db.session.scalar(
        select(SessionEnrolment).where(
            SessionEnrolment.session_id == session.id, SessionEnrolment.user_id == user.id
        )
    )
    if enrolment is not None and enrolment.status in ACTIVE:
        raise TrainingError(_l("This person is already enrolled in this session."), "user_id")
    free = _count(session, SEATED) < session.seats  # counted before the new row is flushed
    if enrolment is None:
        enrolment = SessionEnrolment(session=session, user_id=user.id)
        db.session.add(enrolment)
    enrolment.status = EnrolmentStatus.ENROLLED if free else EnrolmentStatus.WAITING
    enrolment.enrolled_at = now
    enrolment.enrolled_by_id = actor.id
    db.session.flush()
    audit(actor, "training.enrol", "training_session", session.id)
    return enrolment


def cancel_enrolment(
    enrolment: SessionEnrolment, actor: User, now: datetime | None = None
) -> SessionEnrolment | None:
    """Give a seat (or a place in line) back; returns whoever got the freed seat, if anyone."""
    now = now or utcnow()
    session = enrolment.session
    if enrolment.status not in ACTIVE:
        raise TrainingError(_l("This enrolment can no longer be cancelled."))
    if has_begun(session, now):
        raise TrainingError(_l("This session has already begun: enrolment is closed."))
    _lock(session)
    enrolment.status = EnrolmentStatus.CANCELLED
    db.session.flush()
    audit(actor, "training.cancel_enrolment", "training_session", session.id)
    promoted = _fill_from_waiting_list(session, now)
    return promoted[0] if promoted else None


def _fill_from_waiting_list(session: TrainingSession, now: datetime) -> list[SessionEnrolment]:
    """Give free seats of a session not yet begun to the people waiting, first come first."""
    if has_begun(session, now) or is_cancelled(session):
        return []
    free = session.seats - _count(session, SEATED)
    if free <= 0:
        return []
    waiting = db.session.scalars(
        select(SessionEnrolment)
        .where(
            SessionEnrolment.session_id == session.id,
            SessionEnrolment.status == EnrolmentStatus.WAITING,
        )
        .order_by(SessionEnrolment.enrolled_at, SessionEnrolment.id)
        .limit(free)
    ).all()
    for enrolment in waiting:
        enrolment.status = EnrolmentStatus.ENROLLED
        _tell(enrolment.user, "training_seat_offered", session)
    db.session.flush()
    return list(waiting)


def release_seats(user: User, now: datetime | None = None) -> int:
    """A staff member leaves (deactivated): their places in sessions not yet begun are given
    back, and each freed seat goes to the first person waiting. Returns how many."""
    now = now or utcnow()
    held = db.session.scalars(
        select(SessionEnrolment)
        .join(TrainingSession, TrainingSession.id == SessionEnrolment.session_id)
        .where(
            SessionEnrolment.user_id == user.id,
            SessionEnrolment.status.in_(ACTIVE),
            TrainingSession.starts_at > now,
        )
    ).all()
    for enrolment in held:
        _lock(enrolment.session)
        enrolment.status = EnrolmentStatus.CANCELLED
        db.session.flush()
        _fill_from_waiting_list(enrolment.session, now)
    return len(held)


def send_session_reminders(now: datetime | None = None) -> int:
    """Remind, once, each person holding a seat in a session that begins today or tomorrow
    (Québec days). The daily task calls this; returns how many reminders went out."""
    now = now or utcnow()
    horizon = local_moment(local_day(now) + timedelta(days=2), time(0, 0))
    due = db.session.scalars(
        select(SessionEnrolment)
        .join(TrainingSession, TrainingSession.id == SessionEnrolment.session_id)
        .where(
            SessionEnrolment.status == EnrolmentStatus.ENROLLED,
            SessionEnrolment.reminder_sent_at.is_(None),
            TrainingSession.cancelled_at.is_(None),
            TrainingSession.starts_at > now,
            TrainingSession.starts_at < horizon,
        )
        .options(selectinload(SessionEnrolment.user), selectinload(SessionEnrolment.session))
    ).all()
    for enrolment in due:
        enrolment.reminder_sent_at = now
        _tell(enrolment.user, "training_session_reminder", enrolment.session)
    db.session.flush()
    return len(due)


# --- Attendance ---------------------------------------------------------------------------------


def set_attendance(
    enrolment: SessionEnrolment, present: bool, actor: User, now: datetime | None = None
) -> None:
    """Take (or correct) a person's attendance; present creates the confirmed record."""
    now = now or utcnow()
    session = enrolment.session
    _refuse_if_cancelled(session)
    if not has_begun(session, now):
        raise TrainingError(_l("Attendance is taken once the session has begun."))
    if enrolment.status not in SEATED:
        raise TrainingError(_l("Only people who hold a seat can be marked present or absent."))
    if present and enrolment.record_id is None:
        record = record_completion(
            enrolment.user,
            session.module,
            local_day(session.starts_at),
            actor=actor,
            now=now,
        )
        enrolment.record_id = record.id
    elif not present and enrolment.record is not None:
        record = enrolment.record
        enrolment.record = None
        db.session.flush()
        delete_record(record, now)
    enrolment.status = EnrolmentStatus.ATTENDED if present else EnrolmentStatus.ABSENT
    enrolment.attendance_by_id = actor.id
    enrolment.attendance_at = now
    db.session.flush()
    audit(actor, "training.attendance", "training_session", session.id)
