"""How vetting keeps an organisation's history of the profile revisions decided elsewhere."""

from __future__ import annotations

from .. import signals
from .models import EventAction
from .services import record_event


def _submitted(organization, actor, revision, now, **_):
    record_event(
        organization, EventAction.REVISION_SUBMITTED, actor, revision_id=revision.id, now=now
    )


def _approved(organization, actor, revision, now, **_):
    record_event(
        organization, EventAction.REVISION_APPROVED, actor, revision_id=revision.id, now=now
    )


def _returned(organization, actor, revision, message, now, **_):
    record_event(
        organization,
        EventAction.REVISION_RETURNED,
        actor,
        message=message,
        revision_id=revision.id,
        now=now,
    )


def connect() -> None:
    """Subscribe vetting to the signals it reacts to (connecting twice changes nothing)."""
    signals.revision_submitted.connect(_submitted)
    signals.revision_approved.connect(_approved)
    signals.revision_returned.connect(_returned)
