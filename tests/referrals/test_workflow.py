"""Referring with consent, answering, re-routing, evaluating; nothing about the person leaks."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import inspect, select

from cote_a_cote.audit.models import AuditEvent
from cote_a_cote.extensions import db
from cote_a_cote.mail import outbox
from cote_a_cote.notifications.models import Notification
from cote_a_cote.notifications.services import text
from cote_a_cote.referrals import services
from cote_a_cote.referrals.models import (
    DeclinedBy,
    Referral,
    ReferralEvaluation,
    ReferralStatus,
)
from cote_a_cote.referrals.services import ReferralError

from .conftest import BRIEFING, CHANNEL, NEEDS_TEXT, NOW, SAFE_TIMES, draft, sent

S = ReferralStatus


def test_the_model_has_no_field_that_invites_an_identity():
    columns = {c.name for c in inspect(Referral).columns}
    for word in ("name", "birth", "address", "phone", "email", "nas", "dob"):
        assert not [c for c in columns if word in c], word
    assert "name, a birth date, an address" in Referral.__doc__


def test_a_draft_gets_a_random_readable_code(world):
    first, second = draft(world), draft(world)
    assert re.fullmatch(r"[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}", first.code)
    assert first.code != second.code
    assert first.status is S.DRAFT
    assert first.referring_organization_id == world.referrer.id
    assert first.provider_organization_id == world.provider.id
    assert [t.code for t in first.needs] == ["need.safety_shelter", "need.housing"]


def test_only_need_terms_are_accepted(world, make_service):
    from cote_a_cote.catalogue.models import TaxonomyTerm

    sector = db.session.scalar(select(TaxonomyTerm).where(TaxonomyTerm.code.like("sector.%")))
    with pytest.raises(ReferralError):
        draft(world, needs=[sector.id])


def test_only_intervenantes_refer_and_only_to_listed_providers(world):
    from cote_a_cote.catalogue.models import OrganizationStatus

    with pytest.raises(ReferralError):
        services.create_draft(world.paul, world.service, now=NOW)
    world.provider.status = OrganizationStatus.SUSPENDED
    with pytest.raises(ReferralError):
        draft(world)


def test_direct_contact_needs_a_channel(world):
    with pytest.raises(ReferralError):
        draft(world, contact_channel="")


def test_consent_is_required_before_sending(world):
    referral = draft(world)
    with pytest.raises(ReferralError):
        services.send(referral, world.alice, NOW)
    assert referral.status is S.DRAFT and referral.sent_at is None
    services.confirm_consent(referral, world.alice, NOW, share_briefing=True)
    assert referral.consent_valid_until == date(2025, 5, 6) + timedelta(days=90)
    services.send(referral, world.alice, NOW)
    assert referral.status is S.SENT


def test_an_expired_or_withdrawn_consent_does_not_send(world):
    referral = draft(world)
    services.confirm_consent(referral, world.alice, NOW, valid_until=date(2025, 5, 7))
    with pytest.raises(ReferralError):
        services.send(referral, world.alice, NOW + timedelta(days=2))
    with pytest.raises(ReferralError):  # a consent cannot be given for the past
        services.confirm_consent(referral, world.alice, NOW, valid_until=date(2025, 5, 5))


def test_editing_a_draft_asks_for_consent_again(world):
    referral = draft(world)
    services.confirm_consent(referral, world.alice, NOW)
    services.update_draft(referral, world.alice, NOW, briefing="Autre chose")
    with pytest.raises(ReferralError):
        services.send(referral, world.alice, NOW)


def test_double_submission_creates_one_referral(world):
    first = draft(world, idempotency_key="form-1234")
    second = draft(world, idempotency_key="form-1234")
    assert first.id == second.id
    assert db.session.scalar(select(db.func.count(Referral.id))) == 1
    creations = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "referral.create")
    ).all()
    assert len(creations) == 1
    with pytest.raises(ReferralError):  # someone else's key is never handed out
        services.create_draft(world.claire, world.service, idempotency_key="form-1234", now=NOW)


def test_each_action_writes_one_event_without_content(world):
    referral = sent(world)
    services.mark_received(referral, world.paul, NOW, remote_addr="203.0.113.9")
    services.decline(referral, world.paul, NOW, reason=BRIEFING[:40], declined_by="provider")
    new = services.reroute(referral, world.alice, NOW, service=world.other_service)
    services.record_view(world.alice, new, "198.51.100.4", NOW)
    db.session.commit()
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [e.action for e in events] == [
        "person.create",
        "referral.create",
        "referral.confirm_consent",
        "referral.send",
        "referral.receive",
        "referral.decline",
        "referral.reroute",
        "referral.view",
    ]
    assert [e.object_id for e in events] == [referral.person_id] + [referral.id] * 6 + [new.id]
    assert events[0].object_type == "person"
    assert events[4].actor_id == world.paul.id and events[4].remote_addr == "203.0.113.9"
    forbidden = [referral.code, new.code, NEEDS_TEXT, BRIEFING[:40], CHANNEL, SAFE_TIMES]
    forbidden += [t.code for t in world.needs]
    for event in events:
        stored = " ".join(str(getattr(event, c.key)) for c in inspect(AuditEvent).columns)
        for secret in forbidden:
            assert secret not in stored


def test_notifications_and_emails_say_nothing_about_the_person(app, world):
    referral = sent(world)
    services.mark_received(referral, world.paul, NOW)
    services.accept(referral, world.paul, NOW)
    db.session.commit()
    notes = db.session.scalars(select(Notification).order_by(Notification.id)).all()
    assert [(n.user_id, n.kind) for n in notes] == [
        (world.paul.id, "referral_new"),
        (world.alice.id, "referral_answered"),
    ]
    with app.test_request_context():
        assert text(notes[0], "en") == "You have a new referral."
    mails = outbox()
    assert len(mails) == 2
    secrets_ = [referral.code, NEEDS_TEXT, BRIEFING, CHANNEL, SAFE_TIMES, "Soins dentaires"]
    for mail in mails:
        body = mail.as_string()
        for secret in secrets_:
            assert secret not in body


def test_reroute_creates_a_linked_draft_for_another_service(world):
    referral = sent(world)
    services.mark_received(referral, world.paul, NOW)
    services.decline(referral, world.paul, NOW, reason="Complet", declined_by=DeclinedBy.PROVIDER)
    assert referral.closed_at == NOW and referral.first_response_at == NOW
    with pytest.raises(ReferralError):
        services.reroute(referral, world.alice, NOW, service=world.service)
    new = services.reroute(referral, world.alice, NOW, service=world.other_service)
    assert new.status is S.DRAFT and new.rerouted_from_id == referral.id
    assert new.provider_organization_id == world.other_provider.id
    assert new.briefing == BRIEFING and new.needs == referral.needs
    assert new.consent_confirmed_at is None  # a new provider: the person is asked again
    # The same person: the new referral stays under the code they already hold.
    assert new.person_id == referral.person_id and new.code == referral.code
    assert referral.status is S.DECLINED


def test_evaluation_once_and_only_with_ratings_from_1_to_5(world):
    from .conftest import referral_in

    referral = referral_in(world, S.COMPLETED)
    with pytest.raises(ReferralError):
        services.evaluate(
            referral,
            world.alice,
            NOW,
            respect=6,
            no_judgement=5,
            confidentiality=5,
            would_refer_again=True,
        )
    ratings = {"respect": 4, "no_judgement": 5, "confidentiality": 3, "would_refer_again": True}
    evaluation = services.evaluate(referral, world.alice, NOW, **ratings)
    assert evaluation.evaluator_id == world.alice.id
    with pytest.raises(ReferralError):
        services.evaluate(referral, world.alice, NOW, **ratings)
    assert db.session.scalar(select(db.func.count(ReferralEvaluation.id))) == 1


def test_withdrawing_tells_the_provider_only_if_it_was_sent(world):
    unsent = draft(world)
    services.withdraw(unsent, world.alice, NOW)
    referral = sent(world)
    services.withdraw(referral, world.alice, NOW)
    kinds = db.session.scalars(
        select(Notification.kind)
        .where(Notification.user_id == world.paul.id)
        .order_by(Notification.id)
    ).all()
    assert kinds == ["referral_new", "referral_withdrawn"]


def test_no_reroute_once_the_person_withdrew_her_consent(world):
    from .conftest import referral_in

    referral = referral_in(world, S.DECLINED)
    services.withdraw_consent(referral, world.alice, NOW)
    with pytest.raises(ReferralError):
        services.reroute(referral, world.alice, NOW, service=world.other_service)


def test_a_waiting_date_cannot_be_in_the_past(world):
    from .conftest import referral_in

    referral = referral_in(world, S.RECEIVED)
    with pytest.raises(ReferralError):
        services.waitlist(referral, world.paul, NOW, expected_on=date(2025, 5, 1))
    services.waitlist(referral, world.paul, NOW, expected_on=date(2025, 6, 2))
    assert referral.waitlist_expected_on == date(2025, 6, 2)
    assert referral.first_response_at == NOW


def test_notifications_lead_to_the_referral_page_of_each_side(world):
    from cote_a_cote.notifications.models import Notification
    from cote_a_cote.notifications.services import link

    referral = sent(world)
    to_provider = db.session.scalar(
        select(Notification).where(
            Notification.user_id == world.paul.id, Notification.kind == "referral_new"
        )
    )
    assert link(to_provider) == f"/portail/references/{referral.id}"
    services.mark_received(referral, world.paul, NOW)
    services.accept(referral, world.paul, NOW)
    to_her = db.session.scalar(
        select(Notification).where(
            Notification.user_id == world.alice.id, Notification.kind == "referral_answered"
        )
    )
    assert link(to_her) == f"/references/{referral.id}"
    assert referral.code not in link(to_her)
