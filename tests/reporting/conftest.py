"""A hand-built year of referrals for the annual report; everyone is fictional.

Reporting year 2025–2026 (April 1, 2025 00:00 to March 31, 2026 end of day, Montréal time).
Montréal is on daylight time (UTC-4) on both boundaries, so 23:30 local on March 31 is 03:30 UTC
on April 1: a report bucketing in UTC would put it in the wrong year.

In the year (6 activities, 5 people):
  r1  Alpha (regions 06 + 13, clinics), Apr 1 2025 00:30 local, housing: completed, answer in 2 h
  r2  Alpha, Mar 31 2026 23:30 local, housing + safety: declined by the provider, answer in 10 h
  r3  Boréal (region 03, lawyers), re-route of r2 (same code), Jan 10 2026, safety: accepted, 4 h
  r4  Boréal, Jun 2 2025, legal: not completed (no show), answer in 1 h
  r5  Cèdre (region 06, no sector), Aug 5 2025, no need: sent, no answer
  r6  Cèdre, Sep 9 2025, no need: withdrawn
Not in the year: a draft (never counts), Mar 31 2025 23:30 local (2024–2025) and
Apr 1 2026 00:30 local (2026–2027).
Partners approved at the end of the year: Alpha (trained), Boréal (new on April 1, 2025),
Doré (suspended only in May 2026); not Cèdre (partner since April 1, 2026), Étoile (approved in
April 2026) nor Fané (suspended in February 2026).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from cote_a_cote.catalogue.models import (
    Organization,
    OrganizationKind,
    OrganizationStatus,
    TaxonomyTerm,
)
from cote_a_cote.extensions import db
from cote_a_cote.referrals.models import DeclinedBy, Outcome, Referral, ReferralStatus
from cote_a_cote.roles import Role
from cote_a_cote.training.models import RecordStatus, TrainingModule, TrainingRecord
from cote_a_cote.vetting.models import EventAction, OrganizationEvent
from tests.conftest import shown

MONTREAL = ZoneInfo("America/Montreal")
NOW = datetime(2026, 5, 15, 16, 0, tzinfo=UTC)  # during 2026–2027; 2025–2026 is complete


def local(*args) -> datetime:
    return datetime(*args, tzinfo=MONTREAL).astimezone(UTC)


@dataclass
class Year:
    alpha: Organization
    boreal: Organization
    cedre: Organization
    referrals: dict[str, Referral]


def referral_adder(intervenante, made: dict[str, Referral], prefix: str):
    """add(name, service, sent, status, needs, response_hours, person=None, **fields): a referral
    by intervenante, flushed and kept in made under name; a new code unless person is given."""

    def add(name, service, sent, status, needs=(), response_hours=None, person=None, **fields):
        referral = Referral(
            **({"person": person} if person else {"code": f"{prefix}-{len(made):04d}"}),
            service_id=service.id,
            provider_organization_id=service.organization_id,
            referring_user_id=intervenante.id,
            referring_organization_id=intervenante.organization_id,
            status=status,
            sent_at=sent,
            created_at=sent or local(2025, 7, 1, 9),
            first_response_at=sent + timedelta(hours=response_hours) if response_hours else None,
            **fields,
        )
        referral.needs = list(needs)
        db.session.add(referral)
        db.session.flush()
        made[name] = referral
        return referral

    return add


def _term(code: str) -> TaxonomyTerm:
    return db.session.scalars(select(TaxonomyTerm).where(TaxonomyTerm.code == code)).one()


@pytest.fixture
def year(reference, make_org, make_user, make_service) -> Year:
    alpha = make_org(
        name="Clinique Fictive Alpha",
        sector_id=_term("sector.medical_clinics").id,
        partner_since=date(2020, 1, 1),
    )
    boreal = make_org(
        name="Cabinet Fictif Boréal",
        sector_id=_term("sector.lawyers").id,
        partner_since=date(2025, 4, 1),
    )
    cedre = make_org(name="Services Fictifs Cèdre", partner_since=date(2026, 4, 1))
    dore = make_org(
        name="Atelier Fictif Doré",
        status=OrganizationStatus.SUSPENDED,
        partner_since=date(2024, 5, 1),
    )
    etoile = make_org(name="Étoile Fictive", partner_since=date(2026, 4, 10))
    fane = make_org(
        name="Salon Fictif Fané",
        status=OrganizationStatus.SUSPENDED,
        partner_since=date(2023, 6, 1),
    )
    make_org(name="Brouillon Fictif", status=OrganizationStatus.DRAFT)
    for org, action, when in (
        (dore, EventAction.APPROVED, local(2024, 5, 1, 10)),
        (dore, EventAction.SUSPENDED, local(2026, 5, 1, 10)),
        (etoile, EventAction.APPROVED, local(2026, 4, 10, 10)),
        (fane, EventAction.APPROVED, local(2023, 6, 1, 10)),
        (fane, EventAction.SUSPENDED, local(2026, 2, 1, 10)),
    ):
        db.session.add(OrganizationEvent(organization_id=org.id, action=action, created_at=when))

    # Alpha's only staff member holds every required module; Boréal's holds none.
    alpha_staff = make_user(Role.PROVIDER, alpha, email="alpha@example.org")
    make_user(Role.PROVIDER, boreal, email="boreal@example.org")
    for module in db.session.scalars(select(TrainingModule).where(TrainingModule.required)):
        db.session.add(
            TrainingRecord(
                user_id=alpha_staff.id,
                module_id=module.id,
                completed_on=date(2025, 1, 10),
                expires_on=date(2027, 1, 10),
                status=RecordStatus.CONFIRMED,
            )
        )

    service_a = make_service(alpha, name_fr="Soins Alpha", regions=("06", "13"))
    service_b = make_service(boreal, name_fr="Conseils Boréal", regions=("03",))
    service_c = make_service(cedre, name_fr="Aide Cèdre", regions=("06",))
    intervenante = make_user(Role.INTERVENANTE, email="intervenante@example.org")

    housing, safety, legal = (
        _term(c) for c in ("need.housing", "need.safety_shelter", "need.legal")
    )
    referrals: dict[str, Referral] = {}
    add = referral_adder(intervenante, referrals, "TEST")

    S = ReferralStatus
    add("r1", service_a, local(2025, 4, 1, 0, 30), S.COMPLETED, [housing], 2)
    r2 = add(
        "r2",
        service_a,
        local(2026, 3, 31, 23, 30),
        S.DECLINED,
        [housing, safety],
        10,
        declined_by=DeclinedBy.PROVIDER,
    )
    add(
        "r3",
        service_b,
        local(2026, 1, 10, 11),
        S.ACCEPTED,
        [safety],
        4,
        rerouted_from_id=r2.id,
        person=r2.person,
    )
    add(
        "r4", service_b, local(2025, 6, 2, 14), S.NOT_COMPLETED, [legal], 1, outcome=Outcome.NO_SHOW
    )
    add("r5", service_c, local(2025, 8, 5, 9), S.SENT)
    add("r6", service_c, local(2025, 9, 9, 9), S.WITHDRAWN)
    add("draft", service_a, None, S.DRAFT, [housing])
    add("before", service_a, local(2025, 3, 31, 23, 30), S.COMPLETED, [housing], 3)
    add("after", service_a, local(2026, 4, 1, 0, 30), S.SENT, [housing])
    db.session.commit()
    return Year(alpha=alpha, boreal=boreal, cedre=cedre, referrals=referrals)


@pytest.fixture
def frozen():
    """The clock stopped at NOW (May 15, 2026), for the pages and the audit events."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def admin(frozen, login_as):
    """An administrator signed in at NOW."""
    return login_as(Role.ADMIN)


def fr(app, msgid: str, **values) -> str:
    """msgid as the (French) page shows it."""
    return shown(app, msgid, "fr", **values)


def plain(app, msgid: str, **values) -> str:
    """msgid in French as plain text (a CSV cell, a PDF line)."""
    return html.unescape(fr(app, msgid, **values))


def pdf_line(app, msgid: str, **values) -> str:
    """msgid in French as the PDF's text reads (no-break spaces read as spaces)."""
    return plain(app, msgid, **values).replace("\u00a0", " ")


def provider_names() -> list[str]:
    """Every provider organisation's name (none may appear in the funder view)."""
    return list(
        db.session.scalars(
            select(Organization.name).where(Organization.kind == OrganizationKind.PROVIDER)
        )
    )
