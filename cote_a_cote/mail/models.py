"""The mail outbox: each e-mail written in the same transaction as the change that causes it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..database import UTCDateTime, utcnow
from ..extensions import Model


class MailOutbox(Model):
    """One rendered e-mail waiting to leave; deleted once the mail server has accepted it.

    A row whose attempts ran out gets dead_at and waits for an administrator's retry. The body
    may carry a single-use link, so it is shown to nobody and never logged.
    """

    __tablename__ = "mail_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    # The template's name (invitation, notification…): what the message is, without its content.
    template: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # When a drainer may (re)try it; a drainer that claims it pushes this forward by a lease.
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # The error's type and SMTP code only: server messages quote addresses.
    last_error: Mapped[str | None] = mapped_column(String(200))
    dead_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
