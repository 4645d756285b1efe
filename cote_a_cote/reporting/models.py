"""Highlights: the short texts administrators write, per quarter, for the annual report."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, SmallInteger, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..database import UTCDateTime, utcnow
from ..extensions import Model


class ReportHighlight(Model):
    """One quarter's highlight of a reporting year (quarter 1 is April to June)."""

    __tablename__ = "report_highlight"
    __table_args__ = (UniqueConstraint("start_year", "quarter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    start_year: Mapped[int] = mapped_column(SmallInteger)  # the year's April
    quarter: Mapped[int] = mapped_column(SmallInteger)  # 1 to 4
    text: Mapped[str] = mapped_column(Text)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
