"""Who may see a referral and which parts of it: one definition, used by loaders and lists.

An intervenante sees her own referrals, and her organisation's when it shares them; provider
staff see the referrals sent to their organisation (never drafts); administrators see all.
Anything else answers 404, so a page never confirms that a referral exists.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import abort
from sqlalchemy import Select, false, or_, select

from ..accounts.models import User
from ..catalogue.models import Organization, Service
from ..config import settings
from ..database import utcnow
from ..extensions import db
from ..roles import Role
from .models import CLOSED_STATUSES, OPEN_STATUSES, Person, Referral, ReferralStatus
from .services import consent_is_valid


def visible_query(user: User) -> Select:
    """select(Referral) limited to what user may see (no order: the lists choose theirs)."""
    query = select(Referral)
    if not user.active:
        return query.where(false())
    if user.role is Role.ADMIN:
        return query
    if user.role is Role.INTERVENANTE:
        shared = (
            select(Organization.id)
            .where(Organization.id == user.organization_id, Organization.share_referrals.is_(True))
            .scalar_subquery()
        )
        return query.where(
            or_(
                Referral.referring_user_id == user.id,
                Referral.referring_organization_id == shared,
            )
        )
    if user.role is Role.PROVIDER:
        return query.where(
            Referral.provider_organization_id == user.organization_id,
            Referral.sent_at.is_not(None),
        )
    return query.where(false())


def visible_persons_query(user: User) -> Select:
    """select(Person) an intervenante may open: codes she follows, her organisation's when it
    shares, and those of any referral she may see. Erased codes stay out; others see none."""
    if not user.active or user.role is not Role.INTERVENANTE:
        return select(Person).where(false())
    shared = (
        select(Organization.id)
        .where(Organization.id == user.organization_id, Organization.share_referrals.is_(True))
        .scalar_subquery()
    )
    seen = visible_query(user).with_only_columns(Referral.person_id)
    return select(Person).where(
        Person.code.is_not(None),
        or_(
            Person.owner_id == user.id,
            Person.organization_id == shared,
            Person.id.in_(seen),
        ),
    )


def person_referrals(user: User, person: Person, open_only: bool = False) -> list[Referral]:
    """The person's referrals user may see, oldest first; open_only leaves the closed ones out."""
    query = visible_query(user).where(Referral.person_id == person.id)
    if open_only:
        query = query.where(Referral.status.not_in(CLOSED_STATUSES))
    return list(db.session.scalars(query.order_by(Referral.created_at, Referral.id)))


def get_person_for(user: User, person_id: int) -> Person:
    """The person (code) if user may open it, else abort(404) (whether or not it exists)."""
    person = db.session.scalar(visible_persons_query(user).where(Person.id == person_id))
    if person is None:
        abort(404)
    return person


def get_referral_for(user: User, referral_id: int) -> Referral:
    """The referral if user may see it, else abort(404) (whether or not it exists)."""
    referral = db.session.scalar(visible_query(user).where(Referral.id == referral_id))
    if referral is None:
        abort(404)
    return referral


def _is_addressed_provider(user: User, referral: Referral) -> bool:
    return (
        user.active
        and user.role is Role.PROVIDER
        and user.organization_id == referral.provider_organization_id
        and referral.sent_at is not None
    )


def _provider_may_read(referral: Referral, now: datetime) -> bool:
    return referral.status in OPEN_STATUSES and consent_is_valid(referral, now)


def briefing_visible_to(user: User, referral: Referral, now: datetime | None = None) -> bool:
    """Whether user may read the briefing now.

    The provider only while the referral is open, the consent valid and covering the briefing;
    the intervenantes who may load the referral while it is not purged; administrators never
    (they coordinate, they do not need the person's story).
    """
    now = now or utcnow()
    if referral.briefing is None:
        return False
    if _is_addressed_provider(user, referral):
        return referral.consent_share_briefing and _provider_may_read(referral, now)
    return _intervenante_may_load(user, referral)


def _intervenante_may_load(user: User, referral: Referral) -> bool:
    if user.role is not Role.INTERVENANTE:
        return False
    query = visible_query(user).with_only_columns(Referral.id).where(Referral.id == referral.id)
    return db.session.scalar(query) is not None


def contact_visible_to(user: User, referral: Referral, now: datetime | None = None) -> bool:
    """Whether the provider may read the contact channel and safe times (same rule, own flag)."""
    now = now or utcnow()
    if _is_addressed_provider(user, referral):
        return referral.consent_share_contact and _provider_may_read(referral, now)
    return _intervenante_may_load(user, referral)


_REVEALING = (ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS, ReferralStatus.COMPLETED)


def confidential_address_visible(user: User, service: Service, now: datetime | None = None) -> bool:
    """Whether user may see the street address of service's confidential location.

    Only an intervenante whose own referral to this service was accepted (or went further); a
    completed one keeps it for REFERRAL_PURGE_DAYS after closing, as long as the rest is kept.
    """
    if not user.active or user.role is not Role.INTERVENANTE:
        return False
    now = now or utcnow()
    kept_since = now - timedelta(days=settings().referral_purge_days)
    found = db.session.scalar(
        select(Referral.id)
        .where(
            Referral.referring_user_id == user.id,
            Referral.service_id == service.id,
            Referral.status.in_(_REVEALING),
            Referral.consent_withdrawn_at.is_(None),
            or_(Referral.closed_at.is_(None), Referral.closed_at >= kept_since),
        )
        .limit(1)
    )
    return found is not None
