"""The person's handout, safe by construction (issue 12 §3)."""

from __future__ import annotations

import html as htmlmod
import re
from datetime import timedelta

from flask import render_template
from flask_babel import force_locale
from sqlalchemy import func, select

from cote_a_cote.accounts.models import User
from cote_a_cote.audit.models import AuditEvent
from cote_a_cote.catalogue.models import (
    Organization,
    OrganizationKind,
    OrganizationStatus,
    Service,
)
from cote_a_cote.config import update_settings
from cote_a_cote.extensions import db
from cote_a_cote.notifications.models import Notification
from cote_a_cote.printsafe import found_words, scrub
from cote_a_cote.referrals import handout as sheet
from cote_a_cote.referrals import services
from cote_a_cote.referrals.models import Person, Referral, ReferralStatus
from cote_a_cote.roles import Role
from tests.conftest import login, shown
from tests.portal.test_editing import service_data

from .conftest import NOW, referral_in

S = ReferralStatus


def visible_text(page: str) -> str:
    """What a reader sees: the body without tags, attributes or scripts."""
    body = page[page.index("<body") :]
    body = re.sub(r"<script.*?</script>", " ", body, flags=re.S)
    return htmlmod.unescape(re.sub(r"<[^>]+>", " ", body))


def test_words_match_without_case_accents_or_punctuation(app):
    assert found_words("Formations COTE-A-COTE complétées")
    assert found_words("aide aux personnes victimes de la Traite")
    assert found_words("Human trafficking and trafficked people")
    assert found_words("proxénètes") and found_words("PROSTITUTION")
    assert found_words("Traitement dentaire et maltraitance") == []  # whole words only
    text, hits = scrub("Soins offerts aux partenaires Côte-à-Côte, sans frais.")
    assert text == "Soins offerts aux partenaires, sans frais." and hits


def test_the_list_is_a_setting(app):
    update_settings(app, {"HANDOUT_FORBIDDEN_WORDS": ("bleuet",)})
    assert found_words("Un BLEUET") == ["bleuet"] and found_words("traite") == []


def _three_under_one_code(world):
    first = referral_in(world, S.ACCEPTED)
    first.preferred_language = "en"
    world.service.person_text_fr = "Apportez votre carte d'assurance maladie."
    world.service.person_text_en = "Bring your health card."
    world.service.description_fr = "Description interne pour les intervenantes seulement."
    world.other_service.name_en = "Legal consultation"
    second = services.create_draft(
        world.alice,
        world.other_service,
        person=first.person,
        now=NOW,
        needs=[],
        preferred_language="en",
    )
    closed = referral_in(world, S.COMPLETED)
    closed.person = first.person
    db.session.commit()
    return first, second, closed


def test_handout_lists_every_current_referral_in_the_persons_language(world, client):
    first, second, closed = _three_under_one_code(world)
    login(client, world.alice)
    page = client.get(f"/references/{first.id}/fiche")
    assert page.status_code == 200
    assert '<html lang="en">' in page.text and 'lang="fr"' not in page.text
    text = visible_text(page.text)
    assert f"Your reference number: {first.code}" in text
    assert "Legal consultation" in text and "Soins dentaires solidaires" in text
    assert "Bring your health card." in text
    assert "Description interne" not in text  # never the description
    assert text.count("How to get there") == 2  # the closed referral is not current
    assert found_words(text) == []
    # Each referral printed is audited as viewed.
    for referral in (first, second):
        assert db.session.scalar(
            select(func.count(AuditEvent.id)).where(
                AuditEvent.object_type == "referral",
                AuditEvent.object_id == referral.id,
                AuditEvent.action == "referral.view",
            )
        )
    # The person's own page prints the same list.
    same = client.get(f"/references/personnes/{first.person_id}/fiche").text
    assert "Legal consultation" in same and "Soins dentaires solidaires" in same


def test_a_language_the_platform_does_not_speak_prints_french_then_english(world, client):
    referral = referral_in(world, S.SENT)
    referral.preferred_language = "es"
    world.service.person_text_fr = "Apportez cette feuille."
    world.service.person_text_en = "Bring this sheet."
    db.session.commit()
    login(client, world.alice)
    page = client.get(f"/references/{referral.id}/fiche").text
    french, english = page.index('lang="fr"', page.index("<main")), page.index('lang="en"')
    assert french < english
    assert page.index("Apportez cette feuille.") < page.index("Bring this sheet.")


def test_a_listed_word_is_left_out_when_printing_and_administrators_are_told(world, client):
    referral = referral_in(world, S.SENT)
    world.service.person_text_fr = "Service réservé aux partenaires Côte-à-Côte. Apportez ceci."
    world.provider.name = "Clinique Fictive pour victimes de la traite"
    db.session.commit()
    login(client, world.alice)
    page = client.get(f"/references/{referral.id}/fiche").text
    text = visible_text(page)
    assert found_words(text) == [] and "Apportez ceci." in text
    assert "Clinique Fictive pour victimes de la" in text
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "handout.forbidden_word")
    )
    assert (event.object_type, event.object_id) == ("service", world.service.id)
    notes = db.session.scalars(
        select(Notification).where(Notification.user_id == world.admin.id)
    ).all()
    assert [n.kind for n in notes] == ["handout_forbidden_word"]
    # Only which organisation's text to correct: nothing about the person or the referral.
    assert notes[0].params == {"organization": world.provider.name}


def test_providers_cannot_save_a_listed_word(app, client, reference, make_org, make_user):
    org = make_org(name="Clinique du Fleuve", status=OrganizationStatus.DRAFT)
    login(client, make_user(role=Role.PROVIDER, organization=org, name="Nadia Fictive"))
    data = service_data(
        person_text_fr="Pour les personnes sorties de la prostitution.",
        person_text_en="Bring your card.",
    )
    response = client.post("/portail/services/nouveau", data=data)
    assert response.status_code == 200
    assert db.session.scalar(select(func.count(Service.id))) == 0
    error = shown(
        app,
        "This text is printed for the person: remove “%(words)s”. It must name neither the "
        "platform nor trafficking, exploitation or the sex industry.",
        words="prostitu",
    )
    assert error in response.text
    assert "Pour les personnes sorties de la prostitution." in response.text  # kept as typed
    too_long = client.post("/portail/services/nouveau", data=service_data(person_text_fr="x" * 401))
    assert too_long.status_code == 200 and db.session.scalar(select(func.count(Service.id))) == 0
    saved = client.post(
        "/portail/services/nouveau",
        data=service_data(person_text_fr="Apportez votre carte.", person_text_en="Bring it."),
    )
    assert saved.status_code == 302
    service = db.session.scalar(select(Service))
    assert (service.person_text_fr, service.person_text_en) == (
        "Apportez votre carte.",
        "Bring it.",
    )


def test_the_handout_of_every_demo_service_holds_no_listed_word(app, demo_data):
    demo_services = list(
        db.session.scalars(
            select(Service)
            .join(Organization)
            .where(Organization.kind == OrganizationKind.PROVIDER, Organization.is_fictional)
            .order_by(Service.id)
        )
    )
    intervenante = db.session.scalar(
        select(User).where(User.role == Role.INTERVENANTE, User.email.like("intervenante@demo.%"))
    )
    assert len(demo_services) > 200 and intervenante is not None
    for service in demo_services:
        assert service.person_text_fr and service.person_text_en
        assert len(service.person_text_fr) <= 400 and len(service.person_text_en) <= 400
        assert found_words(service.person_text_fr) == found_words(service.person_text_en) == []
    with app.test_request_context():
        for service in demo_services:
            # Accepted: a confidential address is revealed, the most a handout ever prints.
            person = Person(
                code=services.new_code(),
                owner_id=intervenante.id,
                organization_id=intervenante.organization_id,
                created_at=NOW,
            )
            db.session.add(person)
            db.session.flush()
            referral = Referral(
                person_id=person.id,
                service_id=service.id,
                provider_organization_id=service.organization_id,
                referring_user_id=intervenante.id,
                referring_organization_id=intervenante.organization_id,
                status=S.ACCEPTED,
                preferred_language="es",
                sent_at=NOW - timedelta(days=1),
                created_at=NOW - timedelta(days=1),
                appointment_at=NOW + timedelta(days=2),
            )
            db.session.add(referral)
            db.session.flush()
            clean = sheet.scrubber()
            sheets = []
            for locale in sheet.languages_for(referral.preferred_language):
                with force_locale(locale):
                    labels = {"title": "—", "code": person.code, "closing": ""}
                    sheets.append(
                        (locale, sheet.entries([referral], intervenante, locale, clean), labels)
                    )
            page = render_template("referrals/handout.html", sheets=sheets, locale="fr", back="/")
            text = visible_text(page)
            assert found_words(text) == [], (service.external_id, found_words(text))
            assert service.name_fr in text or clean.hits
            for description in (service.description_fr, service.description_en):
                assert not description or description[:80] not in text


def test_the_person_pages_pass_the_accessibility_audit(world, client):
    from tests.test_accessibility import PageAudit

    first, second, closed = _three_under_one_code(world)
    first.preferred_language = "es"  # French then English: two sheets on one page
    db.session.commit()
    login(client, world.alice)
    for url in (
        f"/references/personnes/{first.person_id}",
        f"/references/personnes/{first.person_id}?q=juridique",
        f"/references/{first.id}/fiche",
        f"/references/nouvelle?service={world.service.id}&personne={first.person_id}",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        audit = PageAudit()
        audit.feed(response.text)
        assert audit.lang in ("fr", "en") and audit.unlabelled() == [], url
        assert audit.headings.count(1) == 1, (url, audit.headings)
        pairs = zip(audit.headings, audit.headings[1:], strict=False)
        assert [(a, b) for a, b in pairs if b > a + 1] == [], (url, audit.headings)
