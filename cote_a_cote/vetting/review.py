"""What the vetting pages read: the queues, a whole profile under review, and readable history.

Administrators see everything here, confidential addresses included; provider staff only ever get
history_for_staff() of their own organisation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import abort
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from ..accounts.models import User
from ..catalogue.models import (
    Location,
    Organization,
    OrganizationKind,
    OrganizationStatus,
    Service,
    ServiceArea,
    TaxonomyTerm,
)
from ..database import utcnow
from ..extensions import db
from ..revisions import diff as revision_diff
from ..revisions.models import ProfileRevision, RevisionStatus
from ..roles import Role
from . import services
from .models import (
    EventAction,
    OrganizationEvent,
)

QUEUE_LIMIT = 200

ACTION_LABELS = {
    EventAction.APPLIED: _l("Applied to become a partner"),
    EventAction.SUBMITTED: _l("Submitted for review"),
    EventAction.CHANGES_REQUESTED: _l("Changes requested"),
    EventAction.APPROVED: _l("Approved"),
    EventAction.REJECTED: _l("Rejected"),
    EventAction.SUSPENDED: _l("Suspended"),
    EventAction.REINSTATED: _l("Reinstated"),
    EventAction.REVISION_SUBMITTED: _l("Profile change proposed"),
    EventAction.REVISION_APPROVED: _l("Profile change published"),
    EventAction.REVISION_RETURNED: _l("Profile change returned"),
    EventAction.VERIFIED: _l("Profile confirmed as still accurate"),
    EventAction.STALE_REMINDER: _l("Reminder to confirm the profile"),
}

# STALE_REMINDER events keep the notification kind as their message; it reads as this.
REMINDER_LABELS = {
    services.STALE_SOON: _l("Reminder sent: the profile will soon be out of date"),
    services.STALE_NOW: _l("Notice sent: the profile is out of date"),
}

REVISION_STATUS_LABELS = {
    RevisionStatus.PENDING: _l("Awaiting review"),
    RevisionStatus.APPROVED: _l("Published"),
    RevisionStatus.RETURNED: _l("Returned"),
    RevisionStatus.WITHDRAWN: _l("Withdrawn"),
}


# --- Loaders (404 for what is not there to review) ----------------------------------------------


def get_application(organization_id: int) -> Organization:
    """A provider organisation, whatever its status; referring organisations are not vetted."""
    organization = db.session.get(Organization, organization_id)
    if organization is None or organization.kind is not OrganizationKind.PROVIDER:
        abort(404)
    return organization


def get_revision(revision_id: int) -> ProfileRevision:
    revision = db.session.scalar(
        select(ProfileRevision)
        .where(ProfileRevision.id == revision_id)
        .options(
            selectinload(ProfileRevision.organization),
            selectinload(ProfileRevision.created_by),
        )
    )
    if revision is None:
        abort(404)
    return revision


# --- Queues ---------------------------------------------------------------------------------------


@dataclass
class ApplicationQueue:
    submitted: list[Organization]
    submitted_count: int
    changes_requested: list[Organization]
    changes_requested_count: int


def _count(query: Select) -> int:
    counted = select(func.count()).select_from(query.order_by(None).subquery())
    return db.session.execute(counted).scalar_one()


def application_queue() -> ApplicationQueue:
    """Submitted applications oldest first, then those waiting for the provider's corrections."""

    def in_status(status: OrganizationStatus):
        return select(Organization).where(
            Organization.kind == OrganizationKind.PROVIDER, Organization.status == status
        )

    submitted = in_status(OrganizationStatus.SUBMITTED)
    waiting = in_status(OrganizationStatus.CHANGES_REQUESTED)
    oldest_first = func.coalesce(Organization.submitted_at, Organization.created_at)
    return ApplicationQueue(
        submitted=list(
            db.session.scalars(submitted.order_by(oldest_first, Organization.id).limit(QUEUE_LIMIT))
        ),
        submitted_count=_count(submitted),
        changes_requested=list(
            db.session.scalars(
                waiting.order_by(Organization.updated_at, Organization.id).limit(QUEUE_LIMIT)
            )
        ),
        changes_requested_count=_count(waiting),
    )


@dataclass(frozen=True)
class RevisionRow:
    revision: ProfileRevision
    title: str  # what it changes, e.g. "Service: Clinique (change)"


def revision_row(revision: ProfileRevision) -> RevisionRow:
    return RevisionRow(revision=revision, title=revision_diff.describe(revision))


def revision_queue() -> tuple[list[RevisionRow], int]:
    """Pending profile revisions of every organisation, the oldest first, and their total."""
    pending = select(ProfileRevision).where(ProfileRevision.status == RevisionStatus.PENDING)
    rows = db.session.scalars(
        pending.options(
            selectinload(ProfileRevision.organization),
            selectinload(ProfileRevision.created_by),
        )
        .order_by(ProfileRevision.created_at, ProfileRevision.id)
        .limit(QUEUE_LIMIT)
    )
    return [revision_row(r) for r in rows], _count(pending)


@dataclass(frozen=True)
class StaleRow:
    organization: Organization
    verified_at: datetime | None
    days_since: int | None  # days since the last confirmation; None: never confirmed
    stale_since: datetime | None
    warning_sent_at: datetime | None
    notice_sent_at: datetime | None


def stale_rows(now: datetime | None = None) -> tuple[list[StaleRow], int]:
    """Approved providers whose profile is stale, the longest unconfirmed first, and their total."""
    now = now or utcnow()
    query = services.stale_query(now)
    rows = []
    for org in db.session.scalars(query.limit(QUEUE_LIMIT)):
        verified = org.last_verified_at
        rows.append(
            StaleRow(
                organization=org,
                verified_at=verified,
                days_since=(now - verified).days if verified else None,
                stale_since=services.stale_since(org),
                warning_sent_at=org.stale_warning_sent_at,
                notice_sent_at=org.stale_notice_sent_at,
            )
        )
    return rows, _count(query)


# --- The whole profile ----------------------------------------------------------------------------


@dataclass
class Profile:
    organization: Organization
    services: list[Service]
    locations: list[Location]
    staff: list[User]


def profile(organization: Organization) -> Profile:
    """Everything an administrator checks before deciding, loaded in a few queries."""
    services_found = db.session.scalars(
        select(Service)
        .where(Service.organization_id == organization.id)
        .options(
            selectinload(Service.terms).selectinload(TaxonomyTerm.taxonomy),
            selectinload(Service.languages),
            selectinload(Service.areas).selectinload(ServiceArea.region),
            selectinload(Service.schedules),
            selectinload(Service.locations),
        )
        .order_by(Service.id)
    )
    locations = db.session.scalars(
        select(Location)
        .where(Location.organization_id == organization.id)
        .options(selectinload(Location.region))
        .order_by(Location.id)
    )
    staff = db.session.scalars(
        select(User)
        .where(User.organization_id == organization.id, User.role == Role.PROVIDER)
        .order_by(User.name, User.id)
    )
    return Profile(organization, list(services_found), list(locations), list(staff))


# --- History --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    action: str
    actor: str | None
    message: str | None


def _label(event: OrganizationEvent) -> tuple[str, str | None]:
    """The event's wording and the message to show with it (reminders carry a kind, not prose)."""
    if event.action is EventAction.STALE_REMINDER:
        return str(REMINDER_LABELS.get(event.message or "", ACTION_LABELS[event.action])), None
    return str(ACTION_LABELS[event.action]), event.message


def history_for_admin(organization: Organization) -> list[HistoryEntry]:
    """Every event, newest first, naming who acted (or the platform, for automatic reminders)."""
    entries = []
    for event in services.history(organization):
        action, message = _label(event)
        actor = f"{event.actor.name} <{event.actor.email}>" if event.actor else None
        entries.append(HistoryEntry(event.created_at, action, actor, message))
    return entries


def history_for_staff(organization: Organization) -> list[HistoryEntry]:
    """The same history as provider staff may read it: administrators appear as the team.

    For the portal: the caller must pass the viewer's own organisation.
    """
    team = str(_l("The coordinating team"))
    entries = []
    for event in services.history(organization):
        action, message = _label(event)
        if event.actor is None:
            actor = None
        elif event.actor.role is Role.ADMIN:
            actor = team
        else:
            actor = event.actor.name
        entries.append(HistoryEntry(event.created_at, action, actor, message))
    return entries
