"""Help lines administrators keep, and which referring organisations agreed to be listed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..catalogue.models import Organization, Region
from ..database import UTCDateTime, utcnow
from ..extensions import Model


class Helpline(Model):
    """A public help line serving Québec, shown on /obtenir-de-l-aide while active."""

    __tablename__ = "helpline"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stable key of a line loaded from seeds/helplines.json (None for lines added by hand).
    seed_key: Mapped[str | None] = mapped_column(String(60), unique=True)
    name_fr: Mapped[str] = mapped_column(String(150))
    name_en: Mapped[str] = mapped_column(String(150))
    description_fr: Mapped[str | None] = mapped_column(String(500))
    description_en: Mapped[str | None] = mapped_column(String(500))
    phone: Mapped[str] = mapped_column(String(40))
    hours_fr: Mapped[str | None] = mapped_column(String(120))
    hours_en: Mapped[str | None] = mapped_column(String(120))
    # Where the number was checked (shown to administrators, never invented).
    source_url: Mapped[str | None] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    def name(self, locale: str) -> str:
        return (self.name_en if locale == "en" else None) or self.name_fr

    def description(self, locale: str) -> str | None:
        return (self.description_en if locale == "en" else None) or self.description_fr

    def hours(self, locale: str) -> str | None:
        return (self.hours_en if locale == "en" else None) or self.hours_fr


class ReferrerListing(Model):
    """Whether a referring organisation agreed to appear on the public help page, and how."""

    __tablename__ = "referrer_listing"

    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), primary_key=True
    )
    # Off until the organisation agrees and an administrator records it.
    listed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    region_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"), index=True)
    how_to_reach_fr: Mapped[str | None] = mapped_column(String(300))
    how_to_reach_en: Mapped[str | None] = mapped_column(String(300))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    organization: Mapped[Organization] = relationship()
    region: Mapped[Region | None] = relationship()

    def how_to_reach(self, locale: str) -> str | None:
        return (self.how_to_reach_en if locale == "en" else None) or self.how_to_reach_fr
