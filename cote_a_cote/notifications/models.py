"""In-app notifications: a kind, safe parameters and a link; worded in the reader's language."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..database import UTCDateTime, utcnow
from ..extensions import Model


class Notification(Model):
    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    # A key of notifications.kinds.KINDS: the wording lives there, translated when shown.
    kind: Mapped[str] = mapped_column(String(60))
    # Values the wording needs (organisation or module names), never anything about a person.
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    # Where the notification leads: an endpoint and its arguments, resolved with url_for.
    endpoint: Mapped[str | None] = mapped_column(String(80))
    endpoint_args: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
