"""Changing a saved draft, and the intervenante recording that the person declined."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from cote_a_cote.audit.models import AuditEvent
from cote_a_cote.extensions import db
from cote_a_cote.notifications.models import Notification
from cote_a_cote.referrals import services
from cote_a_cote.referrals.models import ContactMode, DeclinedBy, Referral, ReferralStatus
from tests.conftest import login, shown

from .conftest import BRIEFING, NEEDS_TEXT, draft, referral_in, sent

S = ReferralStatus


def _reload(referral_id: int) -> Referral:
    db.session.expire_all()
    return db.session.get(Referral, referral_id)


def _changed(world, **extra) -> dict:
    data = {
        "needs": [str(world.needs[1].id)],
        "person_needs_text": "Un logement calme, loin du centre-ville",
        "preferred_language": "en",
        "contact_mode": "through_intervenante",
        "briefing": "",
    }
    data.update(extra)
    return data


def test_the_draft_page_shows_what_was_saved(world, client):
    referral = draft(world)
    db.session.commit()
    login(client, world.alice)
    page = client.get(f"/references/{referral.id}/modifier")
    assert page.status_code == 200
    assert referral.code in page.text
    assert NEEDS_TEXT in page.text and BRIEFING.replace("'", "&#39;") in page.text
    checked = re.findall(r'<input checked[^>]*name="(\w+)"[^>]*value="(\w+)"', page.text)
    assert set(checked) == {
        ("needs", str(world.needs[0].id)),
        ("needs", str(world.needs[1].id)),
        ("fast_track", "y"),
        ("accompanied", "y"),
        ("contact_mode", "direct"),
    }
    assert "idempotency_key" not in page.text


def test_changing_the_draft_saves_it_and_asks_consent_again(world, client, app):
    referral = draft(world)
    services.confirm_consent(referral, world.alice, share_briefing=True)
    db.session.commit()
    assert referral.consent_confirmed_at is not None
    login(client, world.alice)
    response = client.post(f"/references/{referral.id}/modifier", data=_changed(world))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/references/{referral.id}/consentement")
    saved = _reload(referral.id)
    assert saved.status is S.DRAFT
    assert [t.id for t in saved.needs] == [world.needs[1].id]
    assert saved.person_needs_text == "Un logement calme, loin du centre-ville"
    assert saved.preferred_language == "en"
    assert saved.contact_mode is ContactMode.THROUGH_INTERVENANTE
    assert saved.briefing is None
    assert saved.consent_confirmed_at is None  # she agreed to the old text, not to this one
    consent = client.get(response.headers["Location"])
    assert shown(
        app, "The draft is saved. The person's consent is needed again before sending."
    ) in (consent.text)


def test_a_bad_change_keeps_what_she_typed_and_the_saved_draft(world, client):
    referral = draft(world)
    db.session.commit()
    login(client, world.alice)
    response = client.post(
        f"/references/{referral.id}/modifier",
        data=_changed(world, needs=[], contact_mode="direct", contact_channel=""),
    )
    assert response.status_code == 200
    assert "Un logement calme, loin du centre-ville" in response.text
    assert 'id="needs-error"' in response.text
    saved = _reload(referral.id)
    assert saved.person_needs_text == NEEDS_TEXT  # nothing saved
    assert {t.id for t in saved.needs} == {t.id for t in world.needs}


def test_only_her_drafts_can_be_changed(world, client):
    referral = draft(world)
    db.session.commit()
    login(client, world.berthe)  # another organisation
    assert client.get(f"/references/{referral.id}/modifier").status_code == 404
    assert client.post(f"/references/{referral.id}/modifier", data=_changed(world)).status_code == (
        404
    )
    assert _reload(referral.id).person_needs_text == NEEDS_TEXT


def test_a_sent_referral_is_not_changed(world, client, app):
    referral = sent(world)
    db.session.commit()
    login(client, world.alice)
    response = client.post(f"/references/{referral.id}/modifier", data=_changed(world))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/references/{referral.id}")
    assert (
        shown(app, "Only a draft can be changed.") in client.get(response.headers["Location"]).text
    )
    assert _reload(referral.id).person_needs_text == NEEDS_TEXT


def test_she_declines_a_waiting_list(world, client, app):
    referral = referral_in(world, S.WAITLISTED)
    db.session.commit()
    login(client, world.alice)
    detail = client.get(f"/references/{referral.id}")
    assert f'action="/references/{referral.id}/refus"' in detail.text
    empty = client.post(f"/references/{referral.id}/refus", data={"decline-reason": " "})
    assert empty.status_code == 200
    assert 'id="decline-reason-error"' in empty.text
    assert _reload(referral.id).status is S.WAITLISTED

    response = client.post(
        f"/references/{referral.id}/refus",
        data={"decline-reason": "Six mois, c’est trop long", "confirmed": "1"},
    )
    assert response.status_code == 302
    saved = _reload(referral.id)
    assert saved.status is S.DECLINED
    assert saved.declined_by is DeclinedBy.PERSON
    assert saved.decline_reason == "Six mois, c’est trop long"
    assert saved.closed_at is not None
    events = db.session.scalar(
        select(func.count(AuditEvent.id)).where(
            AuditEvent.object_id == referral.id, AuditEvent.action == "referral.decline"
        )
    )
    assert events == 1
    # The provider is told, without the reason.
    notes = db.session.scalars(
        select(Notification).where(Notification.user_id == world.paul.id)
    ).all()
    assert [n.kind for n in notes] == ["referral_updated"]
    assert all("trop long" not in str(n.params) for n in notes)
    page = client.get(response.headers["Location"]).text
    assert shown(app, "Declined by the person.") in page
    # Declined: she may now be referred elsewhere.
    assert f'action="/references/{referral.id}/rediriger"' in page or "reroute-q" in page


def test_she_cannot_decline_once_accepted(world, client):
    accepted = referral_in(world, S.ACCEPTED)
    db.session.commit()
    login(client, world.alice)
    assert f"/references/{accepted.id}/refus" not in client.get(f"/references/{accepted.id}").text
    client.post(f"/references/{accepted.id}/refus", data={"decline-reason": "Non"})
    assert _reload(accepted.id).status is S.ACCEPTED


def test_another_organisation_cannot_record_her_refusal(world, client):
    waiting = referral_in(world, S.WAITLISTED)
    db.session.commit()
    login(client, world.berthe)
    assert (
        client.post(f"/references/{waiting.id}/refus", data={"decline-reason": "x"}).status_code
        == 404
    )
    assert _reload(waiting.id).status is S.WAITLISTED
