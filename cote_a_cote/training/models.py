"""Training modules and the records of staff members who completed them."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..catalogue.models import _enum
from ..database import UTCDateTime, utcnow
from ..extensions import db


class TrainingModule(db.Model):
    """A module partners' staff complete; required ones count toward 'trained'."""

    __tablename__ = "training_module"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    name_fr: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    description_fr: Mapped[str | None] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)
    # None: a completion never expires.
    validity_months: Mapped[int | None] = mapped_column(SmallInteger)
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" else self.name_fr

    def description(self, locale: str) -> str | None:
        return (self.description_en if locale == "en" else None) or self.description_fr


class RecordStatus(enum.Enum):
    DECLARED = "declared"  # by the provider, awaiting an administrator
    CONFIRMED = "confirmed"  # recorded or confirmed by an administrator
    REJECTED = "rejected"  # a declaration an administrator could not confirm


class TrainingRecord(db.Model):
    """A staff member's completion of a module, with its expiry."""

    __tablename__ = "training_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    module_id: Mapped[int] = mapped_column(
        ForeignKey("training_module.id", ondelete="CASCADE"), index=True
    )
    completed_on: Mapped[date] = mapped_column(Date)
    # None: never expires.
    expires_on: Mapped[date | None] = mapped_column(Date, index=True)
    evidence_note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[RecordStatus] = mapped_column(
        _enum(RecordStatus), default=RecordStatus.DECLARED, index=True
    )
    declared_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # An administrator's reason when a declaration is rejected.
    decision_note: Mapped[str | None] = mapped_column(Text)
    # When the 'expires soon' notice went out, so it is sent once.
    expiry_notice_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    module: Mapped[TrainingModule] = relationship()
    declared_by: Mapped[User | None] = relationship(foreign_keys=[declared_by_id])
    confirmed_by: Mapped[User | None] = relationship(foreign_keys=[confirmed_by_id])
