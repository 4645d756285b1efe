"""flask daily: every scheduled task runs, each commits on its own, a failure is reported."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext
from sqlalchemy import select

from cote_a_cote import daily
from cote_a_cote.database import utcnow
from cote_a_cote.extensions import db
from cote_a_cote.notifications.models import Notification
from cote_a_cote.roles import Role


def _stale_orgs(make_org, make_user):
    soon = make_org(last_verified_at=utcnow() - timedelta(days=175))
    late = make_org(last_verified_at=utcnow() - timedelta(days=200))
    make_org(last_verified_at=utcnow() - timedelta(days=10))
    for org in (soon, late):
        make_user(role=Role.PROVIDER, organization=org)


def line(app, label: str, count: int) -> str:
    with app.test_request_context():
        return gettext("%(task)s: %(count)d", task=gettext(label), count=count)


def test_daily_runs_every_task_and_prints_counts(app, runner, make_org, make_user):
    _stale_orgs(make_org, make_user)
    result = runner.invoke(args=["daily"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == len(daily.TASKS)
    assert line(app, "Stale-profile reminders sent", 2) in lines
    db.session.expire_all()
    assert set(db.session.scalars(select(Notification.kind))) == {"stale_soon", "stale_now"}
    # Committed: a second run the same day sends nothing more.
    again = runner.invoke(args=["daily"])
    assert line(app, "Stale-profile reminders sent", 0) in again.output.splitlines()


def test_a_failing_task_does_not_stop_the_others(app, runner, make_org, make_user, monkeypatch):
    _stale_orgs(make_org, make_user)

    def broken(now):
        raise RuntimeError("database unreachable")

    broken.__name__ = "broken"
    tasks = list(daily.TASKS)
    tasks[1] = (tasks[1][0], broken)
    monkeypatch.setattr(daily, "TASKS", tasks)
    result = runner.invoke(args=["daily"])
    assert result.exit_code == 1
    with app.test_request_context():
        failed = gettext("%(task)s: FAILED (see the log)", task=gettext(str(tasks[1][0])))
    assert failed in result.output.splitlines()
    # The task after the broken one ran, and the one before kept its work.
    assert len(result.output.splitlines()) == len(tasks)
    db.session.expire_all()
    assert db.session.scalar(select(Notification.id).limit(1)) is not None
