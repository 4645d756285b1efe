"""Fixtures for the referral tests: two referring organisations, two providers, an administrator.

Everyone is fictional. Time is injected: NOW is a Tuesday afternoon in Montréal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from cote_a_cote.accounts.models import User
from cote_a_cote.catalogue.models import (
    Organization,
    OrganizationKind,
    Service,
    TaxonomyTerm,
)
from cote_a_cote.extensions import db
from cote_a_cote.referrals import services
from cote_a_cote.referrals.models import ContactMode, Referral, ReferralStatus
from cote_a_cote.roles import Role
from tests.conftest import new_org, new_service, new_user, snapshot_fixture

NOW = datetime(2025, 5, 6, 18, 0, tzinfo=UTC)  # Tuesday 14:00 in Montréal

# Words that must never leave the referral: the tests look for them in audit rows and e-mails.
NEEDS_TEXT = "Besoin urgent de soins dentaires sans questions"
BRIEFING = "Elle a quitté un réseau le mois dernier et craint les salles d'attente"
CHANNEL = "Texto au cellulaire de sa soeur"
SAFE_TIMES = "En semaine entre 10 h et midi"


@dataclass
class World:
    referrer: Organization
    other_referrer: Organization
    provider: Organization
    other_provider: Organization
    alice: User  # the intervenante who refers
    claire: User  # her colleague
    berthe: User  # an intervenante of another organisation
    paul: User  # staff of the provider
    quentin: User  # staff of another provider
    admin: User
    service: Service
    other_service: Service
    needs: list[TaxonomyTerm]


@snapshot_fixture
def referral_world() -> dict:
    """The world's ids (built once, restored for each test)."""
    referrer = new_org(name="Maison Fictive des Berges", kind=OrganizationKind.REFERRER)
    other_referrer = new_org(name="Refuge Imaginaire du Nord", kind=OrganizationKind.REFERRER)
    provider = new_org(name="Clinique Dentaire Fictive Soleil")
    other_provider = new_org(name="Cabinet Juridique Fictif Boréal")
    needs = db.session.scalars(
        select(TaxonomyTerm.id).where(
            TaxonomyTerm.code.in_(["need.safety_shelter", "need.housing"])
        )
    ).all()
    assert len(needs) == 2
    return {
        "referrer": referrer.id,
        "other_referrer": other_referrer.id,
        "provider": provider.id,
        "other_provider": other_provider.id,
        "alice": new_user(Role.INTERVENANTE, referrer, name="Alice Intervenante").id,
        "claire": new_user(Role.INTERVENANTE, referrer, name="Claire Collègue").id,
        "berthe": new_user(Role.INTERVENANTE, other_referrer, name="Berthe Ailleurs").id,
        "paul": new_user(Role.PROVIDER, provider, name="Paul Pourvoyeur").id,
        "quentin": new_user(Role.PROVIDER, other_provider, name="Quentin Autre").id,
        "admin": new_user(Role.ADMIN, name="Aline Coordination").id,
        "service": new_service(provider, name_fr="Soins dentaires solidaires").id,
        "other_service": new_service(other_provider, name_fr="Consultation juridique").id,
        "needs": list(needs),
    }


@pytest.fixture
def world(referral_world) -> World:
    ids = referral_world
    organizations = {
        name: db.session.get(Organization, ids[name])
        for name in ("referrer", "other_referrer", "provider", "other_provider")
    }
    users = {
        name: db.session.get(User, ids[name])
        for name in ("alice", "claire", "berthe", "paul", "quentin", "admin")
    }
    return World(
        **organizations,
        **users,
        service=db.session.get(Service, ids["service"]),
        other_service=db.session.get(Service, ids["other_service"]),
        needs=[db.session.get(TaxonomyTerm, id_) for id_ in ids["needs"]],
    )


def draft(world: World, now: datetime = NOW, **content) -> Referral:
    """A draft from Alice to the dental service, with every free-text field filled."""
    values = {
        "needs": [t.id for t in world.needs],
        "person_needs_text": NEEDS_TEXT,
        "preferred_language": "es",
        "fast_track": True,
        "accompanied": True,
        "contact_mode": ContactMode.DIRECT,
        "contact_channel": CHANNEL,
        "contact_safe_times": SAFE_TIMES,
        "briefing": BRIEFING,
    }
    values.update(content)
    return services.create_draft(world.alice, world.service, now=now, **values)


def sent(world: World, now: datetime = NOW, **content) -> Referral:
    referral = draft(world, now, **content)
    services.confirm_consent(
        referral,
        world.alice,
        now,
        share_contact=True,
        share_briefing=True,
        purpose="Soins dentaires",
    )
    services.send(referral, world.alice, now)
    return referral


def referral_in(world: World, status: ReferralStatus, now: datetime = NOW) -> Referral:
    """A referral of Alice's to the dental service, put straight into status (no audit)."""
    S = ReferralStatus
    referral = Referral(
        code=services.new_code(),
        service_id=world.service.id,
        provider_organization_id=world.provider.id,
        referring_user_id=world.alice.id,
        referring_organization_id=world.referrer.id,
        status=status,
        status_changed_at=now,
        preferred_language="fr",
        briefing=BRIEFING,
        person_needs_text=NEEDS_TEXT,
        consent_share_briefing=True,
        consent_valid_until=(now + timedelta(days=90)).date(),
        consent_confirmed_at=now,
        created_at=now,
    )
    if status is not S.DRAFT:
        referral.sent_at = now
    if status in (S.DECLINED, S.COMPLETED, S.NOT_COMPLETED, S.WITHDRAWN):
        referral.closed_at = now
    db.session.add(referral)
    db.session.flush()
    return referral
