"""Profile revisions: a proposed change to one object of a published profile, awaiting review."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..catalogue.models import Organization
from ..database import UTCDateTime, enum_column, utcnow
from ..extensions import Model


class RevisionStatus(enum.Enum):
    PENDING = "pending"
    APPROVED = "approved"
    RETURNED = "returned"
    WITHDRAWN = "withdrawn"


class RevisionTarget(enum.Enum):
    ORGANIZATION = "organization"
    SERVICE = "service"
    LOCATION = "location"


class RevisionAction(enum.Enum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


class ProfileRevision(Model):
    """A proposed change to one object of an approved profile, live only once approved.

    payload holds the proposed field values (JSON-safe, as revisions/services.py writes them);
    target_id is None for a proposed new service or location.
    """

    __tablename__ = "profile_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    target: Mapped[RevisionTarget] = mapped_column(enum_column(RevisionTarget))
    target_id: Mapped[int | None] = mapped_column()
    action: Mapped[RevisionAction] = mapped_column(enum_column(RevisionAction))
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[RevisionStatus] = mapped_column(
        enum_column(RevisionStatus), default=RevisionStatus.PENDING, index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Why it was returned (the provider sees it).
    message: Mapped[str | None] = mapped_column(Text)

    organization: Mapped[Organization] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
