"""A problem someone reported on a service's listing, and each status change made on it."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..catalogue.models import Organization, Service
from ..database import UTCDateTime, enum_column, utcnow
from ..extensions import Model


class ReportKind(enum.Enum):
    WRONG_INFORMATION = "wrong_information"
    CLOSED_OR_MOVED = "closed_or_moved"
    POOR_WELCOME = "poor_welcome"
    OTHER = "other"


# Kinds the provider is told about and sees in the portal; the others stay with the coordinators.
INFORMATION_KINDS = frozenset({ReportKind.WRONG_INFORMATION, ReportKind.CLOSED_OR_MOVED})


class ReportStatus(enum.Enum):
    NEW = "new"
    IN_PROGRESS = "in_progress"
    FIXED = "fixed"
    DISMISSED = "dismissed"


OPEN_STATUSES = frozenset({ReportStatus.NEW, ReportStatus.IN_PROGRESS})


class ListingReport(Model):
    """One report: what kind of problem, a short note, and where the coordinators stand on it.

    organization_id and service_name are kept from the moment of the report so the organisation's
    history still shows it once the service is deleted. reporter_id is kept for the coordinators
    only (it is never shown to the provider) and is empty for the public.
    """

    __tablename__ = "listing_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int | None] = mapped_column(
        ForeignKey("service.id", ondelete="SET NULL"), index=True
    )
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    service_name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[ReportKind] = mapped_column(enum_column(ReportKind), index=True)
    note: Mapped[str] = mapped_column(Text)
    status: Mapped[ReportStatus] = mapped_column(
        enum_column(ReportStatus), default=ReportStatus.NEW, index=True
    )
    reporter_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the provider's staff were told (information kinds only).
    provider_told_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    service: Mapped[Service | None] = relationship()
    organization: Mapped[Organization] = relationship()
    reporter: Mapped[User | None] = relationship()
    events: Mapped[list[ListingReportEvent]] = relationship(
        back_populates="report",
        cascade="all, delete-orphan",
        order_by="(ListingReportEvent.created_at.desc(), ListingReportEvent.id.desc())",
    )

    @property
    def is_information(self) -> bool:
        return self.kind in INFORMATION_KINDS

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ListingReportEvent(Model):
    """A status change made by a coordinator, with the note explaining it (coordinators only)."""

    __tablename__ = "listing_report_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("listing_report.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[ReportStatus] = mapped_column(enum_column(ReportStatus))
    to_status: Mapped[ReportStatus] = mapped_column(enum_column(ReportStatus))
    note: Mapped[str | None] = mapped_column(Text)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    report: Mapped[ListingReport] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()
