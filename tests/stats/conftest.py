"""A hand-built world for the dashboard: five providers, their services, eight referrals.

Everyone is fictional. Time is frozen at NOW (Sunday 15 March 2026, noon in Montréal, daylight
time); the default period is April 2025 – March 2026. Every figure the tests expect is worked
out by hand in the comments below.

Providers (Montréal = 06, Laval = 13):
  alpha    approved, trained,   psychotherapy; S1 06+13 psychotherapy+housing (accepting),
                                               S1b 06 housing (accepting)          → counted
  beta     approved, trained,   hotels;        S2 06 housing (waiting list)        → counted
  gamma    approved, trained,   no sector;     S3 06 housing (paused)              → lead (paused)
  delta    approved, not trained, lawyers;    S4 06 housing+legal (accepting) → lead (not trained)
  epsilon  submitted, trained;                 S5 06 housing+legal (accepting)     → not listed

Referrals (UTC → Montréal):
  r1 → S1  sent 2026-01-10 15:00 (Jan 10)  answered +12 h  accepted          housing
  r2 → S1  sent 2026-02-01 04:30 (Jan 31 23:30 EST) answered +30 h  declined by provider
                                                                  housing, psychotherapy
  r3 → S2  re-route of r2, sent 2026-02-02 12:00 (Feb 2) answered +6 h completed  housing
  r4 → S2  sent 2026-02-01 05:30 (Feb 1 00:30 EST) not answered  sent     housing
  r5 → S1  draft (never sent)                                             housing
  r6 → S1  sent 2025-04-01 03:30 (Mar 31 2025 23:30 EDT, before the period) accepted  housing
  r7 → S4  sent 2026-03-01 12:00 (Mar 1)   not answered  received         legal
  r8 → S1  sent 2026-03-05 14:00 (Mar 5)   not answered  withdrawn        psychotherapy
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from cote_a_cote.accounts.models import User
from cote_a_cote.catalogue.models import (
    CapacityStatus,
    Organization,
    OrganizationStatus,
    TaxonomyTerm,
)
from cote_a_cote.extensions import db
from cote_a_cote.referrals.models import DeclinedBy, Referral, ReferralStatus
from cote_a_cote.referrals.services import new_code
from cote_a_cote.roles import Role
from cote_a_cote.training.models import RecordStatus, TrainingModule, TrainingRecord
from tests.conftest import new_org, new_service, new_user, snapshot_fixture

NOW = datetime(2026, 3, 15, 16, 0, tzinfo=UTC)  # noon in Montréal (EDT since 8 March)
S = ReferralStatus
HOUSING, PSY, LEGAL = "need.housing", "need.mental_health.psychotherapy", "need.legal.lawyer"


@dataclass
class Referrals:
    r1: Referral
    r2: Referral
    r3: Referral
    r4: Referral
    r5: Referral
    r6: Referral
    r7: Referral
    r8: Referral


@dataclass
class World:
    alpha: Organization
    beta: Organization
    gamma: Organization
    delta: Organization
    epsilon: Organization
    admin: User
    referrals: Referrals


def term(code: str) -> TaxonomyTerm:
    return db.session.scalar(select(TaxonomyTerm).where(TaxonomyTerm.code == code))


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@snapshot_fixture
def stats_world() -> dict:
    """The world above, built once per test process; the ids of what the tests name."""
    recent, old = NOW - timedelta(days=10), NOW - timedelta(days=200)
    alpha = new_org(
        "Clinique Fictive Alpha",
        is_trained=True,
        sector=term("sector.psychotherapy"),
        last_verified_at=recent,
    )
    beta = new_org("Refuge Fictif Beta", is_trained=True, sector=term("sector.hotels"))
    gamma = new_org("Logis Fictif Gamma", is_trained=True, last_verified_at=old)
    delta = new_org(
        "Cabinet Fictif Delta",
        is_trained=False,
        sector=term("sector.lawyers"),
        last_verified_at=recent,
    )
    epsilon = new_org(
        "Candidat Fictif Epsilon", status=OrganizationStatus.SUBMITTED, is_trained=True
    )
    s1 = new_service(alpha, "Thérapie fictive", terms=(PSY, HOUSING), regions=("06", "13"))
    new_service(alpha, "Hébergement fictif", terms=(HOUSING,), regions=("06",))
    s2 = new_service(beta, "Chambres fictives", terms=(HOUSING,), capacity=CapacityStatus.WAITLIST)
    new_service(gamma, "Logis en pause", terms=(HOUSING,), capacity=CapacityStatus.PAUSED)
    s4 = new_service(delta, "Conseil juridique fictif", terms=(HOUSING, LEGAL))
    new_service(epsilon, "Service en attente", terms=(HOUSING, LEGAL))

    intervenante = new_user(Role.INTERVENANTE, name="Alice Intervenante")
    _training_records(new_user(Role.PROVIDER, alpha, name="Paul Pourvoyeur"))
    referrals = _referrals(intervenante, s1, s2, s4)
    db.session.commit()
    orgs = {"alpha": alpha, "beta": beta, "gamma": gamma, "delta": delta, "epsilon": epsilon}
    return {
        **{name: org.id for name, org in orgs.items()},
        "admin": new_user(Role.ADMIN, name="Aline Coordination").id,
        "referrals": [r.id for r in referrals],
    }


@pytest.fixture
def world(stats_world) -> World:
    def org(name: str) -> Organization:
        return db.session.get(Organization, stats_world[name])

    return World(
        alpha=org("alpha"),
        beta=org("beta"),
        gamma=org("gamma"),
        delta=org("delta"),
        epsilon=org("epsilon"),
        admin=db.session.get(User, stats_world["admin"]),
        referrals=Referrals(*(db.session.get(Referral, i) for i in stats_world["referrals"])),
    )


def _referrals(intervenante: User, s1, s2, s4) -> list[Referral]:
    """r1 … r8 of the table above, flushed."""

    def referral(service, sent, status, needs, answered_after=None, person=None, **fields):
        sent_at = datetime(*sent, tzinfo=UTC) if sent else None
        made = Referral(
            **({"person": person} if person else {"code": new_code()}),
            service_id=service.id,
            provider_organization_id=service.organization_id,
            referring_user_id=intervenante.id,
            referring_organization_id=intervenante.organization_id,
            status=status,
            status_changed_at=sent_at or NOW,
            created_at=(sent_at or NOW) - timedelta(hours=1),
            sent_at=sent_at,
            first_response_at=(
                sent_at + timedelta(hours=answered_after) if answered_after else None
            ),
            **fields,
        )
        made.needs = [term(code) for code in needs]
        db.session.add(made)
        db.session.flush()
        return made

    r1 = referral(s1, (2026, 1, 10, 15), S.ACCEPTED, [HOUSING], 12)
    r2 = referral(
        s1, (2026, 2, 1, 4, 30), S.DECLINED, [HOUSING, PSY], 30, declined_by=DeclinedBy.PROVIDER
    )
    # r3 re-routes r2: the same person, under the same code.
    r3 = referral(
        s2, (2026, 2, 2, 12), S.COMPLETED, [HOUSING], 6, rerouted_from_id=r2.id, person=r2.person
    )
    r4 = referral(s2, (2026, 2, 1, 5, 30), S.SENT, [HOUSING])
    r5 = referral(s1, None, S.DRAFT, [HOUSING])
    r6 = referral(s1, (2025, 4, 1, 3, 30), S.ACCEPTED, [HOUSING], 2)
    # r7: the person of r1, referred to a lawyer as well (a second referral under one code).
    r7 = referral(s4, (2026, 3, 1, 12), S.RECEIVED, [LEGAL], person=r1.person)
    r8 = referral(s1, (2026, 3, 5, 14), S.WITHDRAWN, [PSY])
    return [r1, r2, r3, r4, r5, r6, r7, r8]


def _training_records(staff: User) -> None:
    """One confirmed record expiring in 30 days (counted), one in 90 days (not)."""
    today = date(2026, 3, 15)
    for days in (30, 90):
        module = TrainingModule(
            code=f"fictive-module-{days}", name_fr="Module fictif", name_en="Fictional module"
        )
        db.session.add(module)
        db.session.flush()
        db.session.add(
            TrainingRecord(
                user_id=staff.id,
                module_id=module.id,
                completed_on=today - timedelta(days=300),
                expires_on=today + timedelta(days=days),
                status=RecordStatus.CONFIRMED,
            )
        )
    db.session.flush()
