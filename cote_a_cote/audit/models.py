"""One row per audited action; each row's hash covers its fields and the previous row's hash."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from ..database import UTCDateTime, utcnow
from ..extensions import Model


class AuditEvent(Model):
    """Who did what to which object, when and from where — never any content of the object.

    The rows form a chain in id order: prev_hash is the hash of the row before (GENESIS for the
    first) and hash is HMAC-SHA256, keyed with AUDIT_KEY, over this row's canonical serialisation,
    prev_hash included, so changing, removing or reordering a row breaks every link after it, and
    nobody without the key (kept outside the database) can recompute the links. prev_hash is
    unique: two writers that both read the same last row cannot both append (the chain never
    forks). Events written before the key existed (key_version 0) keep their plain sha256 and
    are checked as they always were; they can only come before the first keyed event.
    """

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # None for the platform itself (scheduled purge, reminders).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    # A dotted identifier such as "referral.send": names only, never free text.
    action: Mapped[str] = mapped_column(String(60), index=True)
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # "From where": the address the request came from, as the caller gives it.
    remote_addr: Mapped[str | None] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    # 0: plain sha256 (events from before the key); 1: HMAC-SHA256 with AUDIT_KEY.
    key_version: Mapped[int] = mapped_column(SmallInteger, default=1, server_default="0")
