"""The audit trail: a hash chain that verify-audit checks, naming the first broken event."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import OperationalError

from cote_a_cote.audit.models import AuditEvent
from cote_a_cote.audit.services import (
    GENESIS,
    KEYED,
    AuditError,
    audit_key,
    event_hash,
    events_query,
    record,
    verify_chain,
)
from cote_a_cote.extensions import db
from cote_a_cote.roles import Role
from tests.conftest import TEST_DATABASE_URL

NOW = datetime(2025, 5, 6, 18, 0, tzinfo=UTC)


@pytest.fixture
def trail(app, make_user):
    """Five committed events by two people."""
    alice = make_user(Role.INTERVENANTE)
    admin = make_user(Role.ADMIN)
    events = [
        record(alice, "referral.create", "referral", 1, "192.0.2.1", NOW),
        record(alice, "referral.send", "referral", 1, "192.0.2.1", NOW + timedelta(minutes=1)),
        record(admin, "referral.view", "referral", 1, "2001:db8::7", NOW + timedelta(hours=1)),
        record(None, "referral.purge", "referral", 2, None, NOW + timedelta(days=1)),
        record(alice, "referral.view", "referral", 3, "192.0.2.1", NOW + timedelta(days=2)),
    ]
    db.session.commit()
    return alice, admin, [e.id for e in events]


def test_each_event_is_chained_to_the_previous_one(trail):
    _alice, _admin, ids = trail
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert events[0].prev_hash == GENESIS
    for before, after in zip(events, events[1:], strict=False):
        assert after.prev_hash == before.hash
    first = events[0]
    assert first.hash == event_hash(
        created_at=first.created_at,
        actor_id=first.actor_id,
        action=first.action,
        object_type=first.object_type,
        object_id=first.object_id,
        remote_addr=first.remote_addr,
        prev_hash=GENESIS,
        key_version=KEYED,
        key=audit_key(),
    )
    assert verify_chain() is None


def test_verify_audit_command_says_ok(trail, runner):
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code == 0, result.output
    assert "Audit trail OK: 5 event(s) verified." in result.output


@pytest.mark.parametrize(
    "tamper",
    [
        "UPDATE audit_event SET actor_id = NULL WHERE id = :id",
        "UPDATE audit_event SET action = 'referral.accept' WHERE id = :id",
        "UPDATE audit_event SET remote_addr = '10.0.0.1' WHERE id = :id",
        "DELETE FROM audit_event WHERE id = :id",
    ],
)
def test_a_row_changed_in_the_database_is_named(trail, runner, tamper):
    _alice, _admin, ids = trail
    target = ids[2]
    with db.engine.begin() as conn:  # outside the application, as an intruder would
        conn.execute(text(tamper), {"id": target})
    db.session.expire_all()
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code == 1
    named = target if tamper.startswith("UPDATE") else ids[3]  # a deletion breaks the next link
    assert f"Audit trail BROKEN: event {named} does not match the chain." in result.output


def test_a_row_rehashed_with_the_key_still_breaks_the_next_link(trail):
    _alice, _admin, ids = trail
    forged = db.session.get(AuditEvent, ids[1])
    forged.action = "referral.withdraw"
    forged.hash = event_hash(
        created_at=forged.created_at,
        actor_id=forged.actor_id,
        action=forged.action,
        object_type=forged.object_type,
        object_id=forged.object_id,
        remote_addr=forged.remote_addr,
        prev_hash=forged.prev_hash,
        key_version=KEYED,
        key=audit_key(),
    )
    db.session.commit()
    assert verify_chain() == ids[2]


@pytest.mark.parametrize(
    ("action", "object_type", "object_id"),
    [
        ("Elle a peur", "referral", 1),
        ("referral.send ABCD-EFGH", "referral", 1),
        ("referral.send", "referral", "ABCD-EFGH"),
        ("referral.send", "Dentiste", 1),
        ("x" * 61, "referral", 1),
    ],
)
def test_record_refuses_anything_but_identifiers(app, action, object_type, object_id):
    with pytest.raises(AuditError):
        record(None, action, object_type, object_id)


def test_events_query_filters(trail):
    alice, admin, ids = trail

    def found(**criteria):
        return [e.id for e in db.session.scalars(events_query(**criteria))]

    assert found() == list(reversed(ids))
    assert found(actor_id=admin.id) == [ids[2]]
    assert found(action="referral.view") == [ids[4], ids[2]]
    assert found(object_type="referral", object_id=1) == [ids[2], ids[1], ids[0]]
    assert found(since=NOW + timedelta(hours=1), until=NOW + timedelta(days=2)) == [
        ids[3],
        ids[2],
    ]
    assert found(actor_id=alice.id, object_id=3) == [ids[4]]


@pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="SQLite's write lock")
def test_on_sqlite_a_second_writer_waits_for_the_first(app):
    record(None, "referral.view", "referral", 1, now=NOW)  # holds the write lock, uncommitted
    other = create_engine(db.engine.url, connect_args={"timeout": 0})
    try:
        with pytest.raises(OperationalError, match="locked"), other.begin() as conn:
            conn.execute(text("UPDATE audit_event SET id = id WHERE 0"))
    finally:
        other.dispose()
    db.session.commit()
    assert verify_chain() is None


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="PostgreSQL advisory lock")
def test_on_postgresql_concurrent_appends_do_not_fork(app):
    record(None, "referral.view", "referral", 1, now=NOW)  # holds the advisory lock
    done = threading.Event()
    errors = []

    def second_writer():
        try:
            with app.app_context():
                record(None, "referral.view", "referral", 2, now=NOW)
                db.session.commit()
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            done.set()

    thread = threading.Thread(target=second_writer)
    thread.start()
    # Wait until the second writer is blocked on the lock, then let the first one commit.
    with db.engine.connect() as probe:
        for _ in range(500):
            waiting = probe.execute(
                text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
            ).scalar()
            if waiting:
                break
            done.wait(0.01)
    assert waiting == 1
    db.session.commit()
    thread.join(10)
    assert not errors
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [e.object_id for e in events] == [1, 2]
    assert events[1].prev_hash == events[0].hash
    assert verify_chain() is None


def test_an_empty_trail_verifies(app, runner):
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code == 0
    assert "Audit trail OK: 0 event(s) verified." in result.output
