"""The intervenante's referral pages: refer, consent and send, follow, close, evaluate, print."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import func, select

from cote_a_cote.audit.models import AuditEvent
from cote_a_cote.catalogue.models import Location, ServiceAtLocation
from cote_a_cote.extensions import db
from cote_a_cote.referrals import services
from cote_a_cote.referrals.models import Referral, ReferralEvaluation, ReferralStatus
from tests.conftest import login, shown

from .conftest import BRIEFING, NEEDS_TEXT, NOW, referral_in

S = ReferralStatus


def _key(html: str) -> str:
    return re.search(r'name="idempotency_key"[^>]*value="([^"]+)"', html).group(1)


def _form(world, key: str, **extra) -> dict:
    data = {
        "needs": [str(world.needs[0].id)],
        "person_needs_text": NEEDS_TEXT,
        "preferred_language": "es",
        "contact_mode": "through_intervenante",
        "briefing": BRIEFING,
        "idempotency_key": key,
    }
    data.update(extra)
    return data


def _events(referral_id: int, action: str | None = None) -> int:
    query = select(func.count(AuditEvent.id)).where(
        AuditEvent.object_type == "referral", AuditEvent.object_id == referral_id
    )
    if action:
        query = query.where(AuditEvent.action == action)
    return db.session.scalar(query)


def _referrals() -> list[Referral]:
    db.session.expire_all()
    return list(db.session.scalars(select(Referral).order_by(Referral.id)))


def test_refer_shows_the_code_then_consent_sends_it(world, client):
    login(client, world.alice)
    page = client.get(f"/references/nouvelle?service={world.service.id}")
    assert page.status_code == 200
    html = page.text
    form = html[html.index('class="referral-form"') :]
    fields = set(re.findall(r'name="([^"]+)"', form[: form.index("</form>")]))
    # Only what the provider needs: nothing that invites a name, birth date or address.
    assert fields == {
        "needs",
        "person_needs_text",
        "preferred_language",
        "fast_track",
        "accompanied",
        "age_band",  # optional and broad, for the annual report's counts only (issue 17 §4)
        "gender",
        "contact_mode",
        "contact_channel",
        "contact_safe_times",
        "briefing",
        "idempotency_key",
        "person_id",  # which person: a new code or one already given (by id, never the code)
    }
    response = client.post(
        f"/references/nouvelle?service={world.service.id}", data=_form(world, _key(html))
    )
    assert response.status_code == 302
    (referral,) = _referrals()
    assert referral.status is S.DRAFT
    assert response.headers["Location"].endswith(f"/references/{referral.id}/consentement")
    consent = client.get(response.headers["Location"]).text
    assert referral.code in consent
    assert "Clinique Dentaire Fictive Soleil" in consent
    assert "Soins dentaires solidaires" in consent

    until = date.today() + timedelta(days=400)  # within the three years a consent may last
    sent = client.post(
        f"/references/{referral.id}/consentement",
        data={"valid_until": until.isoformat(), "share_briefing": "y", "agreed": "y"},
    )
    assert sent.status_code == 302
    (referral,) = _referrals()
    assert referral.status is S.SENT
    assert referral.consent_share_briefing and not referral.consent_share_contact
    assert referral.consent_valid_until == until
    assert referral.needs == [world.needs[0]] and referral.preferred_language == "es"


def test_without_consent_it_stays_a_draft(world, client):
    referral = services.create_draft(world.alice, world.service, needs=[world.needs[0].id])
    db.session.commit()
    login(client, world.alice)
    page = client.get(f"/references/{referral.id}/consentement")
    assert "stays a draft" in page.text or "reste" in page.text
    response = client.post(f"/references/{referral.id}/consentement", data={"purpose": "Dents"})
    assert response.status_code == 200
    assert 'value="Dents"' in response.text  # the value is kept
    assert 'id="agreed-error"' in response.text
    assert _referrals()[0].status is S.DRAFT


def test_double_submission_creates_one_referral(world, client):
    login(client, world.alice)
    url = f"/references/nouvelle?service={world.service.id}"
    data = _form(world, _key(client.get(url).text))
    first = client.post(url, data=data)
    second = client.post(url, data=data)
    assert first.headers["Location"] == second.headers["Location"]
    assert len(_referrals()) == 1


def test_form_errors_keep_the_values(world, client):
    login(client, world.alice)
    url = f"/references/nouvelle?service={world.service.id}"
    key = _key(client.get(url).text)
    response = client.post(
        url, data=_form(world, key, contact_mode="direct", contact_safe_times="Le matin")
    )
    assert response.status_code == 200
    assert 'id="contact_channel-error"' in response.text
    assert 'value="Le matin"' in response.text and NEEDS_TEXT in response.text
    assert _key(response.text) == key
    assert _referrals() == []


def test_another_intervenantes_referral_is_404_unless_her_organisation_shares(world, client):
    referral = referral_in(world, S.SENT)
    db.session.commit()
    login(client, world.berthe)
    for path in ("", "/fiche", "/consentement"):
        assert client.get(f"/references/{referral.id}{path}").status_code == 404
    assert client.post(f"/references/{referral.id}/retirer").status_code == 404

    client.post("/deconnexion")
    login(client, world.claire)
    assert client.get(f"/references/{referral.id}").status_code == 404
    world.referrer.share_referrals = True
    db.session.commit()
    page = client.get(f"/references/{referral.id}")
    assert page.status_code == 200 and referral.code in page.text
    assert f"/references/{referral.id}/retirer" not in page.text  # she sees, she does not act
    assert referral.code in client.get("/references/").text


def test_withdraw_is_one_audit_event_and_each_view_one(world, client):
    referral = referral_in(world, S.SENT)
    db.session.commit()
    login(client, world.alice)
    assert _events(referral.id) == 0
    page = client.get(f"/references/{referral.id}")
    assert _events(referral.id, "referral.view") == 1
    assert f"/references/{referral.id}/retirer" in page.text
    response = client.post(f"/references/{referral.id}/retirer", data={"confirmed": "1"})
    assert response.status_code == 302
    assert _referrals()[0].status is S.WITHDRAWN
    assert _events(referral.id, "referral.withdraw") == 1
    assert _events(referral.id) == 2
    # Once more: refused with a message, nothing written, no 500.
    again = client.post(f"/references/{referral.id}/retirer", follow_redirects=True)
    assert again.status_code == 200
    assert _events(referral.id, "referral.withdraw") == 1


def test_reroute_a_declined_referral(world, client):
    referral = referral_in(world, S.DECLINED)
    db.session.commit()
    login(client, world.alice)
    page = client.get(f"/references/{referral.id}?q=juridique")
    assert "Consultation juridique" in page.text
    response = client.post(
        f"/references/{referral.id}/rediriger", data={"reroute-service_id": world.other_service.id}
    )
    assert response.status_code == 302
    old, new = _referrals()
    assert new.rerouted_from_id == old.id and new.service_id == world.other_service.id
    assert new.status is S.DRAFT and old.status is S.DECLINED
    assert response.headers["Location"].endswith(f"/references/{new.id}/consentement")
    assert _events(old.id, "referral.reroute") == 1


def test_the_drafts_a_referral_was_rerouted_to_are_listed_in_the_order_they_were_made(
    world, client
):
    referral = referral_in(world, S.DECLINED)
    first = services.reroute(referral, world.alice, NOW, service=world.other_service)
    second = services.reroute(referral, world.alice, NOW, service=world.other_service)
    # Sending the first changes indexed columns: PostgreSQL writes its row anew, after the second's
    # (in the table and in the index), so without an ORDER BY it would be listed second.
    services.confirm_consent(first, world.alice, NOW)
    services.send(first, world.alice, NOW)
    db.session.commit()
    login(client, world.alice)
    page = client.get(f"/references/{referral.id}").text
    links = [f'href="/references/{draft.id}"' for draft in (first, second)]
    assert all(link in page for link in links)
    assert page.index(links[0]) < page.index(links[1])


def test_reroute_refuses_an_unknown_service(world, client):
    referral = referral_in(world, S.DECLINED)
    db.session.commit()
    login(client, world.alice)
    response = client.post(
        f"/references/{referral.id}/rediriger",
        data={"reroute-service_id": 999999},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert len(_referrals()) == 1


def test_complete_then_evaluate(world, client):
    referral = referral_in(world, S.IN_PROGRESS)
    db.session.commit()
    login(client, world.alice)
    assert client.post(f"/references/{referral.id}/terminer").status_code == 302
    assert _referrals()[0].status is S.COMPLETED
    page = client.get(f"/references/{referral.id}")
    assert f"/references/{referral.id}/evaluer" in page.text
    incomplete = client.post(f"/references/{referral.id}/evaluer", data={"evaluate-respect": "5"})
    assert incomplete.status_code == 200
    response = client.post(
        f"/references/{referral.id}/evaluer",
        data={
            "evaluate-respect": "5",
            "evaluate-no_judgement": "4",
            "evaluate-confidentiality": "5",
            "evaluate-would_refer_again": "yes",
        },
    )
    assert response.status_code == 302
    evaluation = db.session.scalar(select(ReferralEvaluation))
    assert (evaluation.respect, evaluation.no_judgement, evaluation.would_refer_again) == (
        5,
        4,
        True,
    )
    assert _events(referral.id, "referral.complete") == 1
    assert _events(referral.id, "referral.evaluate") == 1
    assert f"/references/{referral.id}/evaluer" not in client.get(f"/references/{referral.id}").text


def test_not_complete_needs_an_outcome(world, client):
    referral = referral_in(world, S.ACCEPTED)
    db.session.commit()
    login(client, world.alice)
    response = client.post(f"/references/{referral.id}/non-terminee", data={})
    assert response.status_code == 200 and _referrals()[0].status is S.ACCEPTED
    client.post(f"/references/{referral.id}/non-terminee", data={"not-complete-outcome": "no_show"})
    assert _referrals()[0].status is S.NOT_COMPLETED


def test_withdraw_consent_erases_the_text(world, client):
    referral = referral_in(world, S.RECEIVED)
    db.session.commit()
    login(client, world.alice)
    client.post(f"/references/{referral.id}/retirer-consentement", data={"confirmed": "1"})
    (referral,) = _referrals()
    assert referral.status is S.WITHDRAWN and referral.briefing is None
    assert _events(referral.id, "referral.withdraw_consent") == 1


def test_handout_names_no_platform_and_reveals_the_shelter_only_once_accepted(world, client):
    place = Location(
        organization_id=world.provider.id,
        name="Maison cachée",
        address_1="123 rue Secrète",
        municipality="Laval",
        is_confidential=True,
    )
    db.session.add(place)
    db.session.flush()
    db.session.add(ServiceAtLocation(service_id=world.service.id, location_id=place.id))
    referral = referral_in(world, S.SENT)
    db.session.commit()
    login(client, world.alice)
    page = client.get(f"/references/{referral.id}/fiche")
    assert page.status_code == 200
    assert "Côte" not in page.text and "cote-a-cote" not in page.text.lower()
    # Only the quick exit (screen only, never printed) and its script; no other script.
    assert 'id="quick-exit"' in page.text
    assert page.text.count("<script") == 1 and "/static/js/quick-exit.js" in page.text
    assert "Content-Security-Policy" in page.headers
    assert "Laval" in page.text and "123 rue Secrète" not in page.text
    assert "Soins dentaires solidaires" in page.text and referral.code in page.text
    assert _events(referral.id, "referral.view") == 1

    referral.status = S.ACCEPTED
    db.session.commit()
    assert "123 rue Secrète" in client.get(f"/references/{referral.id}/fiche").text


def test_list_puts_answers_first_and_home_links_to_it(world, client):
    waiting = referral_in(world, S.SENT)
    accepted = referral_in(world, S.ACCEPTED)
    db.session.commit()
    login(client, world.alice)
    html = client.get("/references/").text
    assert html.index(accepted.code) < html.index(waiting.code)
    home = client.get("/").text
    assert 'href="/references/"' in home


def test_service_page_and_results_offer_to_refer_to_intervenantes_only(world, client):
    url = f"/references/nouvelle?service={world.service.id}"
    assert url not in client.get(f"/services/{world.service.id}").text
    login(client, world.alice)
    assert url in client.get(f"/services/{world.service.id}").text
    client.post("/deconnexion")
    login(client, world.paul)
    assert url not in client.get(f"/services/{world.service.id}").text


def test_the_optional_age_group_and_gender_are_saved_and_empty_means_not_asked(world, client):
    login(client, world.alice)
    page = client.get(f"/references/nouvelle?service={world.service.id}").text
    assert 'value="prefer_not"' in page and 'value="non_binary"' in page
    data = _form(world, _key(page), age_band="18_24", gender="prefer_not")
    response = client.post(f"/references/nouvelle?service={world.service.id}", data=data)
    assert response.status_code == 302
    (referral,) = _referrals()
    assert (referral.age_band, referral.gender) == ("18_24", "prefer_not")
    page = client.get(f"/references/nouvelle?service={world.service.id}").text
    client.post(f"/references/nouvelle?service={world.service.id}", data=_form(world, _key(page)))
    assert [(r.age_band, r.gender) for r in _referrals()][1] == (None, None)
    # A value outside the list is refused with the form kept, nothing saved.
    page = client.get(f"/references/nouvelle?service={world.service.id}").text
    bad = _form(world, _key(page), gender="unknown")
    response = client.post(f"/references/nouvelle?service={world.service.id}", data=bad)
    assert response.status_code in (200, 400)
    assert NEEDS_TEXT.replace("'", "&#39;") in response.text or NEEDS_TEXT in response.text
    assert len(_referrals()) == 2


def test_a_send_the_rules_refuse_keeps_the_draft_and_its_consent_unrecorded(app, world, client):
    """The provider was suspended while the consent page was open: sending is refused, the
    refusal is shown on the consent page, and nothing of the consent is kept."""
    from cote_a_cote.catalogue.models import OrganizationStatus

    referral = services.create_draft(world.alice, world.service, needs=[world.needs[0].id])
    world.provider.status = OrganizationStatus.SUSPENDED
    db.session.commit()
    login(client, world.alice)
    until = date.today() + timedelta(days=30)
    response = client.post(
        f"/references/{referral.id}/consentement",
        data={"valid_until": until.isoformat(), "share_briefing": "y", "agreed": "y"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/references/{referral.id}/consentement")
    page = client.get(response.headers["Location"]).text
    assert shown(app, "This service does not receive referrals through the platform now.") in page
    db.session.expire_all()
    (kept,) = _referrals()
    assert kept.status is S.DRAFT
    assert kept.consent_confirmed_at is None and kept.consent_valid_until is None
