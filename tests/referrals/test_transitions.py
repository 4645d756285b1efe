"""The transition table, exhaustively: every status x action x actor is allowed or refused."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from cote_a_cote.audit.models import AuditEvent
from cote_a_cote.extensions import db
from cote_a_cote.referrals import services
from cote_a_cote.referrals.models import DeclinedBy, Outcome, Referral, ReferralStatus
from cote_a_cote.referrals.services import ReferralError
from cote_a_cote.referrals.transitions import TRANSITIONS, Action, Party, allowed_actions, rule_for

from .conftest import NOW, referral_in

S = ReferralStatus

# Who tries, and how they stand towards Alice's referral to Paul's organisation.
ACTORS = {
    "alice": frozenset({Party.OWNER}),
    "paul": frozenset({Party.PROVIDER}),
    "admin": frozenset({Party.ADMIN}),
    "claire": frozenset(),  # same organisation as Alice, not the owner
    "quentin": frozenset(),  # staff of another provider
    "berthe": frozenset(),  # intervenante of another organisation
}


def valid_data(action: Action, world) -> dict:
    """Data that satisfies the action, so only status and role decide."""
    return {
        Action.UPDATE_DRAFT: {"briefing": "Nouveau texte"},
        Action.CONFIRM_CONSENT: {"share_briefing": True, "purpose": "Soins"},
        Action.WAITLIST: {"expected_on": date(2025, 6, 1)},
        Action.DECLINE: {"reason": "Plus de place", "declined_by": DeclinedBy.PERSON},
        Action.NOT_COMPLETE: {"outcome": Outcome.NO_SHOW},
        Action.REROUTE: {"service": world.other_service},
        Action.EVALUATE: {
            "respect": 5,
            "no_judgement": 4,
            "confidentiality": 5,
            "would_refer_again": True,
        },
    }.get(action, {})


def audit_count() -> int:
    return db.session.scalar(select(func.count(AuditEvent.id)))


def test_every_status_can_be_reached_and_left_or_is_final():
    reachable = {S.DRAFT} | {r.target for r in TRANSITIONS if r.target}
    assert reachable == set(S)
    for status in (S.COMPLETED, S.NOT_COMPLETED, S.DECLINED, S.WITHDRAWN):
        leaving = [r for r in TRANSITIONS if status in r.sources and r.target]
        assert leaving == [], f"{status} is final"


def test_the_status_changes_are_exactly_those_of_the_workflow():
    opened = (S.SENT, S.RECEIVED, S.ACCEPTED, S.WAITLISTED, S.IN_PROGRESS)
    expected = {
        (S.DRAFT, Action.SEND): S.SENT,
        (S.SENT, Action.RECEIVE): S.RECEIVED,
        (S.RECEIVED, Action.ACCEPT): S.ACCEPTED,
        (S.RECEIVED, Action.WAITLIST): S.WAITLISTED,
        (S.RECEIVED, Action.DECLINE): S.DECLINED,
        (S.WAITLISTED, Action.ACCEPT): S.ACCEPTED,  # a place freed up
        (S.WAITLISTED, Action.DECLINE): S.DECLINED,
        (S.ACCEPTED, Action.START): S.IN_PROGRESS,
        (S.IN_PROGRESS, Action.COMPLETE): S.COMPLETED,
        (S.IN_PROGRESS, Action.NOT_COMPLETE): S.NOT_COMPLETED,
        (S.ACCEPTED, Action.NOT_COMPLETE): S.NOT_COMPLETED,  # a no-show at the first visit
        (S.WAITLISTED, Action.NOT_COMPLETE): S.NOT_COMPLETED,
        **{(s, Action.WITHDRAW): S.WITHDRAWN for s in (S.DRAFT, *opened)},
        **{(s, Action.WITHDRAW_CONSENT): S.WITHDRAWN for s in (S.DRAFT, *opened)},
    }
    actual = {
        (status, rule.action): rule.target
        for rule in TRANSITIONS
        if rule.target
        for status in rule.sources
    }
    assert actual == expected


@pytest.mark.parametrize("status", list(S), ids=lambda s: s.value)
def test_each_action_by_each_actor(world, status):
    for action in Action:
        for name, parties in ACTORS.items():
            actor = getattr(world, name)
            referral = referral_in(world, status)
            before = audit_count()
            rule = rule_for(action, status)
            allowed = rule is not None and bool(rule.parties & parties)
            label = f"{action.value} by {name} from {status.value}"
            if allowed:
                services.apply(referral, action, actor, NOW, **valid_data(action, world))
                expected = rule.target or status
                assert referral.status is expected, label
                assert audit_count() == before + 1, label
            else:
                with pytest.raises(ReferralError):
                    services.apply(referral, action, actor, NOW, **valid_data(action, world))
                db.session.refresh(referral)
                assert referral.status is status, label
                assert audit_count() == before, label


def test_allowed_actions_lists_what_the_table_allows():
    assert allowed_actions(S.RECEIVED, {Party.PROVIDER}) == [
        Action.ACCEPT,
        Action.WAITLIST,
        Action.DECLINE,
    ]
    assert allowed_actions(S.DRAFT, {Party.OWNER}) == [
        Action.UPDATE_DRAFT,
        Action.CONFIRM_CONSENT,
        Action.SEND,
        Action.WITHDRAW,
        Action.WITHDRAW_CONSENT,
    ]
    assert allowed_actions(S.COMPLETED, {Party.PROVIDER}) == []


@pytest.mark.parametrize(
    ("action", "status", "data"),
    [
        (Action.WAITLIST, S.RECEIVED, {}),
        (Action.DECLINE, S.RECEIVED, {"declined_by": DeclinedBy.PROVIDER}),
        (Action.DECLINE, S.RECEIVED, {"reason": "   ", "declined_by": DeclinedBy.PROVIDER}),
        (Action.DECLINE, S.RECEIVED, {"reason": "Complet"}),
        (Action.NOT_COMPLETE, S.IN_PROGRESS, {}),
    ],
)
def test_required_answers(world, action, status, data):
    referral = referral_in(world, status)
    with pytest.raises(ReferralError):
        services.apply(referral, action, world.paul, NOW, **data)
    assert referral.status is status


def test_the_intervenante_cannot_decline_in_the_providers_name(world):
    referral = referral_in(world, S.RECEIVED)
    with pytest.raises(ReferralError):
        services.decline(referral, world.alice, NOW, reason="x", declined_by="provider")
    services.decline(
        referral, world.alice, NOW, reason="Elle préfère attendre", declined_by="person"
    )
    assert referral.declined_by is DeclinedBy.PERSON


def test_a_deactivated_owner_can_do_nothing(world):
    referral = referral_in(world, S.DRAFT)
    world.alice.active = False
    with pytest.raises(ReferralError):
        services.withdraw(referral, world.alice, NOW)


def test_timestamps_and_actor_follow_the_journey(world):
    from .conftest import sent

    referral = sent(world)
    assert referral.sent_at == NOW
    services.mark_received(referral, world.paul, NOW)
    assert referral.received_at == NOW and referral.first_response_at is None
    appointment = NOW.replace(day=9)
    services.accept(referral, world.paul, NOW, appointment_at=appointment)
    assert referral.first_response_at == NOW
    assert referral.appointment_at == appointment
    assert referral.status_changed_by_id == world.paul.id
    services.start(referral, world.paul, NOW)
    services.complete(referral, world.alice, NOW)
    assert referral.status is S.COMPLETED and referral.closed_at == NOW
    assert referral.status_changed_by_id == world.alice.id
    db.session.commit()
    assert db.session.get(Referral, referral.id).status is S.COMPLETED
