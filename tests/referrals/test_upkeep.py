"""Business days, overdue flags, services that became unavailable, reassignment."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from cote_a_cote.audit.models import AuditEvent
from cote_a_cote.catalogue.models import CapacityStatus, OrganizationStatus
from cote_a_cote.extensions import db
from cote_a_cote.notifications.models import Notification
from cote_a_cote.referrals import services
from cote_a_cote.referrals.models import ReferralStatus
from cote_a_cote.referrals.services import ReferralError
from cote_a_cote.referrals.upkeep import (
    add_business_days,
    flag_for_rerouting,
    flag_overdue,
    flag_unavailable,
    reassign_open_referrals,
)

from .conftest import NOW, draft, referral_in, sent

S = ReferralStatus
MTL = ZoneInfo("America/Toronto")


def local(*args) -> datetime:
    return datetime(*args, tzinfo=MTL)


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (local(2025, 5, 6, 14, 0), 3, local(2025, 5, 9, 14, 0)),  # Tuesday -> Friday
        (local(2025, 5, 2, 16, 0), 3, local(2025, 5, 7, 16, 0)),  # Friday -> Wednesday
        (local(2025, 5, 2, 16, 0), 1, local(2025, 5, 5, 16, 0)),  # Friday -> Monday
        (local(2025, 5, 3, 10, 0), 3, local(2025, 5, 8, 0, 0)),  # Saturday: from Monday 0 h
        (local(2025, 5, 4, 23, 0), 1, local(2025, 5, 6, 0, 0)),  # Sunday night
        # Two weekends and National Patriots' Day (Monday 19 May, a Québec holiday).
        (local(2025, 5, 9, 9, 0), 10, local(2025, 5, 26, 9, 0)),
        (local(2025, 3, 7, 12, 0), 1, local(2025, 3, 10, 12, 0)),  # across the DST change
    ],
)
def test_add_business_days(app, start, days, expected):
    assert add_business_days(start.astimezone(UTC), days) == expected


def notes(user) -> list[str]:
    return list(
        db.session.scalars(
            select(Notification.kind)
            .where(Notification.user_id == user.id)
            .order_by(Notification.id)
        )
    )


def test_overdue_across_a_weekend_is_flagged_once(world):
    friday = local(2025, 5, 2, 16, 0).astimezone(UTC)
    late = sent(world, friday)
    answered = sent(world, friday)
    services.mark_received(answered, world.paul, friday)
    services.accept(answered, world.paul, friday)
    opened = sent(world, friday)
    services.mark_received(opened, world.paul, friday)  # opened is not answered

    assert flag_overdue(local(2025, 5, 7, 15, 59).astimezone(UTC)) == []
    wednesday = local(2025, 5, 7, 16, 0).astimezone(UTC)
    assert flag_overdue(wednesday) == [late, opened]
    assert late.overdue_flagged_at == wednesday and answered.overdue_flagged_at is None
    assert flag_overdue(wednesday + timedelta(days=1)) == []

    assert notes(world.alice).count("referral_overdue") == 2
    assert notes(world.admin) == ["referral_overdue"]  # once per run
    assert notes(world.paul).count("referral_reminder") == 2
    events = db.session.scalars(
        select(AuditEvent.object_id).where(AuditEvent.action == "referral.flag_overdue")
    ).all()
    assert sorted(events) == sorted([late.id, opened.id])


def test_paused_service_flags_what_it_has_not_taken_on(world):
    waiting = referral_in(world, S.SENT)
    listed = referral_in(world, S.WAITLISTED)
    taken = referral_in(world, S.ACCEPTED)
    assert flag_for_rerouting(world.service, NOW) == []  # still accepting
    world.service.capacity = CapacityStatus.PAUSED
    assert flag_for_rerouting(world.service, NOW) == [waiting, listed]
    assert taken.reroute_flagged_at is None
    assert flag_for_rerouting(world.service, NOW) == [waiting, listed]  # listed again...
    assert notes(world.alice) == ["referral_reroute", "referral_reroute"]  # ...told once


def test_suspended_organisation_flags_every_open_referral(world):
    open_ones = [referral_in(world, s) for s in (S.SENT, S.ACCEPTED, S.IN_PROGRESS)]
    referral_in(world, S.COMPLETED)
    referral_in(world, S.DRAFT)
    assert flag_for_rerouting(world.provider, NOW) == []
    world.provider.status = OrganizationStatus.SUSPENDED
    assert flag_for_rerouting(world.provider, NOW) == open_ones


def test_sweep_finds_paused_services_and_suspended_providers(world, make_service):
    paused = referral_in(world, S.RECEIVED)
    world.service.capacity = CapacityStatus.PAUSED
    elsewhere = services.create_draft(world.alice, world.other_service, now=NOW)
    services.confirm_consent(elsewhere, world.alice, NOW)
    services.send(elsewhere, world.alice, NOW)
    assert flag_unavailable(NOW) == [paused]
    world.other_provider.status = OrganizationStatus.SUSPENDED
    assert flag_unavailable(NOW) == [elsewhere]
    assert flag_unavailable(NOW) == []


def test_daily_sweep_and_command(world, runner):
    referral_in(world, S.RECEIVED)
    accepted = referral_in(world, S.ACCEPTED)
    world.service.capacity = CapacityStatus.PAUSED
    old = sent(world, NOW - timedelta(days=10))
    db.session.commit()
    with time_machine.travel(NOW, tick=False):
        result = runner.invoke(args=["referral-reminders"])
        again = runner.invoke(args=["referral-reminders"])
    assert result.exit_code == 0, result.output
    assert "Referrals flagged: 1 without answer, 2 to re-route." in result.output
    db.session.expire_all()
    assert accepted.reroute_flagged_at is None and old.reroute_flagged_at == NOW
    assert "Referrals flagged: 0 without answer, 0 to re-route." in again.output


def test_reassign_open_referrals_to_a_colleague(world):
    mine = [draft(world), sent(world)]
    closed = referral_in(world, S.COMPLETED)
    moved = reassign_open_referrals(world.alice, world.claire, actor=world.admin, now=NOW)
    assert moved == mine
    assert all(r.referring_user_id == world.claire.id for r in mine)
    assert closed.referring_user_id == world.alice.id
    assert notes(world.claire) == ["referral_reassigned"]
    services.withdraw(mine[1], world.claire, NOW)  # she now owns it
    reassign_events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "referral.reassign").order_by(AuditEvent.id)
    ).all()
    assert [(e.object_id, e.actor_id) for e in reassign_events] == [
        (r.id, world.admin.id) for r in mine
    ]


def test_reassign_only_to_a_colleague_never_an_administrator(world):
    sent(world)
    for target in (world.berthe, world.paul, world.alice, world.admin):
        with pytest.raises(ReferralError):
            reassign_open_referrals(world.alice, target, now=NOW)


def test_suspending_through_vetting_flags_open_referrals_at_once(world):
    from cote_a_cote.vetting.models import EventAction
    from cote_a_cote.vetting.services import decide

    accepted = referral_in(world, S.ACCEPTED)
    decide(world.provider, EventAction.SUSPENDED, world.admin, "Plainte en cours", now=NOW)
    assert world.provider.status is OrganizationStatus.SUSPENDED
    assert accepted.reroute_flagged_at is not None
    assert "referral_reroute" in notes(world.alice)


def test_deactivating_an_intervenante_without_a_delegate_freezes_her_referrals(world):
    from cote_a_cote.accounts.services import deactivate_user, set_referral_delegate
    from cote_a_cote.referrals.upkeep import pending_handovers

    mine = [referral_in(world, S.SENT), referral_in(world, S.ACCEPTED)]
    closed = referral_in(world, S.COMPLETED)
    deactivate_user(world.alice, actor=world.admin)
    # Frozen: still hers, never the administrator's; the administrators see only a count.
    assert all(r.referring_user_id == world.alice.id for r in mine)
    assert pending_handovers() == {world.referrer.id: 2}
    assert notes(world.admin) == ["referral_handover_pending"]
    # The provider keeps working them.
    services.mark_received(mine[0], world.paul, NOW)
    assert mine[0].status is S.RECEIVED
    # The colleague designated later inherits them (and the persons the departed one followed).
    set_referral_delegate(world.referrer, world.claire, world.admin)
    assert all(r.referring_user_id == world.claire.id for r in mine)
    assert closed.referring_user_id == world.alice.id
    assert {r.person.owner_id for r in mine} == {world.claire.id}
    assert pending_handovers() == {}
    assert "referral_reassigned" in notes(world.claire)
