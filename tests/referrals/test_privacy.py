"""Consent withdrawal, the briefing's visibility, and the purge schedule (time injected)."""

from __future__ import annotations

from datetime import date, timedelta

import time_machine
from sqlalchemy import select

from cote_a_cote.audit.models import AuditEvent
from cote_a_cote.extensions import db
from cote_a_cote.referrals import services
from cote_a_cote.referrals.models import Outcome, Referral, ReferralStatus
from cote_a_cote.referrals.purge import purge
from cote_a_cote.referrals.services import FREE_TEXT_FIELDS
from cote_a_cote.referrals.visibility import briefing_visible_to, contact_visible_to

from .conftest import BRIEFING, NOW, draft, sent

S = ReferralStatus


def free_text(referral: Referral) -> dict:
    return {name: getattr(referral, name) for name in FREE_TEXT_FIELDS if getattr(referral, name)}


def completed(world, now=NOW) -> Referral:
    referral = sent(world, now)
    services.mark_received(referral, world.paul, now)
    services.accept(referral, world.paul, now)
    services.start(referral, world.paul, now)
    services.complete(referral, world.alice, now)
    return referral


def test_the_provider_reads_the_briefing_only_while_open_and_consented(world):
    referral = draft(world)
    assert not briefing_visible_to(world.paul, referral, NOW)  # a draft is not addressed yet
    services.confirm_consent(referral, world.alice, NOW, share_briefing=False, share_contact=True)
    services.send(referral, world.alice, NOW)
    assert not briefing_visible_to(world.paul, referral, NOW)  # consent does not cover it
    assert contact_visible_to(world.paul, referral, NOW)
    assert briefing_visible_to(world.alice, referral, NOW)
    assert not briefing_visible_to(world.quentin, referral, NOW)
    assert not briefing_visible_to(world.admin, referral, NOW)

    other = sent(world)  # consent shares the briefing
    assert briefing_visible_to(world.paul, other, NOW)
    assert not briefing_visible_to(world.paul, other, NOW + timedelta(days=91))  # expired
    services.mark_received(other, world.paul, NOW)
    services.accept(other, world.paul, NOW)
    services.start(other, world.paul, NOW)
    services.complete(other, world.paul, NOW)
    assert not briefing_visible_to(world.paul, other, NOW)  # closed
    assert not contact_visible_to(world.paul, other, NOW)


def test_withdrawing_consent_hides_and_erases_the_briefing_at_once(world):
    referral = sent(world)
    services.mark_received(referral, world.paul, NOW)
    assert briefing_visible_to(world.paul, referral, NOW)
    services.withdraw_consent(referral, world.alice, NOW)
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(Referral, referral.id)
    assert stored.status is S.WITHDRAWN
    assert stored.consent_withdrawn_at == NOW and stored.purged_at == NOW
    assert free_text(stored) == {}
    assert not briefing_visible_to(world.paul, stored, NOW)
    assert stored.code and [t.code for t in stored.needs]  # statistics stay
    kinds = [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert kinds[-1] == "referral.withdraw_consent"
    assert kinds.count("referral.withdraw_consent") == 1


def test_withdrawing_consent_on_a_closed_referral_keeps_its_status(world):
    referral = completed(world)
    services.withdraw_consent(referral, world.alice, NOW)
    assert referral.status is S.COMPLETED and free_text(referral) == {}


def test_purge_after_the_delay_keeps_statistics(world):
    referral = completed(world)
    open_one = sent(world)
    db.session.commit()
    assert purge(NOW + timedelta(days=29)).closed == 0
    assert free_text(referral)

    counts = purge(NOW + timedelta(days=31))
    db.session.commit()
    assert (counts.closed, counts.expired_consent, counts.drafts_deleted) == (1, 0, 0)
    db.session.expire_all()
    stored = db.session.get(Referral, referral.id)
    assert free_text(stored) == {}
    assert stored.purged_at == NOW + timedelta(days=31)
    assert stored.code == referral.code and stored.status is S.COMPLETED
    assert stored.sent_at == NOW and stored.closed_at == NOW
    assert len(stored.needs) == 2
    assert db.session.get(Referral, open_one.id).briefing == BRIEFING  # still open: kept
    purges = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "referral.purge"))
    assert [e.object_id for e in purges] == [referral.id]
    assert purge(NOW + timedelta(days=32)).closed == 0  # once


def test_purge_keeps_the_outcome_of_a_not_completed_referral(world):
    referral = sent(world)
    services.mark_received(referral, world.paul, NOW)
    services.accept(referral, world.paul, NOW)
    services.not_complete(referral, world.alice, NOW, outcome=Outcome.NO_SHOW)
    purge(NOW + timedelta(days=31))
    assert referral.outcome is Outcome.NO_SHOW and free_text(referral) == {}


def test_purge_deletes_old_drafts_and_erases_expired_consents(world):
    old_draft = draft(world, NOW - timedelta(days=31))
    recent_draft = draft(world, NOW - timedelta(days=5))
    short = draft(world)
    services.confirm_consent(short, world.alice, NOW, valid_until=date(2025, 5, 10))
    services.send(short, world.alice, NOW)
    old_id = old_draft.id
    db.session.commit()

    counts = purge(NOW + timedelta(days=5))
    db.session.commit()
    assert (counts.closed, counts.expired_consent, counts.drafts_deleted) == (0, 1, 1)
    assert db.session.get(Referral, old_id) is None
    assert db.session.get(Referral, recent_draft.id).briefing == BRIEFING
    assert free_text(db.session.get(Referral, short.id)) == {}
    actions = db.session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.object_type == "referral", AuditEvent.object_id == old_id)
        .order_by(AuditEvent.id)
    ).all()
    assert actions == ["referral.create", "referral.delete_draft"]


def test_purge_command_prints_counts_and_commits(world, runner):
    completed(world, NOW)
    draft(world, NOW)
    db.session.commit()
    with time_machine.travel(NOW + timedelta(days=40), tick=False):
        result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    expected = (
        "Purged: 1 closed referral(s), 0 with expired consent; 1 old draft(s) deleted; "
        "1 person code(s) erased."  # the completed referral's person: nothing else under it
    )
    assert expected in result.output
    db.session.expire_all()
    assert db.session.scalar(select(db.func.count(Referral.id))) == 1
