"""Keeping trained badges current without cron: a cheap check before requests.

Each process looks at most once an hour (and on its first request of a new day) whether the
oldest stored check is from before today; only then does it recompute every organisation, so a
record expiring on a day stops counting on the first request that day. The daily command does
the same on a schedule. A failure here is logged and never breaks the request.
"""

from __future__ import annotations

import threading
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import request
from flask.globals import app_ctx

from ..database import utcnow
from ..extensions import db
from .rule import local_day, refresh_if_outdated

CHECK_EVERY = timedelta(hours=1)
_STATE = "training.upkeep"


@dataclass
class UpkeepState:
    last_check: datetime | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


def _due(state: UpkeepState, now: datetime) -> bool:
    last = state.last_check
    return last is None or now - last >= CHECK_EVERY or local_day(now) != local_day(last)


def keep_trained_status_current(now: datetime | None = None) -> None:
    """before_app_request hook: recompute trained badges when the last check is from another day."""
    if request.endpoint == "static":
        return
    app = app_ctx.app
    state: UpkeepState = app.extensions.setdefault(_STATE, UpkeepState())
    now = now or utcnow()
    if not _due(state, now) or not state.lock.acquire(blocking=False):
        return
    try:
        state.last_check = now  # even if it fails: try again in an hour, not on every request
        changed = refresh_if_outdated(now)
        if changed is not None:
            db.session.commit()
            app.logger.info("Trained status recomputed: %d organisation(s) changed", changed)
    except Exception:
        app.logger.exception("Recomputing the trained status failed; the request goes on")
        with suppress(Exception):  # the database may be the failure: the request still runs
            db.session.rollback()
    finally:
        state.lock.release()
