"""The database:// rate-limit storage: exact counts, windows that end, nothing in clear."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from cote_a_cote.database import utcnow
from cote_a_cote.extensions import db, limiter
from cote_a_cote.ratelimit import DatabaseStorage, rate_limit_counter
from cote_a_cote.roles import Role
from tests.test_auth import post_login

pytestmark = pytest.mark.parametrize(
    "app_config",
    [{"RATELIMIT_STORAGE_URI": "database://", "LOGIN_LIMIT_PER_ACCOUNT": "3 per 15 minutes"}],
)


def counters() -> dict[str, int]:
    rows = db.session.execute(select(rate_limit_counter.c.key, rate_limit_counter.c.count))
    return dict(rows.all())


def test_the_app_counts_in_its_database(app, client, make_user):
    assert isinstance(limiter.storage, DatabaseStorage)
    user = make_user(role=Role.ADMIN, email="counted@example.org")
    for n in range(3):
        assert post_login(client, user.email, "wrong", f"10.1.0.{n}").status_code == 200
    assert post_login(client, user.email, "wrong", "10.1.0.9").status_code == 429
    stored = counters()
    assert 3 in stored.values()
    assert all("counted" not in key and "10.1.0" not in key for key in stored)

    with time_machine.travel(utcnow() + timedelta(minutes=16)):
        assert post_login(client, user.email, "wrong", "10.1.0.9").status_code == 200
        # The windows that ended are gone; only this attempt's counters remain, each at 1.
        assert set(counters().values()) == {1}


def test_increments_get_expiry_clear_and_reset(app):
    storage = limiter.storage
    assert storage.check()
    assert [storage.incr("k", 60) for _ in range(3)] == [1, 2, 3]
    assert storage.incr("k", 60, amount=2) == 5
    assert storage.get("k") == 5 and storage.get("other") == 0
    with time_machine.travel(utcnow() + timedelta(seconds=61)):
        assert storage.get("k") == 0
        assert storage.incr("k", 60) == 1  # a new window
        assert storage.get_expiry("k") > 60
    storage.incr("other", 60)
    storage.clear("k")
    assert storage.get("k") == 0 and storage.get("other") == 1
    assert storage.reset() >= 1
    assert db.session.scalar(select(func.count()).select_from(rate_limit_counter)) == 0
