"""Training modules and the records of staff members who completed them."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..database import UTCDateTime, enum_column, utcnow
from ..extensions import Model


class TrainingModule(Model):
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
    # A self-paced module's quiz: the share of right answers that passes (None: no quiz).
    quiz_pass_percent: Mapped[int | None] = mapped_column(SmallInteger)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" else self.name_fr

    def description(self, locale: str) -> str | None:
        return (self.description_en if locale == "en" else None) or self.description_fr


class RecordStatus(enum.Enum):
    DECLARED = "declared"  # by the provider, awaiting an administrator
    CONFIRMED = "confirmed"  # recorded or confirmed by an administrator
    REJECTED = "rejected"  # a declaration an administrator could not confirm


class TrainingRecord(Model):
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
        enum_column(RecordStatus), default=RecordStatus.DECLARED, index=True
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


# --- Delivered training: content, sessions and enrolment (issue 17 §2) ------------------------


class ModuleSection(Model):
    """One section of a module's content page, in French and optionally English."""

    __tablename__ = "training_module_section"

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(
        ForeignKey("training_module.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    title_fr: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str | None] = mapped_column(String(200))
    body_fr: Mapped[str] = mapped_column(Text)
    body_en: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    module: Mapped[TrainingModule] = relationship()

    def title(self, locale: str) -> str:
        return (self.title_en if locale == "en" else None) or self.title_fr

    def body(self, locale: str) -> str:
        return (self.body_en if locale == "en" else None) or self.body_fr


class SessionLanguage(enum.Enum):
    FR = "fr"
    EN = "en"
    BILINGUAL = "fr-en"


class TrainingSession(Model):
    """A dated delivery of a module, in a place or online, with a number of seats."""

    __tablename__ = "training_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(
        ForeignKey("training_module.id", ondelete="CASCADE"), index=True
    )
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    place: Mapped[str | None] = mapped_column(String(300))
    online_url: Mapped[str | None] = mapped_column(String(500))
    seats: Mapped[int] = mapped_column(SmallInteger)
    language: Mapped[SessionLanguage] = mapped_column(
        enum_column(SessionLanguage), default=SessionLanguage.FR
    )
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A cancelled session takes no enrolment, no attendance and sends no reminder.
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    # Shown to the staff who were enrolled or waiting, on the session's page; never e-mailed.
    cancellation_reason: Mapped[str | None] = mapped_column(String(500))

    module: Mapped[TrainingModule] = relationship()
    enrolments: Mapped[list[SessionEnrolment]] = relationship(
        back_populates="session",
        cascade="all, delete-orphan",
        order_by="SessionEnrolment.enrolled_at, SessionEnrolment.id",
    )


class EnrolmentStatus(enum.Enum):
    ENROLLED = "enrolled"  # holds a seat
    WAITING = "waiting"  # on the waiting list, first come first served
    CANCELLED = "cancelled"  # gave the seat (or the place in line) back
    ATTENDED = "attended"  # present: a confirmed training record was created
    ABSENT = "absent"  # held a seat and did not come


class SessionEnrolment(Model):
    """A staff member's place in a session: a seat, a place on the waiting list, or attendance."""

    __tablename__ = "training_enrolment"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("training_session.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[EnrolmentStatus] = mapped_column(
        enum_column(EnrolmentStatus), default=EnrolmentStatus.ENROLLED, index=True
    )
    # The order of the waiting list; set again when a cancelled person enrols anew.
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    enrolled_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    attendance_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    attendance_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the reminder before the session went out, so it is sent once.
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The record attendance created (removed again if the attendance is corrected to absent).
    record_id: Mapped[int | None] = mapped_column(
        ForeignKey("training_record.id", ondelete="SET NULL")
    )

    session: Mapped[TrainingSession] = relationship(back_populates="enrolments")
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    record: Mapped[TrainingRecord | None] = relationship()


class QuizQuestion(Model):
    """One question of a self-paced module's quiz: choices one per line, one of them right."""

    __tablename__ = "training_quiz_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(
        ForeignKey("training_module.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    prompt_fr: Mapped[str] = mapped_column(String(500))
    prompt_en: Mapped[str | None] = mapped_column(String(500))
    choices_fr: Mapped[str] = mapped_column(Text)
    choices_en: Mapped[str | None] = mapped_column(Text)
    correct_index: Mapped[int] = mapped_column(SmallInteger)  # 0 for the first choice

    def prompt(self, locale: str) -> str:
        return (self.prompt_en if locale == "en" else None) or self.prompt_fr

    def choices(self, locale: str) -> list[str]:
        french = [line.strip() for line in self.choices_fr.splitlines() if line.strip()]
        if locale == "en" and self.choices_en:
            english = [line.strip() for line in self.choices_en.splitlines() if line.strip()]
            if len(english) == len(french):
                return english
        return french


class QuizAttempt(Model):
    """A staff member's answers to a module's quiz: only the score is kept, never the answers."""

    __tablename__ = "training_quiz_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    module_id: Mapped[int] = mapped_column(
        ForeignKey("training_module.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    score_percent: Mapped[int] = mapped_column(SmallInteger)
    passed: Mapped[bool] = mapped_column(Boolean, default=False)
    record_id: Mapped[int | None] = mapped_column(
        ForeignKey("training_record.id", ondelete="SET NULL")
    )
