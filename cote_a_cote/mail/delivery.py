"""Draining the mail outbox: claim a due message, send it, delete it or schedule a retry.

Several processes may drain at once (web workers after their commits, `flask mail-worker`,
`flask daily`): a drainer claims a message by moving its next attempt a lease into the future,
conditional on the attempt count it read, so exactly one of them sends it. A drainer that dies
mid-send leaves the message claimed until the lease ends; then it is due again.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import CursorResult, Result, delete, func, select, true, update
from sqlalchemy.orm import Session

from ..config import settings
from ..database import utcnow
from ..extensions import db
from . import request_drain
from .models import MailOutbox

BATCH = 100
# Longer than a send can take (the SMTP timeout is 15 s per step).
LEASE = timedelta(minutes=5)
MAX_DELAY = timedelta(hours=6)


@dataclass
class DrainResult:
    sent: int = 0
    failed: int = 0
    dead: int = 0


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff after the attempts-th failure: base, 2×base, 4×base… at most 6 h."""
    base = settings().mail_retry_seconds
    return min(timedelta(seconds=base * 2 ** max(attempts - 1, 0)), MAX_DELAY)


def drain_outbox(now: datetime | None = None) -> DrainResult:
    """Send every message due at now; failures are rescheduled or, out of attempts, dead."""
    now = now or utcnow()
    result = DrainResult()
    tried: set[int] = set()
    with Session(db.engine) as session:
        while True:
            due = session.execute(
                select(MailOutbox.id, MailOutbox.attempts)
                .where(
                    MailOutbox.dead_at.is_(None),
                    MailOutbox.next_attempt_at <= now,
                    MailOutbox.id.not_in(tried) if tried else true(),
                )
                .order_by(MailOutbox.id)
                .limit(BATCH)
            ).all()
            session.rollback()  # end the read: SQLite writers must not wait on it
            if not due:
                return result
            for row in due:
                tried.add(row.id)
                _send_one(session, row.id, row.attempts, now, result)


def _send_one(
    session: Session, message_id: int, attempts: int, now: datetime, result: DrainResult
) -> None:
    if not _claim(session, message_id, attempts, now):
        return  # another drainer has it
    row = session.get(MailOutbox, message_id)
    if row is None:
        return  # deleted since the claim: nothing left to send
    try:
        deliver(_message(row))
    except Exception as error:
        _record_failure(row, error, now, result)
    else:
        session.execute(delete(MailOutbox).where(MailOutbox.id == message_id))
        result.sent += 1
    session.commit()
    session.expunge_all()


def _claim(session: Session, message_id: int, attempts: int, now: datetime) -> bool:
    """Lease the message, provided no other drainer moved its attempt count since it was read."""
    claimed = session.execute(
        update(MailOutbox)
        .where(
            MailOutbox.id == message_id,
            MailOutbox.attempts == attempts,
            MailOutbox.dead_at.is_(None),
        )
        .values(attempts=attempts + 1, next_attempt_at=now + LEASE)
    )
    session.commit()
    return _rows_affected(claimed) == 1


def _record_failure(row: MailOutbox, error: Exception, now: datetime, result: DrainResult) -> None:
    """Schedule the next attempt, or mark the message dead when its attempts have run out."""
    result.failed += 1
    row.last_error = describe_error(error)
    if row.attempts >= settings().mail_max_attempts:
        row.dead_at = now
        result.dead += 1
        current_app.logger.error(
            "E-mail %s not delivered after %d attempts (%s): kept for an administrator",
            row.id,
            row.attempts,
            row.last_error,
        )
    else:
        row.next_attempt_at = now + retry_delay(row.attempts)
        current_app.logger.warning(
            "E-mail %s not delivered (%s); attempt %d, retried later",
            row.id,
            row.last_error,
            row.attempts,
        )


def _rows_affected(result: Result[*tuple[Any, ...]]) -> int:
    """The row count of an UPDATE or DELETE run through a session (always a cursor's result)."""
    assert isinstance(result, CursorResult)
    return result.rowcount


def describe_error(error: Exception) -> str:
    """The error's type and SMTP code: never its text, which quotes addresses and servers."""
    code = getattr(error, "smtp_code", None)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = sorted({code for code, _message in error.recipients.values()})
        code = ",".join(str(c) for c in codes) or None
    name = type(error).__name__
    return f"{name} {code}" if code else name


def _message(row: MailOutbox) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings().mail_from
    message["To"] = row.recipient
    message["Subject"] = row.subject
    # One Message-ID per outbox row: a retried message is the same message.
    message["Message-ID"] = make_msgid(idstring=f"outbox{row.id}", domain="cote-a-cote.invalid")
    message.set_content(row.body)
    return message


def deliver(message: EmailMessage) -> None:
    """Hand one message to the configured backend; raises when it is not accepted."""
    config = settings()
    backend = config.mail_backend
    if backend == "memory":
        current_app.extensions["mail_outbox"].append(message)
    elif backend == "outbox":
        folder = Path(config.mail_outbox_dir)
        folder.mkdir(parents=True, exist_ok=True)
        stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
        (folder / f"{stamp}.eml").write_bytes(bytes(message))
        current_app.extensions["mail_outbox"].append(message)
    elif backend == "smtp":
        with smtplib.SMTP(config.smtp_host, config.smtp_port, timeout=15) as smtp:
            if config.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if config.smtp_username:
                smtp.login(config.smtp_username, config.smtp_password)
            smtp.send_message(message)
    else:
        raise RuntimeError(f"Unknown MAIL_BACKEND {backend!r}")


# --- What administrators see and do ---------------------------------------------------------------


def dead_letters(limit: int = 200) -> list[MailOutbox]:
    """Messages whose attempts ran out, newest first."""
    return list(
        db.session.scalars(
            select(MailOutbox)
            .where(MailOutbox.dead_at.is_not(None))
            .order_by(MailOutbox.dead_at.desc(), MailOutbox.id.desc())
            .limit(limit)
        )
    )


def retrying_count() -> int:
    """Messages that failed at least once and are still being retried."""
    return db.session.execute(
        select(func.count(MailOutbox.id)).where(
            MailOutbox.dead_at.is_(None), MailOutbox.last_error.is_not(None)
        )
    ).scalar_one()


def retry_dead_letter(message: MailOutbox, now: datetime | None = None) -> None:
    """Give a dead message a fresh set of attempts, due now; sent after the commit."""
    message.dead_at = None
    message.attempts = 0
    message.next_attempt_at = now or utcnow()
    db.session.flush()
    request_drain()


def purge_dead_letters(now: datetime | None = None) -> int:
    """Delete messages dead for MAIL_DEAD_LETTER_DAYS: their links have expired long since."""
    days = settings().mail_dead_letter_days
    limit = (now or utcnow()) - timedelta(days=days)
    return _rows_affected(
        db.session.execute(
            delete(MailOutbox).where(MailOutbox.dead_at.is_not(None), MailOutbox.dead_at < limit)
        )
    )
