"""Prospects: businesses or organisations someone suggested as future partners."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..catalogue.models import Organization, Region, TaxonomyTerm
from ..database import UTCDateTime, enum_column, utcnow
from ..extensions import Model


class ProspectStatus(enum.Enum):
    SUGGESTED = "suggested"
    CONTACTED = "contacted"
    INTERESTED = "interested"
    APPLIED = "applied"
    NOT_NOW = "not_now"


S = ProspectStatus
# The only moves a coordinator may make by hand. "Applied" is reached by linking an application.
TRANSITIONS: dict[ProspectStatus, frozenset[ProspectStatus]] = {
    S.SUGGESTED: frozenset({S.CONTACTED, S.NOT_NOW}),
    S.CONTACTED: frozenset({S.INTERESTED, S.NOT_NOW}),
    S.INTERESTED: frozenset({S.CONTACTED, S.NOT_NOW}),
    S.NOT_NOW: frozenset({S.SUGGESTED, S.CONTACTED}),
    S.APPLIED: frozenset(),
}
# Where the "Devenir partenaire" invitation may still be sent from.
INVITABLE = frozenset({S.SUGGESTED, S.CONTACTED, S.INTERESTED, S.NOT_NOW})


class Prospect(Model):
    """A business or organisation that could become a partner; never anything about a client."""

    __tablename__ = "prospect"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    sector_id: Mapped[int | None] = mapped_column(
        ForeignKey("taxonomy_term.id", ondelete="SET NULL"), index=True
    )
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)
    why: Mapped[str] = mapped_column(Text)
    knows_someone: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    suggested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[ProspectStatus] = mapped_column(
        enum_column(ProspectStatus),
        default=ProspectStatus.SUGGESTED,
        index=True,
    )
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    notes: Mapped[str | None] = mapped_column(Text)
    next_step_on: Mapped[date | None] = mapped_column(Date)
    invited_email: Mapped[str | None] = mapped_column(String(254), index=True)
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organization.id", ondelete="SET NULL"), index=True
    )

    sector: Mapped[TaxonomyTerm | None] = relationship()
    region: Mapped[Region] = relationship()
    suggested_by: Mapped[User | None] = relationship()
    organization: Mapped[Organization | None] = relationship()
