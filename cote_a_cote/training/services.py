"""Training: modules, records and what each organisation still has to do.

The trained rule lives in rule.py and is re-exported here. Every change below checks what it must,
flushes, recomputes the organisation concerned and notifies; the request commits once.
"""

from __future__ import annotations

import calendar
import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import aliased, selectinload

from ..accounts.models import User
from ..audit.services import record as audit
from ..catalogue.models import Organization, OrganizationKind
from ..config import settings
from ..database import utcnow
from ..errors import UserError
from ..extensions import db
from ..notifications.services import notify, notify_admins
from ..roles import Role
from .models import RecordStatus, TrainingModule, TrainingRecord
from .rule import (  # noqa: F401  (the rule's public functions, reachable from here)
    is_trained,
    local_day,
    meets_rule,
    min_staff_share,
    refresh_if_outdated,
    refresh_organization,
    refresh_trained_status,
    required_modules,
    staff_query,
    trained_by_organization,
    valid_on,
)

# Where a record may go from each status (administrators decide declared ones).
TRANSITIONS: dict[RecordStatus, frozenset[RecordStatus]] = {
    RecordStatus.DECLARED: frozenset({RecordStatus.CONFIRMED, RecordStatus.REJECTED}),
    RecordStatus.CONFIRMED: frozenset(),
    RecordStatus.REJECTED: frozenset(),
}

STATUS_LABELS = {
    RecordStatus.DECLARED: _l("Awaiting confirmation"),
    RecordStatus.CONFIRMED: _l("Confirmed"),
    RecordStatus.REJECTED: _l("Not confirmed"),
}


class TrainingError(UserError):
    """A rule refused the change; str(error) is a translated message, field the input at fault."""


def warning_days() -> int:
    return settings().training_expiry_warning_days


def add_months(day: date, months: int) -> date:
    """The same day months later, or the month's last day (31 January + 1 = 28 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def expiry_for(module: TrainingModule, completed_on: date) -> date | None:
    """When a completion of module on completed_on expires (None: never)."""
    if not module.validity_months:
        return None
    return add_months(completed_on, module.validity_months)


# --- Reading: modules, staff and progress ----------------------------------------------------


def count(query: Select) -> Select:
    """The number of rows query would return."""
    return select(func.count()).select_from(query.order_by(None).subquery())


def modules_query(active_only: bool = False) -> Select[TrainingModule]:
    query = select(TrainingModule).order_by(TrainingModule.position, TrainingModule.id)
    if active_only:
        query = query.where(TrainingModule.active.is_(True))
    return query


def provider_organizations() -> list[Organization]:
    """Provider organisations by name, for the administrators' choices."""
    return list(
        db.session.scalars(
            select(Organization)
            .where(Organization.kind == OrganizationKind.PROVIDER)
            .order_by(func.lower(Organization.name), Organization.id)
        )
    )


def staff_of(organization: Organization) -> list[User]:
    """The active provider staff of an organisation, by name."""
    return list(
        db.session.scalars(
            staff_query()
            .where(User.organization_id == organization.id)
            .order_by(func.lower(User.name), User.id)
        )
    )


class ModuleState(enum.Enum):
    DONE = "done"
    EXPIRING = "expiring"  # still valid, expires within the warning period
    EXPIRED = "expired"
    MISSING = "missing"


STATE_LABELS = {
    ModuleState.DONE: _l("Done"),
    ModuleState.EXPIRING: _l("Expires soon"),
    ModuleState.EXPIRED: _l("Expired"),
    ModuleState.MISSING: _l("Missing"),
}


@dataclass(frozen=True)
class ModuleProgress:
    module: TrainingModule
    state: ModuleState
    expires_on: date | None  # of the confirmed record that counts (or that expired last)
    pending: bool  # a declaration awaits an administrator

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self.state])


@dataclass(frozen=True)
class StaffProgress:
    user: User
    modules: tuple[ModuleProgress, ...]

    @property
    def complete(self) -> bool:
        return all(m.state in (ModuleState.DONE, ModuleState.EXPIRING) for m in self.modules)

    @property
    def to_do(self) -> list[ModuleProgress]:
        return [m for m in self.modules if m.state in (ModuleState.EXPIRED, ModuleState.MISSING)]


@dataclass(frozen=True)
class OrganizationTraining:
    """Where an organisation stands on a day: the rule's outcome and what each person lacks."""

    day: date
    is_trained: bool
    required: tuple[TrainingModule, ...]
    staff: tuple[StaffProgress, ...]
    share: float

    @property
    def complete_count(self) -> int:
        return sum(1 for s in self.staff if s.complete)

    @property
    def needed_count(self) -> int:
        """How many staff members must be complete for the organisation to count as trained."""
        count = len(self.staff)
        return next(n for n in range(count + 1) if meets_rule(count, n, self.share) or n == count)


def missing_for(organization: Organization, today: date) -> OrganizationTraining:
    """Per active staff member, each required module: done, expiring soon, expired or missing."""
    required = tuple(required_modules())
    staff = staff_of(organization)
    records = db.session.scalars(
        select(TrainingRecord).where(
            TrainingRecord.user_id.in_([u.id for u in staff]),
            TrainingRecord.module_id.in_([m.id for m in required]),
            TrainingRecord.status.in_([RecordStatus.CONFIRMED, RecordStatus.DECLARED]),
        )
    )
    confirmed: dict[tuple[int, int], list[date | None]] = {}
    pending: set[tuple[int, int]] = set()
    for record in records:
        key = (record.user_id, record.module_id)
        if record.status is RecordStatus.DECLARED:
            pending.add(key)
        else:
            confirmed.setdefault(key, []).append(record.expires_on)
    horizon = today + timedelta(days=warning_days())
    progress = []
    for user in staff:
        items = []
        for module in required:
            key = (user.id, module.id)
            state, expires = _state(confirmed.get(key, []), today, horizon)
            items.append(ModuleProgress(module, state, expires, key in pending))
        progress.append(StaffProgress(user, tuple(items)))
    share = min_staff_share()
    complete = sum(1 for p in progress if p.complete)
    return OrganizationTraining(
        day=today,
        is_trained=meets_rule(len(progress), complete, share),
        required=required,
        staff=tuple(progress),
        share=share,
    )


def _state(expiries: list[date | None], today: date, horizon: date):
    """The state given every confirmed record's expiry for one person and one module."""
    if not expiries:
        return ModuleState.MISSING, None
    dated = [expiry for expiry in expiries if expiry is not None]
    if len(dated) < len(expiries):  # a record that never expires
        return ModuleState.DONE, None
    latest = max(dated)
    if not valid_on(latest, today):
        return ModuleState.EXPIRED, latest
    return (ModuleState.EXPIRING if latest <= horizon else ModuleState.DONE), latest


def records_query(
    organization_id: int | None = None,
    module_id: int | None = None,
    status: RecordStatus | None = None,
) -> Select:
    """Records matching the filters, declared ones first, then the newest."""
    query = (
        select(TrainingRecord)
        .join(User, User.id == TrainingRecord.user_id)
        .options(
            selectinload(TrainingRecord.user).selectinload(User.organization),
            selectinload(TrainingRecord.module),
        )
        .order_by(
            (TrainingRecord.status == RecordStatus.DECLARED).desc(),
            TrainingRecord.created_at.desc(),
            TrainingRecord.id.desc(),
        )
    )
    if organization_id is not None:
        query = query.where(User.organization_id == organization_id)
    if module_id is not None:
        query = query.where(TrainingRecord.module_id == module_id)
    if status is not None:
        query = query.where(TrainingRecord.status == status)
    return query


def _not_renewed():
    """No other confirmed record of the same person and module lasts longer."""
    later = aliased(TrainingRecord)
    return ~exists().where(
        later.user_id == TrainingRecord.user_id,
        later.module_id == TrainingRecord.module_id,
        later.status == RecordStatus.CONFIRMED,
        later.id != TrainingRecord.id,
        or_(later.expires_on.is_(None), later.expires_on > TrainingRecord.expires_on),
    )


def expiring_query(today: date, days: int | None = None) -> Select:
    """Confirmed records of active staff that expire after today and within days (not renewed)."""
    horizon = today + timedelta(days=warning_days() if days is None else days)
    return (
        select(TrainingRecord)
        .join(User, User.id == TrainingRecord.user_id)
        .join(TrainingModule, TrainingModule.id == TrainingRecord.module_id)
        .where(
            TrainingRecord.status == RecordStatus.CONFIRMED,
            TrainingRecord.expires_on > today,
            TrainingRecord.expires_on <= horizon,
            User.active.is_(True),
            User.role == Role.PROVIDER,
            TrainingModule.active.is_(True),
            _not_renewed(),
        )
        .options(
            selectinload(TrainingRecord.user).selectinload(User.organization),
            selectinload(TrainingRecord.module),
        )
        .order_by(TrainingRecord.expires_on, TrainingRecord.id)
    )


def organization_records(organization: Organization) -> list[TrainingRecord]:
    """Every record of an organisation's staff (active or not), newest first."""
    return list(db.session.scalars(records_query(organization_id=organization.id)))


# --- Modules ------------------------------------------------------------------------------------

MODULE_FIELDS = (
    "name_fr",
    "name_en",
    "description_fr",
    "description_en",
    "validity_months",
    "required",
    "active",
    "position",
)


def save_module(
    module: TrainingModule | None, values: dict, now: datetime | None = None
) -> TrainingModule:
    """Create (module None, values with a code) or update a module, then recompute everyone.

    Changing validity does not move existing records' expiry: each keeps the one it was given.
    """
    now = now or utcnow()
    values = {
        name: (value.strip() or None) if isinstance(value, str) else value
        for name, value in values.items()
    }
    for name in ("name_fr", "name_en"):
        if name in values and not values[name]:
            raise TrainingError(_l("Give the module a name in French and in English."), name)
    if module is None:
        code = (values.get("code") or "").lower()
        if not code:
            raise TrainingError(_l("Give the module a code."), "code")
        if db.session.scalar(select(TrainingModule.id).where(TrainingModule.code == code)):
            raise TrainingError(_l("Another module already uses this code."), "code")
        module = TrainingModule(code=code)
        db.session.add(module)
    for name in MODULE_FIELDS:
        if name in values:
            setattr(module, name, values[name])
    db.session.flush()
    refresh_trained_status(now)
    return module


# --- Records ------------------------------------------------------------------------------------


def _check_completion(user: User, module: TrainingModule, completed_on: date, now: datetime):
    if user.role is not Role.PROVIDER or not user.active:
        raise TrainingError(_l("Choose an active staff member of a provider."), "user_id")
    if user.organization.kind is not OrganizationKind.PROVIDER:
        raise TrainingError(_l("Choose an active staff member of a provider."), "user_id")
    if not module.active:
        raise TrainingError(_l("This module is no longer offered."), "module_id")
    if completed_on > local_day(now):
        raise TrainingError(_l("The completion date cannot be in the future."), "completed_on")


def record_completion(
    user: User,
    module: TrainingModule,
    completed_on: date,
    actor: User,
    expires_on: date | None = None,
    evidence_note: str | None = None,
    now: datetime | None = None,
) -> TrainingRecord:
    """An administrator records a completion: confirmed at once; expiry from validity if None."""
    now = now or utcnow()
    _check_completion(user, module, completed_on, now)
    expires_on = expires_on or expiry_for(module, completed_on)
    if expires_on is not None and expires_on <= completed_on:
        raise TrainingError(_l("The expiry must come after the completion date."), "expires_on")
    record = TrainingRecord(
        user_id=user.id,
        module_id=module.id,
        completed_on=completed_on,
        expires_on=expires_on,
        evidence_note=(evidence_note or "").strip() or None,
        status=RecordStatus.CONFIRMED,
        confirmed_by_id=actor.id,
        confirmed_at=now,
        created_at=now,
    )
    db.session.add(record)
    db.session.flush()
    refresh_organization(user.organization, now)
    _notify_staff(record, "training_confirmed")
    return record


def declare_completion(
    user: User,
    module: TrainingModule,
    completed_on: date,
    actor: User,
    evidence_note: str | None = None,
    now: datetime | None = None,
) -> TrainingRecord:
    """A provider declares a completion for themself or a colleague; administrators confirm it."""
    now = now or utcnow()
    if actor.organization_id != user.organization_id:
        raise TrainingError(_l("Choose a member of your organisation."), "user_id")
    _check_completion(user, module, completed_on, now)
    _check_no_declaration_waiting(user, module)
    record = TrainingRecord(
        user_id=user.id,
        module_id=module.id,
        completed_on=completed_on,
        expires_on=expiry_for(module, completed_on),
        evidence_note=(evidence_note or "").strip() or None,
        status=RecordStatus.DECLARED,
        declared_by_id=actor.id,
        created_at=now,
    )
    db.session.add(record)
    db.session.flush()
    notify_admins(
        "training_declared",
        endpoint="training.records",
        endpoint_args={"status": RecordStatus.DECLARED.value},
        organization=user.organization.name,
    )
    return record


def _check_no_declaration_waiting(user: User, module: TrainingModule) -> None:
    waiting = select(TrainingRecord.id).where(
        TrainingRecord.user_id == user.id,
        TrainingRecord.module_id == module.id,
        TrainingRecord.status == RecordStatus.DECLARED,
    )
    if db.session.scalar(waiting) is not None:
        raise TrainingError(
            _l("A declaration of this module for this person already awaits confirmation."),
            "module_id",
        )


def _decide(record: TrainingRecord, to: RecordStatus) -> None:
    if to not in TRANSITIONS[record.status]:
        raise TrainingError(_l("This record was already decided."))
    record.status = to


def confirm_record(record: TrainingRecord, actor: User, now: datetime | None = None) -> None:
    """An administrator confirms a declaration; the organisation may now count as trained."""
    now = now or utcnow()
    _decide(record, RecordStatus.CONFIRMED)
    record.confirmed_by_id = actor.id
    record.confirmed_at = now
    record.decision_note = None
    db.session.flush()
    audit(actor, "training.record_confirm", "training_record", record.id)
    refresh_organization(record.user.organization, now)
    _notify_staff(record, "training_confirmed")


def reject_record(
    record: TrainingRecord, actor: User, note: str, now: datetime | None = None
) -> None:
    """An administrator refuses a declaration, saying why (the provider sees the note)."""
    now = now or utcnow()
    note = (note or "").strip()
    if not note:
        raise TrainingError(_l("Say why the declaration cannot be confirmed."), "note")
    _decide(record, RecordStatus.REJECTED)
    record.confirmed_by_id = actor.id
    record.confirmed_at = now
    record.decision_note = note
    db.session.flush()
    audit(actor, "training.record_reject", "training_record", record.id)
    refresh_organization(record.user.organization, now)
    _notify_staff(record, "training_rejected")


def delete_record(record: TrainingRecord, now: datetime | None = None) -> None:
    """Remove a record (entered by mistake); the organisation is recomputed without it."""
    organization = record.user.organization
    db.session.delete(record)
    db.session.flush()
    refresh_organization(organization, now or utcnow())


def withdraw_declaration(record: TrainingRecord, actor: User) -> None:
    """A provider takes back a declaration nobody has decided yet."""
    if record.status is not RecordStatus.DECLARED:
        raise TrainingError(_l("Only a declaration awaiting confirmation can be withdrawn."))
    if record.user.organization_id != actor.organization_id:
        raise TrainingError(_l("Choose a member of your organisation."))
    db.session.delete(record)
    db.session.flush()


def _notify_staff(record: TrainingRecord, kind: str) -> None:
    """Tell the staff member (and whoever declared for them) about their record."""
    people = {record.user.id: record.user}
    if record.declared_by is not None and record.declared_by.role is Role.PROVIDER:
        people.setdefault(record.declared_by.id, record.declared_by)
    notify(
        people.values(),
        kind,
        endpoint="training.provider_page",
        organization=record.user.organization.name,
    )


# --- Expiry notices --------------------------------------------------------------------------


def send_expiry_notices(now: datetime | None = None) -> int:
    """Tell staff and administrators, once per record, about confirmed records expiring soon."""
    now = now or utcnow()
    day = local_day(now)
    records = db.session.scalars(
        expiring_query(day).where(TrainingRecord.expiry_notice_sent_at.is_(None))
    ).all()
    for record in records:
        record.expiry_notice_sent_at = now
        user = record.user
        params = {
            "organization": user.organization.name,
            "date": record.expires_on.isoformat(),
        }
        notify(
            [user],
            "training_expiring",
            endpoint="training.provider_page",
            module=record.module.name(user.preferred_locale or "fr"),
            **params,
        )
        notify_admins(
            "training_expiring",
            endpoint="training.expiring",
            module=record.module.name("fr"),
            **params,
        )
    db.session.flush()
    return len(records)
