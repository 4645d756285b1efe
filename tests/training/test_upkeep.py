"""The self-healing check: badges follow expiries on the first request of a day, without cron."""

from __future__ import annotations

import logging
from datetime import date, timedelta

import pytest

from cote_a_cote.extensions import db
from cote_a_cote.training import upkeep
from tests.training.conftest import NOW, TODAY


@pytest.fixture
def clock(monkeypatch):
    """Set the time the hook believes it is: clock(moment)."""

    def set_to(moment):
        monkeypatch.setattr(upkeep, "utcnow", lambda: moment)

    set_to(NOW)
    return set_to


@pytest.fixture
def expired_today(make_org, staff, complete):
    """An organisation still marked trained yesterday whose only complete member expired today."""
    org = make_org("Clinique Delta", is_trained=True, trained_checked_at=NOW - timedelta(days=1))
    complete(staff(org), completed_on=date(2024, 6, 10), expires_on=TODAY)
    return org


def _stored(org) -> tuple[bool, object]:
    db.session.expire_all()
    return org.is_trained, org.trained_checked_at


def test_the_first_request_of_the_day_recomputes(client, clock, expired_today):
    assert client.get("/").status_code == 200
    assert _stored(expired_today) == (False, NOW)


def test_a_process_checks_at_most_once_an_hour(client, clock, expired_today):
    assert client.get("/").status_code == 200
    assert _stored(expired_today) == (False, NOW)
    # Pretend the stored state went back to yesterday's (another worker, a restore...).
    expired_today.is_trained, expired_today.trained_checked_at = True, NOW - timedelta(days=1)
    db.session.commit()
    clock(NOW + timedelta(minutes=59))
    client.get("/")
    assert _stored(expired_today)[0] is True  # not looked at again within the hour
    clock(NOW + timedelta(minutes=61))
    client.get("/")
    assert _stored(expired_today) == (False, NOW + timedelta(minutes=61))


def test_a_new_day_is_checked_at_once(client, clock, make_org, staff, complete):
    # 23:50 in Montréal on 9 June, then 00:05 on 10 June: the record expiring on the 10th stops.
    evening = NOW.replace(hour=3, minute=50)
    org = make_org(is_trained=True, trained_checked_at=evening - timedelta(hours=1))
    complete(staff(org), completed_on=date(2024, 6, 10), expires_on=TODAY)
    clock(evening)
    client.get("/")
    assert _stored(org)[0] is True  # checked today (9 June): nothing to do
    clock(evening + timedelta(minutes=15))
    client.get("/")
    assert _stored(org)[0] is False


def test_nothing_happens_when_today_was_already_checked(client, clock, make_org):
    org = make_org(is_trained=True, trained_checked_at=NOW - timedelta(hours=2))
    client.get("/")
    assert _stored(org) == (True, NOW - timedelta(hours=2))


def test_never_checked_organisations_do_not_trigger_it(client, clock, make_org):
    org = make_org(is_trained=True)
    client.get("/")
    assert _stored(org) == (True, None)


def test_a_failure_is_logged_and_the_request_goes_on(
    client, clock, expired_today, monkeypatch, caplog
):
    def broken(now):
        raise RuntimeError("database went away")

    monkeypatch.setattr(upkeep, "refresh_if_outdated", broken)
    with caplog.at_level(logging.ERROR):
        assert client.get("/").status_code == 200
    assert "Recomputing the trained status failed" in caplog.text
    assert _stored(expired_today)[0] is True
