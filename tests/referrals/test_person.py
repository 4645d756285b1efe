"""One person, one code: several referrals under a code, its page, its purge (issue 12 §1)."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from cote_a_cote.audit.models import AuditEvent
from cote_a_cote.extensions import db
from cote_a_cote.referrals import services
from cote_a_cote.referrals.models import Person, Referral, ReferralStatus
from cote_a_cote.referrals.purge import purge
from cote_a_cote.referrals.services import ReferralError
from tests.conftest import login, without_csrf_tokens

from .conftest import BRIEFING, NEEDS_TEXT, NOW, draft, referral_in, sent

S = ReferralStatus


def _key(html: str) -> str:
    return re.search(r'name="idempotency_key"[^>]*value="([^"]+)"', html).group(1)


def _post_new(client, world, service, person_id: int = 0, personne: int | None = None):
    url = f"/references/nouvelle?service={service.id}"
    if personne:
        url += f"&personne={personne}"
    html = client.get(url).text
    data = {
        "needs": [str(world.needs[0].id)],
        "person_needs_text": NEEDS_TEXT,
        "preferred_language": "en",
        "contact_mode": "through_intervenante",
        "idempotency_key": _key(html),
        "person_id": str(person_id),
    }
    return html, client.post(url, data=data)


def _referrals() -> list[Referral]:
    db.session.expire_all()
    return list(db.session.scalars(select(Referral).order_by(Referral.id)))


def test_three_referrals_under_one_code_and_its_page(world, client):
    third_service = world.other_service  # a lawyer; the second referral goes to the dentist again
    login(client, world.alice)
    _, first = _post_new(client, world, world.service)
    assert first.status_code == 302
    (one,) = _referrals()
    person = one.person
    # The form offers the code by the person's id; the URL carries the id, never the code.
    html, second = _post_new(client, world, third_service, person.id, personne=person.id)
    assert f'<option selected value="{person.id}">' in html and person.code in html
    assert second.status_code == 302 and person.code not in second.headers["Location"]
    _, third = _post_new(client, world, world.service, person.id)
    assert third.status_code == 302
    referrals = _referrals()
    assert len(referrals) == 3 and {r.person_id for r in referrals} == {person.id}
    assert db.session.scalar(select(func.count(Person.id))) == 1
    # Each keeps its own consent.
    for referral in referrals:
        assert referral.consent_confirmed_at is None

    page = client.get(f"/references/personnes/{person.id}")
    assert page.status_code == 200
    assert person.code in page.text
    for referral in referrals:
        assert f'href="/references/{referral.id}"' in page.text
    assert "Consultation juridique" in page.text and "Soins dentaires solidaires" in page.text
    for link in re.findall(r'href="([^"]+)"', page.text):
        assert person.code not in link
    # Every referral shown is audited as viewed.
    viewed = db.session.scalar(
        select(func.count(AuditEvent.id)).where(AuditEvent.action == "referral.view")
    )
    assert viewed >= 3
    # The list links each referral to the person's page.
    assert f'href="/references/personnes/{person.id}"' in client.get("/references/").text


def test_a_code_of_someone_else_is_refused_and_answers_404(world, client):
    theirs = draft(world)  # Alice's
    db.session.commit()
    login(client, world.berthe)
    assert client.get(f"/references/personnes/{theirs.person_id}").status_code == 404
    assert client.get(f"/references/personnes/{theirs.person_id}/fiche").status_code == 404
    html, response = _post_new(client, world, world.service, theirs.person_id)
    assert response.status_code == 200  # not a choice offered: the form shows itself again
    assert theirs.code not in html and len(_referrals()) == 1
    with_error = response.text
    assert 'name="person_id"' in with_error


def test_colleagues_use_the_code_only_when_the_organisation_shares(world):
    first = draft(world)
    assert not services.may_refer_under(world.claire, first.person)
    try:
        services.create_draft(world.claire, world.other_service, person=first.person, now=NOW)
    except ReferralError:
        pass
    else:  # pragma: no cover - the assertion below reports it
        raise AssertionError("a colleague used a code without sharing")
    world.referrer.share_referrals = True
    second = services.create_draft(
        world.claire, world.other_service, person=first.person, now=NOW, needs=[]
    )
    assert second.person_id == first.person_id and second.referring_user_id == world.claire.id
    assert not services.may_refer_under(world.berthe, first.person)


def test_a_reroute_keeps_the_code(world):
    referral = sent(world)
    services.mark_received(referral, world.paul, NOW)
    services.decline(referral, world.paul, NOW, reason="Complet", declined_by="provider")
    new = services.reroute(referral, world.alice, NOW, service=world.other_service)
    assert new.person_id == referral.person_id and new.code == referral.code


def test_the_code_is_erased_once_every_referral_under_it_is_purged(world):
    closed = referral_in(world, S.COMPLETED, NOW - timedelta(days=40))
    still_open = services.create_draft(
        world.alice, world.other_service, person=closed.person, now=NOW, needs=[]
    )
    services.confirm_consent(still_open, world.alice, NOW)
    services.send(still_open, world.alice, NOW)
    code, person_id = closed.code, closed.person_id
    db.session.commit()

    counts = purge(NOW)
    db.session.commit()
    assert counts.closed == 1 and counts.codes_erased == 0
    db.session.expire_all()
    assert db.session.get(Person, person_id).code == code  # one referral is still open

    services.withdraw(still_open, world.alice, NOW)
    db.session.commit()
    counts = purge(NOW + timedelta(days=31))
    db.session.commit()
    db.session.expire_all()
    person = db.session.get(Person, person_id)
    assert counts.codes_erased == 1 and person.code is None and person.purged_at is not None
    # Only counts remain: both referrals still belong to one person, without any code or text.
    rows = db.session.scalars(select(Referral).where(Referral.person_id == person_id)).all()
    assert len(rows) == 2 and all(r.code is None and r.briefing is None for r in rows)
    events = db.session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.object_type == "person", AuditEvent.object_id == person_id)
        .order_by(AuditEvent.id)
    ).all()
    assert events[-1] == "person.purge"
    assert code not in " ".join(str(e) for e in events)


def test_an_erased_code_answers_404_like_an_unknown_one(world, client):
    closed = referral_in(world, S.COMPLETED, NOW - timedelta(days=40))
    person_id = closed.person_id
    db.session.commit()
    purge(NOW)
    db.session.commit()
    login(client, world.alice)
    erased = client.get(f"/references/personnes/{person_id}")
    unknown = client.get("/references/personnes/999999")
    assert erased.status_code == unknown.status_code == 404
    # The pages differ only by the id asked for (and the CSRF token's time stamp, which changes
    # when the two requests fall either side of a second).
    assert without_csrf_tokens(erased.text).replace(f"/{person_id}", "/N") == without_csrf_tokens(
        unknown.text
    ).replace("/999999", "/N")
    # The referral itself still opens, without a code.
    page = client.get(f"/references/{closed.id}")
    assert page.status_code == 200 and BRIEFING not in page.text


def test_a_person_left_without_referrals_is_deleted(world):
    old = draft(world, NOW - timedelta(days=40))
    person_id = old.person_id
    db.session.commit()
    purge(NOW)
    db.session.commit()
    assert db.session.get(Person, person_id) is None
