"""The provider's referral pages: inbox, opening, one-step answers, privacy and conflicts."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from markupsafe import escape
from sqlalchemy import select, update

from cote_a_cote.audit.models import AuditEvent
from cote_a_cote.database import utcnow
from cote_a_cote.extensions import db
from cote_a_cote.referrals import services
from cote_a_cote.referrals.models import DeclinedBy, Outcome, Referral, ReferralStatus
from tests.conftest import login, shown

from .conftest import BRIEFING as BRIEFING_TEXT
from .conftest import CHANNEL, NEEDS_TEXT, draft, sent

BRIEFING = str(escape(BRIEFING_TEXT))  # as a page shows it

S = ReferralStatus


@pytest.fixture
def now():
    return utcnow()


def _as(client, user):
    assert login(client, user).status_code == 302


def _events(referral_id: int) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.object_type == "referral", AuditEvent.object_id == referral_id)
            .order_by(AuditEvent.id)
        )
    )


def _status(referral_id: int) -> ReferralStatus:
    db.session.expire_all()
    return db.session.get(Referral, referral_id).status


def _received(world, now) -> Referral:
    referral = sent(world, now)
    services.mark_received(referral, world.paul, now)
    db.session.commit()
    return referral


def test_inbox_lists_the_organisations_referrals_new_first_and_never_drafts(
    app, client, world, now
):
    older = _received(world, now - timedelta(days=2))
    new = sent(world, now)
    hidden_draft = draft(world, now)
    elsewhere = services.create_draft(world.alice, world.other_service, now=now, needs=[])
    db.session.commit()
    _as(client, world.paul)

    page = client.get("/portail/references/").get_data(as_text=True)

    assert new.code in page and older.code in page
    assert page.index(new.code) < page.index(older.code)
    assert hidden_draft.code not in page and elsewhere.code not in page
    assert shown(app, "Fast track requested") in page


def test_opening_marks_received_once_and_each_visit_is_one_audit_event(client, world, now):
    referral = sent(world, now)
    db.session.commit()
    before = _events(referral.id)
    _as(client, world.paul)

    page = client.get(f"/portail/references/{referral.id}").get_data(as_text=True)
    assert _status(referral.id) is S.RECEIVED
    assert _events(referral.id) == [*before, "referral.receive"]
    assert NEEDS_TEXT in page and BRIEFING in page and CHANNEL in page

    client.get(f"/portail/references/{referral.id}")
    assert _events(referral.id) == [*before, "referral.receive", "referral.view"]
    event = db.session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1))
    assert event.actor_id == world.paul.id and event.remote_addr == "127.0.0.1"


def test_accept_with_an_appointment(app, client, world, now):
    referral = _received(world, now)
    _as(client, world.paul)
    day = (now + timedelta(days=7)).date()

    response = client.post(
        f"/portail/references/{referral.id}/accepter",
        data={"accept-appointment_date": day.isoformat(), "accept-appointment_time": "10:30"},
    )

    assert response.status_code == 302
    assert _status(referral.id) is S.ACCEPTED
    saved = db.session.get(Referral, referral.id)
    assert saved.appointment_at is not None and saved.first_response_at is not None
    assert _events(referral.id)[-1] == "referral.accept"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert shown(app, "The referral is accepted.") in page


def test_a_time_without_a_date_is_refused_with_the_value_kept(client, world, now):
    referral = _received(world, now)
    _as(client, world.paul)

    response = client.post(
        f"/portail/references/{referral.id}/accepter", data={"accept-appointment_time": "10:30"}
    )

    assert response.status_code == 200
    assert 'value="10:30"' in response.get_data(as_text=True)
    assert _status(referral.id) is S.RECEIVED


def test_waitlist_needs_the_expected_date(client, world, now):
    referral = _received(world, now)
    _as(client, world.paul)
    url = f"/portail/references/{referral.id}/mettre-en-attente"

    assert client.post(url, data={}).status_code == 200
    assert _status(referral.id) is S.RECEIVED

    expected = (now + timedelta(days=30)).date()
    response = client.post(url, data={"waitlist-expected_on": expected.isoformat()})
    assert response.status_code == 302
    assert _status(referral.id) is S.WAITLISTED
    assert db.session.get(Referral, referral.id).waitlist_expected_on == expected


def test_a_past_expected_date_is_refused_with_a_message(app, client, world, now):
    referral = _received(world, now)
    _as(client, world.paul)
    past = (now - timedelta(days=30)).date().isoformat()

    response = client.post(
        f"/portail/references/{referral.id}/mettre-en-attente",
        data={"waitlist-expected_on": past},
    )

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert shown(app, "The expected date cannot be in the past.") in page
    assert past in page
    assert _status(referral.id) is S.RECEIVED


def test_decline_needs_a_reason_and_keeps_the_values(app, client, world, now):
    referral = _received(world, now)
    _as(client, world.paul)
    url = f"/portail/references/{referral.id}/refuser"

    response = client.post(url, data={"decline-declined_by": "person", "decline-reason": "  "})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert shown(app, "Please give the reason.") in page
    assert re.search(r'<input checked[^>]*value="person"', page)
    assert _status(referral.id) is S.RECEIVED

    response = client.post(
        url, data={"decline-declined_by": "provider", "decline-reason": "Plus de place"}
    )
    assert response.status_code == 302
    saved = db.session.get(Referral, (referral.id))
    assert _status(referral.id) is S.DECLINED
    assert saved.declined_by is DeclinedBy.PROVIDER and saved.decline_reason == "Plus de place"


def test_start_complete_and_not_complete(client, world, now):
    referral = _received(world, now)
    services.accept(referral, world.paul, now)
    db.session.commit()
    _as(client, world.paul)

    assert client.post(f"/portail/references/{referral.id}/commencer").status_code == 302
    assert _status(referral.id) is S.IN_PROGRESS
    assert client.post(f"/portail/references/{referral.id}/terminer").status_code == 302
    assert _status(referral.id) is S.COMPLETED

    other = _received(world, now)
    services.accept(other, world.paul, now)
    db.session.commit()
    url = f"/portail/references/{other.id}/non-terminee"
    assert client.post(url, data={"not-complete-outcome": "nonsense"}).status_code == 200
    assert _status(other.id) is S.ACCEPTED
    assert client.post(url, data={"not-complete-outcome": "no_show"}).status_code == 302
    assert _status(other.id) is S.NOT_COMPLETED
    assert db.session.get(Referral, other.id).outcome is Outcome.NO_SHOW


def test_an_action_the_table_does_not_allow_is_refused_with_a_message(app, client, world, now):
    referral = _received(world, now)
    _as(client, world.paul)

    response = client.post(f"/portail/references/{referral.id}/commencer", follow_redirects=True)

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert shown(app, "This action is not possible in the referral's current status.") in page
    assert _status(referral.id) is S.RECEIVED


def test_briefing_hidden_after_consent_withdrawal(app, client, world, now):
    referral = _received(world, now)
    services.withdraw_consent(referral, world.alice, now)
    db.session.commit()
    _as(client, world.paul)

    page = client.get(f"/portail/references/{referral.id}").get_data(as_text=True)

    assert BRIEFING not in page and CHANNEL not in page
    assert shown(app, "The person withdrew their consent: the briefing was erased.") in page


def test_briefing_hidden_once_consent_expired(app, client, world, now):
    referral = sent(world, now - timedelta(days=200))  # consent of 90 days, long past
    db.session.commit()
    _as(client, world.paul)

    page = client.get(f"/portail/references/{referral.id}").get_data(as_text=True)

    assert BRIEFING not in page and CHANNEL not in page
    expired = "The person's consent has expired: the briefing is no longer shown."
    assert str(escape(shown(app, expired))) in page


def test_another_provider_gets_404_everywhere(client, world, now):
    referral = sent(world, now)
    db.session.commit()
    _as(client, world.quentin)

    assert client.get(f"/portail/references/{referral.id}").status_code == 404
    assert client.post(f"/portail/references/{referral.id}/accepter").status_code == 404
    assert referral.code not in client.get("/portail/references/").get_data(as_text=True)
    assert _status(referral.id) is S.SENT
    assert "referral.view" not in _events(referral.id)


@pytest.mark.parametrize("who", ["alice", "admin"])
def test_intervenantes_and_admins_are_refused(client, world, now, who):
    referral = sent(world, now)
    db.session.commit()
    _as(client, getattr(world, who))

    assert client.get("/portail/references/").status_code == 403
    assert client.get(f"/portail/references/{referral.id}").status_code == 403


def test_a_concurrent_change_shows_a_message_not_an_error(app, client, world, now, monkeypatch):
    referral = _received(world, now)
    _as(client, world.paul)
    real_accept = services.accept

    def accept_after_someone_else(target, *args, **kwargs):
        # The intervenante withdraws between the page's read and its write.
        with db.engine.begin() as connection:
            connection.execute(
                update(Referral)
                .where(Referral.id == target.id)
                .values(status=S.WITHDRAWN, version=Referral.version + 1)
            )
        return real_accept(target, *args, **kwargs)

    monkeypatch.setattr(services, "accept", accept_after_someone_else)
    response = client.post(f"/portail/references/{referral.id}/accepter", follow_redirects=True)

    assert response.status_code == 200
    message = "Someone else changed this referral at the same time. Reload it and try again."
    assert shown(app, message) in response.get_data(as_text=True)
    assert _status(referral.id) is S.WITHDRAWN
    assert "referral.accept" not in _events(referral.id)
