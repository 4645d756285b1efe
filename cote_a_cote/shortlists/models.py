"""Named shortlists of services, private to their intervenante (or shared in her organisation).

A shortlist holds no identity: a name the intervenante chooses, services in an order, and a
short private note per entry that the daily purge erases (services.purge_notes).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..catalogue.models import Service
from ..database import UTCDateTime, utcnow
from ..extensions import Model

NAME_MAX = 120
NOTE_MAX = 500


class Shortlist(Model):
    __tablename__ = "shortlist"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    # The owner's organisation: colleagues see the list when it shares referrals.
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    entries: Mapped[list[ShortlistEntry]] = relationship(
        back_populates="shortlist",
        order_by="(ShortlistEntry.position, ShortlistEntry.id)",
        cascade="all, delete-orphan",
    )


class ShortlistEntry(Model):
    """A service on a shortlist; kept when the service is hidden or deleted (shown unavailable)."""

    __tablename__ = "shortlist_entry"
    __table_args__ = (UniqueConstraint("shortlist_id", "service_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shortlist_id: Mapped[int] = mapped_column(
        ForeignKey("shortlist.id", ondelete="CASCADE"), index=True
    )
    service_id: Mapped[int | None] = mapped_column(
        ForeignKey("service.id", ondelete="SET NULL"), index=True
    )
    # The service's French name when added, to name an entry whose service was deleted.
    service_name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str | None] = mapped_column(String(NOTE_MAX))  # private, purged
    note_written_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    shortlist: Mapped[Shortlist] = relationship(back_populates="entries")
    service: Mapped[Service | None] = relationship()
