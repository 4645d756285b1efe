"""Becoming a partner: the application creates an unverified provider account and a draft profile.

Functions flush and never commit. Each returns the e-mail to send as a callable, which the view
runs once the answer has left, so neither the page nor its timing tells whether an address
already has an account.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from ..accounts.models import EmailVerificationToken, User
from ..accounts.passwords import hash_password
from ..accounts.services import find_user_by_email, normalise_email
from ..accounts.sessions import token_digest
from ..catalogue.models import (
    Organization,
    OrganizationKind,
    OrganizationStatus,
    Service,
    Visibility,
)
from ..config import settings
from ..database import utcnow
from ..extensions import db
from ..mail import enqueue_mail
from ..revisions import services as revisions
from ..roles import Role
from ..security import public_address
from ..vetting.models import EventAction
from ..vetting.services import record_event
from .signals import partner_applied


@dataclass(frozen=True)
class ServiceDraft:
    name: str
    needs: list[str]


@dataclass(frozen=True)
class Application:
    """What the application form collected, already validated."""

    organization_name: str
    sector: str | None
    contact_name: str
    email: str
    password: str
    phone: str | None
    regions: list[str]
    services: list[ServiceDraft]
    visibility: Visibility
    locale: str


def apply(application: Application, now: datetime | None = None) -> Callable[[], object]:
    """Create the account and the draft organisation, or, for a known address, nothing.

    Returns the e-mail to send: a verification link for a new account, a notice to the existing
    owner otherwise (someone tried to apply with their address).
    """
    now = now or utcnow()
    password_hash = hash_password(application.password)  # the same work whichever way it goes
    email = normalise_email(application.email)
    existing = find_user_by_email(email)
    if existing is not None:
        return _notice_to_owner(existing, application)
    organization = _draft_organization(application, now)
    user = User(
        email=email,
        name=application.contact_name.strip(),
        password_hash=password_hash,
        role=Role.PROVIDER,
        organization_id=organization.id,
        active=True,
        preferred_locale=application.locale,
        email_verified_at=None,
        created_at=now,
    )
    db.session.add(user)
    _draft_services(organization, application, now)
    db.session.flush()
    record_event(organization, EventAction.APPLIED, user, now=now)
    partner_applied.send(organization, email=email, now=now)
    return issue_verification(user, now=now)


def _notice_to_owner(owner: User, application: Application) -> Callable[[], object]:
    """The e-mail telling an account's owner that someone applied with their address."""
    return partial(
        enqueue_mail,
        owner.email,
        _l("Someone applied with your e-mail address"),
        "application_exists",
        locale=owner.preferred_locale or application.locale,
        link=public_address("/connexion"),
        reset_link=public_address("/mot-de-passe/oublie"),
    )


def _draft_organization(application: Application, now: datetime) -> Organization:
    """The applicant's organisation, a draft nobody sees yet; flushed, so it has its id."""
    organization = Organization(
        name=application.organization_name.strip(),
        kind=OrganizationKind.PROVIDER,
        status=OrganizationStatus.DRAFT,
        visibility=application.visibility,
        phone=application.phone or None,
        is_fictional=False,
        created_at=now,
    )
    organization.sector = revisions.term_by_code(application.sector)
    db.session.add(organization)
    db.session.flush()
    return organization


def _draft_services(organization: Organization, application: Application, now: datetime) -> None:
    """One service of the draft for each service the applicant described."""
    for draft in application.services:
        service = Service(organization_id=organization.id, capacity_updated_at=now)
        db.session.add(service)
        revisions.apply_service(
            service,
            {"name_fr": draft.name.strip(), "terms": draft.needs, "regions": application.regions},
        )


# --- E-mail verification --------------------------------------------------------------------------


def _hours() -> int:
    return settings().email_verification_hours


def issue_verification(user: User, now: datetime | None = None) -> Callable[[], object]:
    """Store a new single-use token (its hash only) and return the e-mail carrying its link."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    db.session.add(
        EmailVerificationToken(
            user_id=user.id,
            token_hash=token_digest(token),
            created_at=now,
            expires_at=now + timedelta(hours=_hours()),
        )
    )
    db.session.flush()
    return partial(
        enqueue_mail,
        user.email,
        _l("Confirm your e-mail address for Côte-à-Côte"),
        "verify_email",
        locale=user.preferred_locale or current_app.config["BABEL_DEFAULT_LOCALE"],
        link=public_address(f"/courriel/verifier#{token}"),  # the #part is never sent to a server
        hours=_hours(),
    )


def check_verification_token(
    token: str | None, now: datetime | None = None
) -> EmailVerificationToken | None:
    """The unused, unexpired token of an active account still unverified, or None."""
    if not token:
        return None
    record = db.session.scalar(
        select(EmailVerificationToken).where(
            EmailVerificationToken.token_hash == token_digest(token)
        )
    )
    usable = (
        record is not None
        and record.used_at is None
        and record.expires_at > (now or utcnow())
        and record.user.active
        and record.user.email_verified_at is None
    )
    return record if usable else None


def verify_email(record: EmailVerificationToken, now: datetime | None = None) -> User:
    """Mark the address as verified and spend every verification token of the account."""
    now = now or utcnow()
    user = record.user
    user.email_verified_at = now
    db.session.execute(
        update(EmailVerificationToken)
        .where(EmailVerificationToken.user_id == user.id, EmailVerificationToken.used_at.is_(None))
        .values(used_at=now)
    )
    db.session.flush()
    return user


def request_new_verification(email: str, now: datetime | None = None):
    """A new link for an active account that is still unverified; None for any other address."""
    user = find_user_by_email(email)
    if user is None or not user.active or user.email_verified_at is not None:
        return None
    return issue_verification(user, now=now)
