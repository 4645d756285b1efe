"""What administrators decide about an organisation: its history of decisions."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..catalogue.models import Organization
from ..database import UTCDateTime, enum_column, utcnow
from ..extensions import Model


class EventAction(enum.Enum):
    """Everything kept in an organisation's history."""

    APPLIED = "applied"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    SUSPENDED = "suspended"
    REINSTATED = "reinstated"
    REVISION_SUBMITTED = "revision_submitted"
    REVISION_APPROVED = "revision_approved"
    REVISION_RETURNED = "revision_returned"
    VERIFIED = "verified"
    STALE_REMINDER = "stale_reminder"


class OrganizationEvent(Model):
    """One entry of an organisation's history: who did what, when, and why."""

    __tablename__ = "organization_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    action: Mapped[EventAction] = mapped_column(enum_column(EventAction))
    # The reason or message written by the actor (shown to the provider for change requests).
    message: Mapped[str | None] = mapped_column(Text)
    revision_id: Mapped[int | None] = mapped_column(ForeignKey("profile_revision.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    organization: Mapped[Organization] = relationship()
    actor: Mapped[User | None] = relationship()
