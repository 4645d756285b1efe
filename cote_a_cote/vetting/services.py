"""Decisions about an organisation: the allowed status changes, written once, and its history.

Every decision sets the status, records who, when, what and why in organization_event, notifies
the people concerned and flushes; the request commits.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from .. import signals
from ..accounts.models import User
from ..catalogue.models import Organization, OrganizationKind, OrganizationStatus
from ..config import settings
from ..database import utcnow
from ..errors import UserError
from ..extensions import db
from ..notifications.services import notify_admins, notify_organization
from ..revisions.models import ProfileRevision, RevisionStatus
from .models import EventAction, OrganizationEvent

S = OrganizationStatus

# action -> (statuses it may start from, status it leads to)
TRANSITIONS: dict[EventAction, tuple[frozenset[OrganizationStatus], OrganizationStatus]] = {
    EventAction.SUBMITTED: (frozenset({S.DRAFT, S.CHANGES_REQUESTED}), S.SUBMITTED),
    EventAction.CHANGES_REQUESTED: (frozenset({S.SUBMITTED}), S.CHANGES_REQUESTED),
    EventAction.APPROVED: (frozenset({S.SUBMITTED}), S.APPROVED),
    EventAction.REJECTED: (frozenset({S.SUBMITTED, S.CHANGES_REQUESTED}), S.REJECTED),
    EventAction.SUSPENDED: (frozenset({S.APPROVED}), S.SUSPENDED),
    EventAction.REINSTATED: (frozenset({S.SUSPENDED}), S.APPROVED),
}

# Decisions that must say why.
NEEDS_MESSAGE = frozenset(
    {EventAction.CHANGES_REQUESTED, EventAction.REJECTED, EventAction.SUSPENDED}
)

# Who hears about each decision, and with which notification kind.
_PROVIDER_NOTICES = {
    EventAction.CHANGES_REQUESTED: "application_changes_requested",
    EventAction.APPROVED: "application_approved",
    EventAction.REJECTED: "application_rejected",
    EventAction.SUSPENDED: "organization_suspended",
    EventAction.REINSTATED: "organization_reinstated",
}


# Where the provider's notifications lead (the portal's home; the site's home if it is missing).
PROVIDER_PAGE = "portal.dashboard"


class VettingError(UserError):
    """A decision that is not allowed now; the message is shown to the user."""


def allowed_actions(organization: Organization) -> list[EventAction]:
    return [a for a, (sources, _to) in TRANSITIONS.items() if organization.status in sources]


def record_event(
    organization: Organization,
    action: EventAction,
    actor: User | None,
    message: str | None = None,
    revision_id: int | None = None,
    now: datetime | None = None,
) -> OrganizationEvent:
    """Add one entry to the organisation's history."""
    event = OrganizationEvent(
        organization_id=organization.id,
        actor_id=actor.id if actor else None,
        action=action,
        message=(message or "").strip() or None,
        revision_id=revision_id,
        created_at=now or utcnow(),
    )
    db.session.add(event)
    return event


def decide(
    organization: Organization,
    action: EventAction,
    actor: User,
    message: str | None = None,
    now: datetime | None = None,
) -> OrganizationEvent:
    """Apply one status change from TRANSITIONS, or raise VettingError."""
    _check_decision(organization, action, message)
    now = now or utcnow()
    _change_status(organization, action, now)
    event = record_event(organization, action, actor, message, now=now)
    db.session.flush()
    _announce_decision(organization, action, actor, now)
    return event


def _check_decision(organization: Organization, action: EventAction, message: str | None) -> None:
    """Raise VettingError unless TRANSITIONS allows action now, with a reason where one is due."""
    if action not in TRANSITIONS:
        raise VettingError(_l("This decision does not exist."))
    sources, _target = TRANSITIONS[action]
    if organization.status not in sources:
        raise VettingError(
            _l("This decision is not possible in the organisation's current status.")
        )
    if action in NEEDS_MESSAGE and not (message or "").strip():
        raise VettingError(_l("Please give the reason; the organisation will read it."))


def _change_status(organization: Organization, action: EventAction, now: datetime) -> None:
    """Move the organisation to the action's target status, with the dates that go with it."""
    organization.status = TRANSITIONS[action][1]
    if action is EventAction.SUBMITTED:
        organization.submitted_at = now
    if action is EventAction.APPROVED:
        organization.partner_since = organization.partner_since or now.date()
        organization.last_verified_at = now
        organization.stale_warning_sent_at = None
        organization.stale_notice_sent_at = None


def _announce_decision(
    organization: Organization, action: EventAction, actor: User, now: datetime
) -> None:
    """Tell the features that react to a suspension, and the people the decision concerns."""
    if action is EventAction.SUSPENDED:
        signals.organization_suspended.send(organization, now=now, actor=actor)
    params = {"organization": organization.name}
    if action is EventAction.SUBMITTED:
        notify_admins(
            "application_received",
            endpoint="vetting.review",
            endpoint_args={"organization_id": organization.id},
            **params,
        )
    elif action in _PROVIDER_NOTICES:
        notify_organization(
            organization.id, _PROVIDER_NOTICES[action], endpoint=PROVIDER_PAGE, **params
        )


def submit_application(
    organization: Organization, actor: User, now: datetime | None = None
) -> OrganizationEvent:
    """The provider sends its draft (or its corrected profile) for review."""
    return decide(organization, EventAction.SUBMITTED, actor, now=now)


def history(organization: Organization) -> list[OrganizationEvent]:
    """The organisation's decisions and events, newest first."""
    return list(
        db.session.scalars(
            select(OrganizationEvent)
            .where(OrganizationEvent.organization_id == organization.id)
            .options(selectinload(OrganizationEvent.actor))
            .order_by(OrganizationEvent.created_at.desc(), OrganizationEvent.id.desc())
        )
    )


def latest_change_request(organization: Organization) -> OrganizationEvent | None:
    """The message a provider must act on while its application has changes requested."""
    if organization.status is not OrganizationStatus.CHANGES_REQUESTED:
        return None
    return db.session.scalar(
        select(OrganizationEvent)
        .where(
            OrganizationEvent.organization_id == organization.id,
            OrganizationEvent.action == EventAction.CHANGES_REQUESTED,
        )
        .order_by(OrganizationEvent.created_at.desc(), OrganizationEvent.id.desc())
        .limit(1)
    )


# --- Stale profiles ------------------------------------------------------------------------------

STALE_SOON = "stale_soon"
STALE_NOW = "stale_now"


def stale_after() -> timedelta:
    """How long a confirmation stays valid (STALE_AFTER_DAYS, shared with the catalogue badge)."""
    return timedelta(days=settings().stale_after_days)


def stale_warning() -> timedelta:
    """How long before a profile goes stale its staff are warned (STALE_WARNING_DAYS)."""
    days = settings().stale_warning_days
    return timedelta(days=days)


def _approved_providers():
    return select(Organization).where(
        Organization.kind == OrganizationKind.PROVIDER,
        Organization.status == OrganizationStatus.APPROVED,
    )


def _stale_condition(now: datetime):
    # The same rule as catalogue.services.verification(): never verified, or verified longer ago
    # than the limit.
    return or_(
        Organization.last_verified_at.is_(None),
        Organization.last_verified_at < now - stale_after(),
    )


def stale_query(now: datetime | None = None):
    """select(Organization): approved providers whose profile is stale, the oldest first."""
    return (
        _approved_providers()
        .where(_stale_condition(now or utcnow()))
        .order_by(Organization.last_verified_at.asc().nulls_first(), Organization.id)
    )


def stale_count(now: datetime | None = None) -> int:
    query = stale_query(now).order_by(None).subquery()
    return db.session.execute(select(func.count()).select_from(query)).scalar_one()


def stale_since(organization: Organization) -> datetime | None:
    """When the profile went (or goes) stale; None when it was never verified."""
    if organization.last_verified_at is None:
        return None
    return organization.last_verified_at + stale_after()


def send_stale_reminders(now: datetime | None = None) -> tuple[int, int]:
    """Warn staff before their profile goes stale, then tell them once it is; each once.

    Re-confirming the profile (portal) resets both, so the next cycle reminds again.
    Returns (warnings sent, notices sent).
    """
    now = now or utcnow()
    warn_from = now - stale_after() + stale_warning()
    due = db.session.scalars(
        _approved_providers()
        .where(
            or_(
                Organization.last_verified_at.is_(None),
                Organization.last_verified_at < warn_from,
            ),
            Organization.stale_notice_sent_at.is_(None),
        )
        .order_by(Organization.id)
    ).all()
    warnings = notices = 0
    for organization in due:
        stale_at = stale_since(organization)
        if stale_at is None or now > stale_at:
            kind = STALE_NOW
            organization.stale_notice_sent_at = now
            params = {}
            notices += 1
        elif organization.stale_warning_sent_at is None:
            kind = STALE_SOON
            organization.stale_warning_sent_at = now
            params = {"date": stale_at.date().isoformat()}
            warnings += 1
        else:
            continue
        record_event(organization, EventAction.STALE_REMINDER, None, kind, now=now)
        notify_organization(
            organization.id, kind, endpoint=PROVIDER_PAGE, organization=organization.name, **params
        )
    db.session.flush()
    return warnings, notices


def pending_revision_count() -> int:
    return db.session.execute(
        select(func.count(ProfileRevision.id)).where(
            ProfileRevision.status == RevisionStatus.PENDING
        )
    ).scalar_one()
