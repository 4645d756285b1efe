"""Fictional demo referrals, so the dashboard, the annual report and recognition show something.

Two years of referrals from the demo referring organisations' fictional intervenantes to listed
demo services, in every status, with answers, re-routes and evaluations. None carries free text:
as after the purge, only codes, statuses, dates, needs and outcomes. Loaded once (stable keys).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..accounts.models import User
from ..catalogue.models import (
    Organization,
    OrganizationKind,
    OrganizationStatus,
    Service,
    TaxonomyTerm,
)
from ..extensions import db
from ..roles import Role
from ..seeds import read_seed
from .models import (
    DeclinedBy,
    Outcome,
    Person,
    Referral,
    ReferralEvaluation,
    ReferralStatus,
)
from .services import random_code

S = ReferralStatus
KEY_PREFIX = "demo-referral-"
COUNT = 640
DAYS = 730
STAFF_PER_ORGANIZATION = 3
# Closed outcomes of referrals older than six weeks, with their weights.
CLOSED = (
    (S.COMPLETED, 50),
    (S.NOT_COMPLETED, 10),
    ("declined_provider", 14),
    ("declined_person", 6),
    (S.WITHDRAWN, 5),
    (S.IN_PROGRESS, 5),
    (S.WAITLISTED, 3),
)
RECENT = ((S.SENT, 3), (S.RECEIVED, 3), (S.ACCEPTED, 4), (S.WAITLISTED, 2), (S.IN_PROGRESS, 3))


def seed_demo_referrals(
    orgs: dict[str, Organization], now: datetime, echo: Callable[[str], Any] = print
) -> int:
    """Create the demo referrals once (nothing if they exist); flushes only. Returns how many."""
    exists = db.session.scalar(
        select(func.count(Referral.id)).where(Referral.idempotency_key.like(f"{KEY_PREFIX}%"))
    )
    if exists:
        return 0
    staff = _intervenantes(orgs)
    services = _demo_services()
    if not staff or not services:
        return 0
    created = _create_referrals(staff, services, now)
    db.session.flush()
    echo(f"Referrals (fictional, no free text): {created} created.")
    return created


def _demo_services() -> list[Service]:
    """The services of the approved fictional providers, with their terms loaded."""
    return list(
        db.session.scalars(
            select(Service)
            .join(Organization)
            .where(
                Organization.kind == OrganizationKind.PROVIDER,
                Organization.status == OrganizationStatus.APPROVED,
                Organization.is_fictional.is_(True),
            )
            .order_by(Service.id)
            .options(selectinload(Service.terms).joinedload(TaxonomyTerm.taxonomy))
        )
    )


def _create_referrals(staff: list[User], services: list[Service], now: datetime) -> int:
    """COUNT referrals spread over DAYS, some declined ones re-routed; how many were made."""
    rng = random.Random(2026)  # the same demo on every machine
    codes = _Codes()
    created = 0
    people: dict[int, list[tuple[Person, datetime]]] = {}  # each author's persons, by first date
    for number in range(COUNT):
        author = staff[number % len(staff)]
        service = rng.choice(services)
        sent_at = now - timedelta(days=rng.uniform(0, DAYS), minutes=rng.randint(0, 600))
        person = _person_for(rng, codes, author, sent_at, people.setdefault(author.id, []))
        referral = _referral(rng, person, number, author, service, sent_at, now)
        created += 1
        declined_at = referral.closed_at if referral.status is S.DECLINED else None
        if declined_at is not None and rng.random() < 0.5:
            other = rng.choice(services)
            if other.id != service.id:
                later = min(declined_at + timedelta(days=rng.randint(1, 5)), now)
                _referral(
                    rng, person, number + COUNT, author, other, later, now, rerouted_from=referral
                )
                created += 1
    return created


def _intervenantes(orgs: dict[str, Organization]) -> list[User]:
    """Fictional intervenantes of each demo referring organisation (roster names, no password)."""
    # The same fictional roster as the training demo's staff (seeds/training_modules.json).
    seed = read_seed("training_modules.json")["demo"]
    names, domain = seed["staff_names"], seed["email_domain"]
    referrers = sorted(
        (org for org in orgs.values() if org.kind is OrganizationKind.REFERRER),
        key=lambda org: org.id,
    )
    users = []
    for k, org in enumerate(referrers, start=1):
        for i in range(1, STAFF_PER_ORGANIZATION + 1):
            email = f"intervenante.{k:02d}.{i}@{domain}"
            user = db.session.scalar(select(User).where(User.email == email))
            if user is None:
                user = User(
                    email=email,
                    name=names[(7 * k + i) % len(names)],
                    password_hash=None,  # a name on a roster: nobody signs in with it
                    role=Role.INTERVENANTE,
                    organization=org,
                )
                db.session.add(user)
            users.append(user)
    demo = db.session.scalar(
        select(User).where(User.role == Role.INTERVENANTE, User.email.like("intervenante@demo.%"))
    )
    if demo is not None:
        users.append(demo)
    db.session.flush()
    return users


class _Codes:
    """Random person codes (secrets, like real ones), unique among those in the database."""

    def __init__(self) -> None:
        self.taken = set(db.session.scalars(select(Person.code).where(Person.code.is_not(None))))

    def new(self) -> str:
        while True:
            code = random_code()
            if code not in self.taken:
                self.taken.add(code)
                return code


# Share of referrals made for a person the intervenante already referred (within SAME_PERSON_DAYS).
SAME_PERSON_SHARE = 0.35
SAME_PERSON_DAYS = 120


def _person_for(
    rng: random.Random,
    codes: _Codes,
    author: User,
    sent_at: datetime,
    known: list[tuple[Person, datetime]],
) -> Person:
    """Often a person of the author's met shortly before (so people and referrals differ)."""
    recent = [
        p
        for p, first in known
        if timedelta(0) <= sent_at - first <= timedelta(days=SAME_PERSON_DAYS)
    ]
    if recent and rng.random() < SAME_PERSON_SHARE:
        return rng.choice(recent)
    person = Person(
        code=codes.new(),
        owner_id=author.id,
        organization_id=author.organization_id,
        created_at=sent_at - timedelta(minutes=rng.randint(90, 240)),
    )
    db.session.add(person)
    known.append((person, sent_at))
    return person


def _pick(rng: random.Random, weighted) -> Any:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def _referral(
    rng: random.Random,
    person: Person,
    number: int,
    author: User,
    service: Service,
    sent_at: datetime,
    now: datetime,
    rerouted_from: Referral | None = None,
) -> Referral:
    age = now - sent_at
    state = _pick(rng, CLOSED if age > timedelta(days=42) else RECENT)
    needs = [t for t in service.terms if t.taxonomy.code == "need"] or []
    referral = _sent_referral(rng, person, number, author, service, sent_at, rerouted_from)
    referral.age_band, referral.gender = _optional_answers(number)
    referral.needs = rng.sample(needs, k=min(len(needs), rng.choice((1, 1, 2)))) if needs else []
    if state is not S.SENT:
        _answer(rng, referral, state, sent_at, now)
    db.session.add(referral)
    if referral.status in (S.COMPLETED, S.NOT_COMPLETED) and rng.random() < 0.75:
        db.session.add(_evaluation(rng, referral, author))
    return referral


def _sent_referral(
    rng: random.Random,
    person: Person,
    number: int,
    author: User,
    service: Service,
    sent_at: datetime,
    rerouted_from: Referral | None,
) -> Referral:
    """A referral as the author sent it at sent_at, with the person's consent."""
    return Referral(
        person=person,
        idempotency_key=f"{KEY_PREFIX}{number:04d}",
        service_id=service.id,
        provider_organization_id=service.organization_id,
        referring_user_id=author.id,
        referring_organization_id=author.organization_id,
        status=S.SENT,
        created_at=sent_at - timedelta(minutes=rng.randint(5, 90)),
        sent_at=sent_at,
        status_changed_at=sent_at,
        preferred_language=_pick(rng, (("fr", 70), ("en", 15), ("es", 8), ("ar", 7))),
        fast_track=rng.random() < 0.3,
        accompanied=rng.random() < 0.4,
        consent_share_contact=True,
        consent_share_briefing=True,
        consent_valid_until=(sent_at + timedelta(days=90)).date(),
        consent_confirmed_at=sent_at,
        rerouted_from=rerouted_from,
    )


# Optional answers (issue 17 §4), fictional weights; "not asked" (None) for a third.
AGE_WEIGHTS = (
    ("12_17", 5),
    ("18_24", 22),
    ("25_34", 28),
    ("35_49", 20),
    ("50_plus", 7),
    ("prefer_not", 6),
    (None, 30),
)
GENDER_WEIGHTS = (
    ("woman", 55),
    ("man", 10),
    ("non_binary", 5),
    ("two_spirit", 2),
    ("another", 2),
    ("prefer_not", 6),
    (None, 30),
)


def _optional_answers(number: int) -> tuple[str | None, str | None]:
    """Drawn from their own generator, so the rest of the demo stays as it was."""
    rng = random.Random(f"answers-{number}")
    return _pick(rng, AGE_WEIGHTS), _pick(rng, GENDER_WEIGHTS)


def _answer(
    rng: random.Random, referral: Referral, state, sent_at: datetime, now: datetime
) -> None:
    """Move the referral along to state, with plausible dates that never pass now."""
    received = _after(rng, sent_at, 0.5, 30, now)
    referral.received_at = received
    referral.status = S.RECEIVED
    referral.status_changed_at = received
    if state is S.RECEIVED:
        return
    responded = _after(rng, received, 0.5, 90, now)
    referral.first_response_at = responded
    referral.status_changed_at = responded
    if state in ("declined_provider", "declined_person", S.WITHDRAWN, S.WAITLISTED):
        _settle_at_response(rng, referral, state, responded)
    else:
        _take_on(rng, referral, state, responded, now)


def _after(
    rng: random.Random, moment: datetime, low_hours: float, high_hours: float, now: datetime
) -> datetime:
    """A moment between low_hours and high_hours after moment, never past now."""
    return min(moment + timedelta(hours=rng.uniform(low_hours, high_hours)), now)


def _settle_at_response(rng: random.Random, referral: Referral, state, responded: datetime) -> None:
    """The first response declines, withdraws or waitlists the referral."""
    if state == "declined_provider" or state == "declined_person":
        referral.status = S.DECLINED
        referral.declined_by = (
            DeclinedBy.PROVIDER if state == "declined_provider" else DeclinedBy.PERSON
        )
        referral.closed_at = responded
    elif state is S.WITHDRAWN:
        referral.status = S.WITHDRAWN
        referral.closed_at = responded
    else:
        referral.status = S.WAITLISTED
        referral.waitlist_expected_on = (responded + timedelta(weeks=rng.randint(2, 8))).date()


def _take_on(
    rng: random.Random, referral: Referral, state, responded: datetime, now: datetime
) -> None:
    """The provider accepts the referral, then (as far as state goes) starts and closes it."""
    referral.status = S.ACCEPTED
    referral.appointment_at = _after(rng, responded, 24, 240, now)
    if state is S.ACCEPTED:
        return
    started = _after(rng, responded, 24, 300, now)
    referral.status, referral.status_changed_at = S.IN_PROGRESS, started
    if state is S.IN_PROGRESS:
        return
    closed = _after(rng, started, 48, 900, now)
    referral.status, referral.status_changed_at, referral.closed_at = state, closed, closed
    if state is S.NOT_COMPLETED:
        referral.outcome = _pick(
            rng,
            (
                (Outcome.NO_SHOW, 4),
                (Outcome.PERSON_WITHDREW, 3),
                (Outcome.PROVIDER_COULD_NOT_SERVE, 2),
                (Outcome.OTHER, 1),
            ),
        )


def _evaluation(rng: random.Random, referral: Referral, author: User) -> ReferralEvaluation:
    good = referral.status is S.COMPLETED and rng.random() < 0.85
    low, high = (4, 5) if good else (2, 4)
    return ReferralEvaluation(
        referral=referral,
        respect=rng.randint(low, high),
        no_judgement=rng.randint(low, high),
        confidentiality=rng.randint(low, high),
        would_refer_again=good or rng.random() < 0.4,
        evaluator_id=author.id,
        created_at=referral.closed_at,
    )
