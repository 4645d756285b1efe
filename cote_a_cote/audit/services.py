"""Append to the audit trail, check its chain, and query it for the administrators' view.

An event names an actor, an action, an object type and id, a time and an address: nothing else.
Callers pass identifiers, never content (a referral's code, needs or briefing must not appear);
record() refuses anything that does not look like an identifier.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, TypedDict

from sqlalchemy import Select, select, text
from sqlalchemy.orm import Session

from ..config import settings
from ..database import utcnow
from ..extensions import db
from .models import AuditEvent

# The prev_hash of the very first event.
GENESIS = "0" * 64

# key_version of an event: LEGACY events (written before the chain was keyed) hold a plain
# sha256; KEYED events an HMAC-SHA256 with AUDIT_KEY.
LEGACY = 0
KEYED = 1

# Any fixed number: the key of the PostgreSQL advisory lock that serialises appends.
_APPEND_LOCK_KEY = 7_164_937_251


class Actor(Protocol):
    """Whoever acts: an account, of which the trail keeps only the id."""

    id: int


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
    key_version: int = LEGACY,
    key: bytes | None = None,
) -> str:
    """The event's hash (hex) over its fields in a canonical JSON form, the previous hash included.

    LEGACY: sha256, exactly as before the chain was keyed. KEYED: HMAC-SHA256 with key, over the
    same fields plus key_version (so an event cannot be passed off as the other kind).
    """
    fields = {
        "created_at": _timestamp(created_at),
        "actor_id": actor_id,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "remote_addr": remote_addr,
        "prev_hash": prev_hash,
    }
    if key_version == LEGACY:
        return hashlib.sha256(_canonical(fields)).hexdigest()
    if key_version != KEYED or not key:
        raise ValueError(f"cannot hash key_version {key_version!r} without its key")
    return hmac.new(key, _canonical({**fields, "key_version": key_version}), "sha256").hexdigest()


def _canonical(fields: dict) -> bytes:
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode(
        "ascii"
    )


def audit_key() -> bytes:
    return settings().audit_key.encode("utf-8")


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


class _EventFields(TypedDict):
    """An event's hashed fields, bar the key version."""

    created_at: datetime
    actor_id: int | None
    action: str
    object_type: str
    object_id: int | None
    remote_addr: str | None
    prev_hash: str


def record(
    actor: Actor | None,
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
    fields: _EventFields = {
        "created_at": now or utcnow(),
        "actor_id": actor.id if actor is not None else None,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "remote_addr": remote_addr[:64] if remote_addr else None,
        "prev_hash": previous or GENESIS,
    }
    event = AuditEvent(
        **fields, key_version=KEYED, hash=event_hash(**fields, key_version=KEYED, key=audit_key())
    )
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
    AuditEvent.key_version,
    AuditEvent.hash,
)


@dataclass
class ChainReport:
    """What verify_chain found: the first broken event (None if none) and what it counted."""

    broken: int | None = None
    count: int = 0
    legacy: int = 0
    head_id: int | None = None
    head_hash: str | None = None
    hashes: dict[int, str] = field(default_factory=dict, repr=False)


def check_chain(
    session: Session | None = None, key: bytes | None = None, watch: frozenset[int] = frozenset()
) -> ChainReport:
    """Walk the chain in id order, checking every link and hash with the key.

    The hashes of the events whose ids are in watch (the anchored ones) are kept in the report.

    A legacy (unkeyed) event after a keyed one is a break: unkeyed events can only be the old
    ones, so nobody can append or rewrite events by passing them off as legacy.
    """
    reader = session if session is not None else db.session
    key = key or audit_key()
    report = ChainReport()
    expected_prev = GENESIS
    keyed_seen = False
    rows = reader.execute(
        select(*_CHAIN_COLUMNS).order_by(AuditEvent.id).execution_options(yield_per=1000)
    )
    for row in rows:
        fields = row._asdict()
        stored_hash = fields.pop("hash")
        event_id = fields.pop("id")
        keyed_seen = keyed_seen or fields["key_version"] != LEGACY
        if not _link_holds(fields, stored_hash, expected_prev, keyed_seen, key):
            rows.close()
            report.broken = event_id
            return report
        _count_event(report, event_id, stored_hash, fields["key_version"], watch)
        expected_prev = stored_hash
    return report


def _link_holds(
    fields: dict[str, Any], stored_hash: str, expected_prev: str, keyed_seen: bool, key: bytes
) -> bool:
    """Whether the event follows expected_prev, is of a known kind (no legacy event after a keyed
    one) and its fields give stored_hash."""
    version = fields["key_version"]
    return (
        fields["prev_hash"] == expected_prev
        and version in (LEGACY, KEYED)
        and not (keyed_seen and version == LEGACY)
        and hmac.compare_digest(event_hash(**fields, key=key), stored_hash)
    )


def _count_event(
    report: ChainReport, event_id: int, stored_hash: str, version: int, watch: frozenset[int]
) -> None:
    """Add a checked event to the report: it is the head so far."""
    report.count += 1
    report.legacy += version == LEGACY
    report.head_id, report.head_hash = event_id, stored_hash
    if event_id in watch:
        report.hashes[event_id] = stored_hash


def verify_chain() -> int | None:
    """The id of the first event whose link or content does not check out, or None if all do."""
    return check_chain().broken


# --- Anchors: the head, copied outside the database every day -------------------------------------


def anchor_head(path: str | Path | None = None, now: datetime | None = None) -> bool:
    """Append the chain's head (id, hash, time) to the anchor file; False if nothing new."""
    path = Path(path or settings().audit_anchor_file)
    head = db.session.execute(
        select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).first()
    if head is None:
        return False
    anchors = read_anchors(path)
    if anchors and anchors[-1]["id"] == head.id and anchors[-1]["hash"] == head.hash:
        return False
    line = {"id": head.id, "hash": head.hash, "at": _timestamp(now or utcnow())}
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="ascii") as file:
        file.write(json.dumps(line, sort_keys=True) + "\n")
    return True


def read_anchors(path: str | Path) -> list[dict]:
    """The anchors recorded in path, oldest first; a missing file holds none."""
    path = Path(path)
    if not path.exists():
        return []
    anchors = []
    for number, line in enumerate(path.read_text(encoding="ascii").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            anchor = json.loads(line)
            anchors.append(
                {"id": int(anchor["id"]), "hash": str(anchor["hash"]), "at": anchor["at"]}
            )
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(f"anchor file line {number} is not an anchor") from error
    return anchors


def missing_anchors(report: ChainReport, anchors: list[dict]) -> list[dict]:
    """Anchored heads the verified chain no longer holds (events removed, or rewritten)."""
    return [a for a in anchors if report.hashes.get(a["id"]) != a["hash"]]


@dataclass
class TrailCheck:
    """The chain's report, the anchored heads it lost, and whether the anchors could be read."""

    report: ChainReport
    lost: list[dict]
    anchors: int
    anchors_unreadable: bool = False

    @property
    def intact(self) -> bool:
        return self.report.broken is None and not self.lost and not self.anchors_unreadable


def verify_trail() -> TrailCheck:
    """Check the chain with the key and against every head anchored in AUDIT_ANCHOR_FILE."""
    try:
        anchors = read_anchors(settings().audit_anchor_file)
        unreadable = False
    except ValueError:
        anchors, unreadable = [], True
    report = check_chain(watch=frozenset(a["id"] for a in anchors))
    lost = missing_anchors(report, anchors) if report.broken is None else []
    return TrailCheck(report, lost, len(anchors), unreadable)


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
