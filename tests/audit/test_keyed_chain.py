"""An audit trail nobody can rewrite: the chain is keyed, and its head is anchored outside."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text

from cote_a_cote.audit.models import AuditEvent
from cote_a_cote.audit.services import (
    KEYED,
    LEGACY,
    anchor_head,
    check_chain,
    event_hash,
    read_anchors,
    record,
)
from cote_a_cote.config import update_settings
from cote_a_cote.extensions import db
from cote_a_cote.roles import Role

NOW = datetime(2026, 5, 6, 18, 0, tzinfo=UTC)


@pytest.fixture
def anchors(app, tmp_path):
    path = tmp_path / "anchors.jsonl"
    update_settings(app, {"AUDIT_ANCHOR_FILE": str(path)})
    return path


@pytest.fixture
def trail(app, make_user):
    alice = make_user(Role.INTERVENANTE)
    ids = [
        record(alice, "referral.view", "referral", n, "192.0.2.1", NOW + timedelta(minutes=n)).id
        for n in range(6)
    ]
    db.session.commit()
    return ids


def _fields(row) -> dict:
    return {
        "created_at": row.created_at,
        "actor_id": row.actor_id,
        "action": row.action,
        "object_type": row.object_type,
        "object_id": row.object_id,
        "remote_addr": row.remote_addr,
    }


def _rewrite_from(target_id: int, rehash) -> None:
    """Change one event, then recompute its hash and every later one as an intruder would."""
    with db.engine.begin() as conn:
        conn.execute(
            text("UPDATE audit_event SET action = 'referral.withdraw' WHERE id = :id"),
            {"id": target_id},
        )
        rows = conn.execute(select(AuditEvent.__table__).order_by(AuditEvent.id)).all()
        previous = None
        # Free the unique hashes first so the new ones can be written in any order.
        conn.execute(text("UPDATE audit_event SET hash = 'x' || id, prev_hash = 'y' || id"))
        for row in rows:
            prev = previous if previous is not None else row.prev_hash
            new = rehash(row, prev) if row.id >= target_id else row.hash
            conn.execute(
                text("UPDATE audit_event SET prev_hash = :p, hash = :h WHERE id = :id"),
                {"p": prev, "h": new, "id": row.id},
            )
            previous = new


def test_new_events_are_keyed_with_the_audit_key(app, trail):
    first = db.session.get(AuditEvent, trail[0])
    assert first.key_version == KEYED
    plain = event_hash(**_fields(first), prev_hash=first.prev_hash, key_version=LEGACY)
    assert first.hash != plain  # not computable without the key
    assert check_chain().broken is None


def test_a_chain_rewritten_without_the_key_is_reported(app, trail, runner):
    def with_a_guessed_key(row, prev):
        return event_hash(
            **_fields(row), prev_hash=prev, key_version=KEYED, key=b"the key is not in the db"
        )

    _rewrite_from(trail[2], with_a_guessed_key)
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code == 1
    assert f"Audit trail BROKEN: event {trail[2]} does not match the chain." in result.output


def test_a_chain_passed_off_as_unkeyed_is_reported(app, trail, runner):
    def as_legacy(row, prev):
        return event_hash(**_fields(row), prev_hash=prev, key_version=LEGACY)

    _rewrite_from(trail[2], as_legacy)
    with db.engine.begin() as conn:
        conn.execute(
            text("UPDATE audit_event SET key_version = 0 WHERE id >= :id"), {"id": trail[2]}
        )
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code == 1
    assert f"event {trail[2]} does not match the chain" in result.output


def test_events_from_before_the_key_are_checked_as_before_then_keyed_ones_follow(
    app, make_user, runner
):
    """An upgraded database: its old events are plain sha256 (key_version 0, the migration's
    default); new events chain onto them with the key."""
    prev = "0" * 64
    with db.engine.begin() as conn:
        for n in range(3):
            fields = {
                "created_at": NOW + timedelta(minutes=n),
                "actor_id": None,
                "action": "referral.purge",
                "object_type": "referral",
                "object_id": n,
                "remote_addr": None,
            }
            digest = event_hash(**fields, prev_hash=prev)
            assert digest == _sha256_as_before_the_key(fields, prev)
            conn.execute(
                AuditEvent.__table__.insert().values(
                    **fields, prev_hash=prev, hash=digest, key_version=LEGACY
                )
            )
            prev = digest
    record(None, "referral.purge", "referral", 9)
    db.session.commit()
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code == 0, result.output
    assert "Audit trail OK: 4 event(s) verified." in result.output
    assert "3 event(s) from before the chain was keyed" in result.output


def _sha256_as_before_the_key(fields: dict, prev: str) -> str:
    canonical = {
        **fields,
        "created_at": fields["created_at"].strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "prev_hash": prev,
    }
    return hashlib.sha256(
        json.dumps(canonical, sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()


def test_daily_anchors_the_head_and_verify_audit_detects_a_truncated_chain(
    app, trail, anchors, runner
):
    assert anchor_head(now=NOW) is True
    assert anchor_head(now=NOW) is False  # same head: nothing new to write
    [anchor] = read_anchors(anchors)
    head = db.session.get(AuditEvent, trail[-1])
    assert (anchor["id"], anchor["hash"]) == (head.id, head.hash)

    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code == 0, result.output
    assert "1 anchored head(s) found in the chain." in result.output

    # The last two events removed: the chain left is whole, but the anchored head is gone.
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_event WHERE id >= :id"), {"id": trail[-2]})
    db.session.expire_all()
    assert check_chain().broken is None
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code == 1
    assert f"1 anchored head(s) missing or changed, the first event {trail[-1]}" in result.output


def test_flask_daily_writes_the_anchor(app, trail, anchors, runner):
    result = runner.invoke(args=["daily"])
    assert result.exit_code == 0, result.output
    assert [a["id"] for a in read_anchors(anchors)] == [trail[-1]]


def test_administrators_see_a_truncated_chain_on_the_journal(app, trail, anchors, client, login_as):
    anchor_head(now=NOW)
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": trail[-1]})
    login_as(Role.ADMIN)
    page = client.post("/admin/journal/verifier", follow_redirects=True).get_data(as_text=True)
    assert (
        f"Le journal d’audit est rompu\u00a0: l’événement {trail[-1]}, consigné hors de la base de "
        "données, n’y figure plus." in page
    )


def test_an_unreadable_anchor_file_is_reported(app, trail, anchors, runner):
    anchors.write_text("not an anchor\n")
    result = runner.invoke(args=["verify-audit"])
    assert result.exit_code == 1 and "Audit anchors UNREADABLE" in result.output
