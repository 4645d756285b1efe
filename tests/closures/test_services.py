"""Closure and pause rules: dates in order and in range, no overlap, pauses that start and end."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from cote_a_cote.audit.models import AuditEvent
from cote_a_cote.catalogue.models import CapacityStatus, Closure, ServicePause
from cote_a_cote.extensions import db
from cote_a_cote.portal import closure_services as cs
from cote_a_cote.portal.services import PortalError
from cote_a_cote.referrals.models import ReferralStatus
from tests.referrals.conftest import NOW, referral_in

TODAY = date(2025, 5, 6)  # NOW's day in Montréal
S = ReferralStatus


def closure(start: date, end: date, **fields) -> cs.ClosureInput:
    return cs.ClosureInput(start, end, **fields)


def refused(call, field: str) -> str:
    with pytest.raises(PortalError) as raised:
        call()
    assert raised.value.field == field
    return str(raised.value)


def test_a_closure_is_saved_audited_and_listed(world):
    saved = cs.save_closure(
        world.service,
        closure(TODAY + timedelta(days=10), TODAY + timedelta(days=20), reason="Congé des Fêtes"),
        world.paul,
        day=TODAY,
    )
    db.session.commit()
    row = db.session.get(Closure, saved.id)
    assert (row.starts_on, row.ends_on, row.reason) == (
        date(2025, 5, 16),
        date(2025, 5, 26),
        "Congé des Fêtes",
    )
    assert row.closed_from is None and row.closed_until is None
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_id == world.service.id)
    ).all()
    assert "closure.create" in actions


@pytest.mark.parametrize(
    ("start", "end", "field", "words"),
    [
        (TODAY + timedelta(days=5), TODAY + timedelta(days=4), "ends_on", "précéder le premier"),
        (TODAY - timedelta(days=9), TODAY - timedelta(days=1), "ends_on", "déjà terminée"),
        (TODAY + timedelta(days=800), TODAY + timedelta(days=801), "starts_on", "deux prochaines"),
        (TODAY, TODAY + timedelta(days=400), "ends_on", "au plus un an"),
    ],
)
def test_dates_must_be_in_order_and_in_range(world, start, end, field, words):
    message = refused(
        lambda: cs.save_closure(world.service, closure(start, end), world.paul, day=TODAY), field
    )
    assert words in message
    assert world.service.closures == []


def test_hours_come_in_pairs_and_in_order(world):
    start = TODAY + timedelta(days=3)
    message = refused(
        lambda: cs.save_closure(
            world.service, closure(start, start, closed_from=time(12)), world.paul, day=TODAY
        ),
        "closed_until",
    )
    assert "les deux heures" in message
    message = refused(
        lambda: cs.save_closure(
            world.service,
            closure(start, start, closed_from=time(17), closed_until=time(12)),
            world.paul,
            day=TODAY,
        ),
        "closed_until",
    )
    assert "finir après son début" in message


def test_closures_of_one_service_never_overlap_but_one_can_be_changed(world):
    first = cs.save_closure(
        world.service,
        closure(TODAY + timedelta(days=10), TODAY + timedelta(days=20)),
        world.paul,
        day=TODAY,
    )
    message = refused(
        lambda: cs.save_closure(
            world.service,
            closure(TODAY + timedelta(days=20), TODAY + timedelta(days=25)),
            world.paul,
            day=TODAY,
        ),
        "starts_on",
    )
    assert "chevauche" in message and "2025-05-16" in message
    # Another service may close on the same days; the closure itself can be moved over its own days.
    cs.save_closure(
        world.other_service,
        closure(TODAY + timedelta(days=10), TODAY + timedelta(days=20)),
        world.quentin,
        day=TODAY,
    )
    cs.save_closure(
        world.service,
        closure(TODAY + timedelta(days=12), TODAY + timedelta(days=22)),
        world.paul,
        first,
        day=TODAY,
    )
    db.session.commit()
    assert [(c.starts_on, c.ends_on) for c in world.service.closures] == [
        (date(2025, 5, 18), date(2025, 5, 28))
    ]


def test_a_too_long_reason_is_refused(world):
    message = refused(
        lambda: cs.save_closure(
            world.service, closure(TODAY, TODAY, reason="x" * 301), world.paul, day=TODAY
        ),
        "reason",
    )
    assert "300" in message


def test_a_pause_starting_today_pauses_and_flags_what_is_not_taken_on(world):
    world.service.capacity = CapacityStatus.WAITLIST
    world.service.waitlist_weeks = 3
    waiting = referral_in(world, S.SENT)
    taken = referral_in(world, S.ACCEPTED)
    db.session.commit()
    cs.set_pause(
        world.service,
        TODAY,
        TODAY + timedelta(days=14),
        "De retour le 20 mai",
        None,
        world.paul,
        now=NOW,
    )
    db.session.commit()
    assert world.service.capacity is CapacityStatus.PAUSED
    assert waiting.reroute_flagged_at is not None
    assert taken.reroute_flagged_at is None
    pause = db.session.scalars(select(ServicePause)).one()
    assert (pause.applied, pause.capacity_before, pause.waitlist_weeks_before) == (
        True,
        CapacityStatus.WAITLIST,
        3,
    )


def test_a_future_pause_starts_and_ends_with_the_daily_task(world):
    cs.set_pause(
        world.service,
        TODAY + timedelta(days=2),
        TODAY + timedelta(days=4),
        "Formation de l'équipe",
        "Staff training",
        world.paul,
        now=NOW,
    )
    db.session.commit()
    assert world.service.capacity is CapacityStatus.ACCEPTING  # not yet
    assert cs.daily_upkeep(NOW + timedelta(days=1)) == 0
    cs.daily_upkeep(NOW + timedelta(days=2))
    db.session.commit()
    assert world.service.capacity is CapacityStatus.PAUSED
    cs.daily_upkeep(NOW + timedelta(days=5))
    db.session.commit()
    assert world.service.capacity is CapacityStatus.ACCEPTING
    assert db.session.scalars(select(ServicePause)).all() == []


def test_removing_a_running_pause_gives_back_the_capacity(world):
    cs.set_pause(
        world.service, TODAY, TODAY + timedelta(days=3), "Pause", None, world.paul, now=NOW
    )
    cs.remove_pause(world.service, world.paul, now=NOW)
    db.session.commit()
    assert world.service.capacity is CapacityStatus.ACCEPTING
    assert world.service.pause is None


def test_a_capacity_changed_during_the_pause_is_kept_at_its_end(world):
    cs.set_pause(
        world.service, TODAY, TODAY + timedelta(days=3), "Pause", None, world.paul, now=NOW
    )
    world.service.capacity = CapacityStatus.WAITLIST  # the provider decided in between
    cs.daily_upkeep(NOW + timedelta(days=4))
    db.session.commit()
    assert world.service.capacity is CapacityStatus.WAITLIST


def test_pause_dates_are_checked_like_closures(world):
    message = refused(
        lambda: cs.set_pause(
            world.service, TODAY + timedelta(days=3), TODAY, "Pause", None, world.paul, now=NOW
        ),
        "ends_on",
    )
    assert "précéder le premier jour" in message
    assert world.service.pause is None


def test_closures_that_are_over_are_deleted_by_the_daily_task(world):
    cs.save_closure(world.service, closure(TODAY, TODAY + timedelta(days=1)), world.paul, day=TODAY)
    cs.save_closure(
        world.service,
        closure(TODAY + timedelta(days=5), TODAY + timedelta(days=6)),
        world.paul,
        day=TODAY,
    )
    db.session.commit()
    later = datetime(2025, 5, 9, 12, 0, tzinfo=UTC)
    assert cs.daily_upkeep(later) == 1
    db.session.commit()
    assert [(c.starts_on) for c in db.session.scalars(select(Closure))] == [date(2025, 5, 11)]
