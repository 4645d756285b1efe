"""Decisions about an organisation: the allowed status changes, written once, and its history.

Every decision sets the status, records who, when, what and why in organization_event, notifies
the people concerned and flushes; the request commits.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..accounts.models import User
from ..catalogue.models import Organization, OrganizationStatus
from ..database import utcnow
from ..extensions import db
from ..notifications.services import notify_admins, notify_organization
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


class VettingError(Exception):
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
    if action not in TRANSITIONS:
        raise VettingError(_l("This decision does not exist."))
    sources, target = TRANSITIONS[action]
    if organization.status not in sources:
        raise VettingError(
            _l("This decision is not possible in the organisation's current status.")
        )
    if action in NEEDS_MESSAGE and not (message or "").strip():
        raise VettingError(_l("Please give the reason; the organisation will read it."))
    now = now or utcnow()
    organization.status = target
    if action is EventAction.SUBMITTED:
        organization.submitted_at = now
    if action is EventAction.APPROVED:
        organization.partner_since = organization.partner_since or now.date()
        organization.last_verified_at = now
        organization.stale_warning_sent_at = None
        organization.stale_notice_sent_at = None
    event = record_event(organization, action, actor, message, now=now)
    db.session.flush()
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
            organization.id, _PROVIDER_NOTICES[action], endpoint="home.index", **params
        )
    return event


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
