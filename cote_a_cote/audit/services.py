"""Append to the audit trail, check its chain, and query it for the administrators' view.

An event names an actor, an action, an object type and id, a time and an address: nothing else.
Callers pass identifiers, never content (a referral's code, needs or briefing must not appear);
record() refuses anything that does not look like an identifier.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime

from sqlalchemy import Select, select, text

from ..accounts.models import User
from ..database import utcnow
from ..extensions import db
from .models import AuditEvent

# The prev_hash of the very first event.
GENESIS = "0" * 64

# Any fixed number: the key of the PostgreSQL advisory lock that serialises appends.
_APPEND_LOCK_KEY = 7_164_937_251

_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")


class AuditError(ValueError):
    """A caller tried to record something that is not an identifier."""


def _timestamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_hash(
    *,
    created_at: datetime,
    actor_id: int | None,
    action: str,
    object_type: str,
    object_id: int | None,
    remote_addr: str | None,
    prev_hash: str,
) -> str:
    """sha256 (hex) of the event's fields in a canonical JSON form, the previous hash included."""
    canonical = json.dumps(
        {
            "created_at": _timestamp(created_at),
            "actor_id": actor_id,
            "action": action,
            "object_type": object_type,
            "object_id": object_id,
            "remote_addr": remote_addr,
            "prev_hash": prev_hash,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
    )
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def _serialise_appends() -> None:
    """Hold the append lock until the transaction ends, so the last event read stays the last."""
    session = db.session
    dialect = session.get_bind(mapper=AuditEvent.__mapper__).dialect.name
    if dialect == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _APPEND_LOCK_KEY})
    elif dialect == "sqlite":
        # A write statement, even one touching no row, takes SQLite's single write lock now
        # rather than at flush time: no other connection can append between our read and insert.
        session.execute(text("UPDATE audit_event SET id = id WHERE 0"))
    else:  # pragma: no cover - the platform runs on SQLite and PostgreSQL
        session.execute(
            select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1).with_for_update()
        )


def record(
    actor: User | None,
    action: str,
    object_type: str,
    object_id: int | None,
    remote_addr: str | None = None,
    now: datetime | None = None,
) -> AuditEvent:
    """Append one event chained to the last one, and flush; the caller's transaction commits."""
    if not _NAME.match(action or "") or len(action) > 60:
        raise AuditError(f"not an action name: {action!r}")
    if not _NAME.match(object_type or "") or len(object_type) > 40:
        raise AuditError(f"not an object type: {object_type!r}")
    if object_id is not None and (isinstance(object_id, bool) or not isinstance(object_id, int)):
        raise AuditError("object_id must be an integer id")
    _serialise_appends()
    previous = db.session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    fields = {
        "created_at": now or utcnow(),
        "actor_id": actor.id if actor is not None else None,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "remote_addr": remote_addr[:64] if remote_addr else None,
        "prev_hash": previous or GENESIS,
    }
    event = AuditEvent(**fields, hash=event_hash(**fields))
    db.session.add(event)
    db.session.flush()
    return event


_CHAIN_COLUMNS = (
    AuditEvent.id,
    AuditEvent.created_at,
    AuditEvent.actor_id,
    AuditEvent.action,
    AuditEvent.object_type,
    AuditEvent.object_id,
    AuditEvent.remote_addr,
    AuditEvent.prev_hash,
    AuditEvent.hash,
)


def verify_chain() -> int | None:
    """The id of the first event whose link or content does not check out, or None if all do."""
    expected_prev = GENESIS
    rows = db.session.execute(
        select(*_CHAIN_COLUMNS).order_by(AuditEvent.id).execution_options(yield_per=1000)
    )
    for row in rows:
        fields = row._asdict()
        stored_hash = fields.pop("hash")
        event_id = fields.pop("id")
        if fields["prev_hash"] != expected_prev or event_hash(**fields) != stored_hash:
            rows.close()
            return event_id
        expected_prev = stored_hash
    return None


def events_query(
    actor_id: int | None = None,
    action: str | None = None,
    object_type: str | None = None,
    object_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Select:
    """select(AuditEvent) filtered by whichever criteria are given, newest first.

    since is inclusive and until exclusive, so consecutive periods never count an event twice.
    """
    query = select(AuditEvent)
    if actor_id is not None:
        query = query.where(AuditEvent.actor_id == actor_id)
    if action:
        query = query.where(AuditEvent.action == action)
    if object_type:
        query = query.where(AuditEvent.object_type == object_type)
    if object_id is not None:
        query = query.where(AuditEvent.object_id == object_id)
    if since is not None:
        query = query.where(AuditEvent.created_at >= since)
    if until is not None:
        query = query.where(AuditEvent.created_at < until)
    return query.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
