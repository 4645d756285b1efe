"""Closures and pauses a provider sets on its services, and their daily upkeep.

A closure is a period when the service is closed (the whole day, or between two hours of each
day); open-now and the service page follow it through the search outbox, which watches Closure.
A pause is a period when the service takes no new referrals: while it runs the capacity is
"paused" (so search, the API and the referral flags follow), and the capacity it had before comes
back at its end. Functions flush and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..accounts.models import User
from ..audit.services import record
from ..catalogue.models import CapacityStatus, Closure, Service, ServicePause
from ..database import utcnow
from ..extensions import db
from ..referrals.upkeep import flag_for_rerouting
from ..training.rule import local_day
from .services import PortalError

MAX_DAYS_AHEAD = 2 * 366  # a closure or pause starts within two years
MAX_LENGTH_DAYS = 366  # and lasts at most a year
REASON_MAX = 300


@dataclass(frozen=True)
class ClosureInput:
    starts_on: date
    ends_on: date
    closed_from: time | None = None
    closed_until: time | None = None
    reason: str | None = None


def today() -> date:
    return local_day(utcnow())


def _check_period(starts_on: date, ends_on: date, day: date) -> None:
    if ends_on < starts_on:
        raise PortalError(_l("The last day cannot come before the first day."), "ends_on")
    if ends_on < day:
        raise PortalError(_l("This period is already over: give dates from today on."), "ends_on")
    if starts_on > day + timedelta(days=MAX_DAYS_AHEAD):
        raise PortalError(_l("Give a first day within the next two years."), "starts_on")
    if (ends_on - starts_on).days >= MAX_LENGTH_DAYS:
        raise PortalError(_l("A period lasts one year at most."), "ends_on")


def _check_hours(closed_from: time | None, closed_until: time | None) -> None:
    if (closed_from is None) != (closed_until is None):
        raise PortalError(
            _l("Give both hours, or neither for a closure of the whole day."), "closed_until"
        )
    if closed_from is not None and closed_until is not None and closed_from >= closed_until:
        raise PortalError(_l("The closure must end after it begins."), "closed_until")


def current_closures(service: Service, day: date | None = None) -> list[Closure]:
    """The closures of service not yet over, soonest first."""
    day = day or today()
    return [c for c in service.closures if c.ends_on >= day]


def save_closure(
    service: Service,
    data: ClosureInput,
    actor: User,
    closure: Closure | None = None,
    day: date | None = None,
) -> Closure:
    """Add a closure to service, or change closure; periods of one service never overlap."""
    day = day or today()
    _check_period(data.starts_on, data.ends_on, day)
    _check_hours(data.closed_from, data.closed_until)
    if data.reason and len(data.reason) > REASON_MAX:
        raise PortalError(_l("Keep the reason under 300 characters."), "reason")
    for other in service.closures:
        if (
            other is not closure
            and other.starts_on <= data.ends_on
            and data.starts_on <= other.ends_on
        ):
            raise PortalError(
                _l(
                    "This period overlaps another closure of the service (%(start)s to %(end)s): "
                    "change that one instead.",
                    start=other.starts_on.isoformat(),
                    end=other.ends_on.isoformat(),
                ),
                "starts_on",
            )
    created = closure is None
    if closure is None:
        closure = Closure()
        service.closures.append(closure)
    closure.starts_on, closure.ends_on = data.starts_on, data.ends_on
    closure.closed_from, closure.closed_until = data.closed_from, data.closed_until
    closure.reason = data.reason or None
    _touch(service)
    db.session.flush()
    record(actor, "closure.create" if created else "closure.update", "service", service.id)
    return closure


def remove_closure(service: Service, closure: Closure, actor: User) -> None:
    service.closures.remove(closure)
    _touch(service)
    db.session.flush()
    record(actor, "closure.delete", "service", service.id)


def _touch(service: Service) -> None:
    # The index document of the service changes with its closures: the outbox sees Closure rows,
    # and updated_at tells readers of the API when the service last changed.
    service.updated_at = utcnow()


# --- Pauses ---------------------------------------------------------------------------------------


def set_pause(
    service: Service,
    starts_on: date,
    ends_on: date,
    message_fr: str,
    message_en: str | None,
    actor: User,
    now: datetime | None = None,
) -> ServicePause:
    """Pause service from starts_on to ends_on (replacing any pause it had); in force at once."""
    now = now or utcnow()
    day = local_day(now)
    _check_period(starts_on, ends_on, day)
    if not message_fr:
        raise PortalError(_l("Write the message shown during the pause."), "message_fr")
    pause = service.pause
    if pause is None:
        pause = ServicePause()
        service.pause = pause
    pause.starts_on, pause.ends_on = starts_on, ends_on
    pause.message_fr, pause.message_en = message_fr, message_en or None
    db.session.flush()
    record(actor, "pause.set", "service", service.id)
    keep_pause_in_force(service, now, actor)
    return pause


def remove_pause(service: Service, actor: User, now: datetime | None = None) -> None:
    """End the pause at once; the service takes the capacity it had before."""
    pause = service.pause
    if pause is None:
        return
    _restore(service, pause, now or utcnow())
    service.pause = None
    db.session.flush()
    record(actor, "pause.remove", "service", service.id)


def keep_pause_in_force(service: Service, now: datetime, actor: User | None = None) -> None:
    """Make the capacity of service agree with its pause on the local day of now."""
    pause = service.pause
    if pause is None:
        return
    day = local_day(now)
    running = pause.starts_on <= day <= pause.ends_on
    if running and not pause.applied:
        pause.capacity_before = service.capacity
        pause.waitlist_weeks_before = service.waitlist_weeks
        service.capacity = CapacityStatus.PAUSED
        service.waitlist_weeks = None
        service.capacity_updated_at = now
        pause.applied = True
        db.session.flush()
        flag_for_rerouting(service, now=now, actor=actor)
    elif not running and pause.applied:
        _restore(service, pause, now)
    if pause.ends_on < day:
        service.pause = None
    db.session.flush()


def _restore(service: Service, pause: ServicePause, now: datetime) -> None:
    if pause.applied and service.capacity is CapacityStatus.PAUSED:
        service.capacity = pause.capacity_before or CapacityStatus.ACCEPTING
        service.waitlist_weeks = pause.waitlist_weeks_before
        service.capacity_updated_at = now
    pause.applied = False
    pause.capacity_before = None
    pause.waitlist_weeks_before = None


def daily_upkeep(now: datetime | None = None) -> int:
    """Start and end the pauses of the day, delete closures that are over; how many changed."""
    now = now or utcnow()
    day = local_day(now)
    changed = 0
    due = db.session.scalars(
        select(ServicePause)
        .where(
            ((ServicePause.starts_on <= day) & ServicePause.applied.is_(False))
            | (ServicePause.ends_on < day)
        )
        .order_by(ServicePause.id)
    ).all()
    for pause in due:
        keep_pause_in_force(db.session.get_one(Service, pause.service_id), now)
        changed += 1
    # Closures that are over tell nobody anything: they are deleted (rows, so the outbox sees it).
    over = db.session.scalars(select(Closure).where(Closure.ends_on < day)).all()
    for closure in over:
        db.session.delete(closure)
    changed += len(over)
    db.session.flush()
    return changed
