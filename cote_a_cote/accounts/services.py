"""Account rules: authentication, password reset, invitations, deactivation, preferences.

Functions flush and never commit; the calling view commits once.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Generic, TypeVar

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from .. import signals
from ..audit import services as audit
from ..catalogue.models import Organization, OrganizationKind
from ..config import settings
from ..database import utcnow
from ..errors import UserError
from ..extensions import db
from ..mail import enqueue_mail
from ..roles import Role
from ..security import public_address
from .models import Invitation, PasswordResetToken, User
from .passwords import hash_password, needs_rehash, verify_password
from .sessions import end_all_sessions, token_digest

MIN_PASSWORD_LENGTH = 12

# Which organisations each invitable role may belong to.
INVITABLE_KINDS = {
    Role.INTERVENANTE: OrganizationKind.REFERRER,
    Role.ADMIN: OrganizationKind.COORDINATION,
    Role.PROVIDER: OrganizationKind.PROVIDER,  # provider staff invite their own colleagues
}


class AccountError(UserError):
    """A rule refused the change; str(error) is a translated message, field the input at fault."""


TokenRow = TypeVar("TokenRow", PasswordResetToken, Invitation)


@dataclass(frozen=True)
class TokenCheck(Generic[TokenRow]):
    """The outcome of reading an e-mailed token: the row when usable, else None."""

    record: TokenRow | None

    @property
    def valid(self) -> bool:
        return self.record is not None


def normalise_email(email: str | None) -> str:
    """The form under which addresses are stored and compared."""
    return (email or "").strip().lower()


def find_user_by_email(email: str) -> User | None:
    """The account with this address, whatever its case, or None."""
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    """The active user these credentials belong to, or None; equal effort whichever way it fails."""
    user = find_user_by_email(email)
    matches = verify_password(user.password_hash if user else None, password)
    if user is None or not matches or not user.active:
        return None
    if user.password_hash is not None and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        db.session.flush()
    return user


def set_password(user: User, password: str) -> None:
    """Store a new password hash for user."""
    user.password_hash = hash_password(password)
    db.session.flush()


def set_preferred_locale(user: User, locale: str) -> None:
    """Remember the interface language user chose; unknown locales are ignored."""
    if locale in current_app.config["LANGUAGES"]:
        user.preferred_locale = locale
        db.session.flush()


# --- Password reset ---------------------------------------------------------------------------


def request_password_reset(email: str) -> Callable[[], object] | None:
    """Create a reset token for an active account and return the e-mail to send, else None.

    Both outcomes do the same work up to the delivery, which the caller runs after answering,
    so neither the page nor its timing tells whether the address has an account.
    """
    user = find_user_by_email(email)
    token = secrets.token_urlsafe(32)
    digest = token_digest(token)
    if user is None or not user.active:
        return None
    hours = settings().password_reset_hours
    db.session.add(
        PasswordResetToken(
            user_id=user.id, token_hash=digest, expires_at=utcnow() + timedelta(hours=hours)
        )
    )
    db.session.flush()
    return partial(
        enqueue_mail,
        user.email,
        _l("Resetting your Côte-à-Côte password"),
        "password_reset",
        locale=user.preferred_locale or current_app.config["BABEL_DEFAULT_LOCALE"],
        link=public_address(f"/mot-de-passe/reinitialiser#{token}"),  # never sent to a server
        hours=hours,
    )


def check_reset_token(token: str | None) -> TokenCheck[PasswordResetToken]:
    """The unused, unexpired reset token of an active account matching token, if any."""
    if not token:
        return TokenCheck(None)
    record = db.session.scalar(
        select(PasswordResetToken).where(PasswordResetToken.token_hash == token_digest(token))
    )
    usable = (
        record is not None
        and record.used_at is None
        and record.expires_at > utcnow()
        and record.user.active
    )
    return TokenCheck(record if usable else None)


def reset_password(record: PasswordResetToken, password: str) -> User:
    """Set the new password, spend every reset token of the user, sign them out everywhere."""
    user = record.user
    set_password(user, password)
    user.email_verified_at = user.email_verified_at or utcnow()  # the link reached the address
    db.session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=utcnow())
    )
    end_all_sessions(user)
    db.session.flush()
    return user


# --- Invitations ------------------------------------------------------------------------------


def invitable_organizations() -> list[Organization]:
    """Referring and coordination organisations, by name: where invitees may belong."""
    kinds = {INVITABLE_KINDS[Role.INTERVENANTE], INVITABLE_KINDS[Role.ADMIN]}
    return list(
        db.session.scalars(
            select(Organization)
            .where(Organization.kind.in_(kinds))
            .order_by(Organization.name, Organization.id)
        )
    )


def pending_invitations_query():
    """A select of invitations neither accepted, revoked nor expired, newest first."""
    return (
        select(Invitation)
        .where(
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > utcnow(),
        )
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
    )


def create_invitation(
    *,
    name: str,
    email: str,
    role: Role,
    organization: Organization,
    invited_by: User,
    locale: str,
    discreet: bool = False,
) -> Invitation:
    """Record an invitation and e-mail its link; AccountError when the rules refuse it.

    discreet: answer alike whether or not the address has an account, for inviters who may not
    learn it (provider staff). The invitation is recorded either way, so lists look the same; the
    owner of an existing account gets a notice instead of a link (a link could not create a second
    account anyway), and only the organisation's own pending invitations count as duplicates.
    """
    email = normalise_email(email)
    existing = _check_invitable(email, role, organization, discreet)
    token = secrets.token_urlsafe(32)
    days = settings().invitation_days
    invitation = Invitation(
        email=email,
        name=name.strip(),
        role=role,
        organization_id=organization.id,
        invited_by_id=invited_by.id,
        token_hash=token_digest(token),
        expires_at=utcnow() + timedelta(days=days),
    )
    db.session.add(invitation)
    db.session.flush()
    if existing is not None:
        _notify_owner_of_invitation(existing, locale)
    else:
        _send_invitation_link(email, token, locale, days)
    return invitation


def _check_invitable(
    email: str, role: Role, organization: Organization, discreet: bool
) -> User | None:
    """Raise AccountError when the rules refuse the invitation; the account already using email,
    if any (only when discreet: otherwise that is a refusal)."""
    if role not in INVITABLE_KINDS:
        raise AccountError(_l("This role cannot be invited."), "role")
    if organization.kind is not INVITABLE_KINDS[role]:
        raise AccountError(
            _l("This organisation cannot receive accounts with this role."), "organization_id"
        )
    existing = find_user_by_email(email)
    if existing is not None and not discreet:
        raise AccountError(_l("An account already uses this e-mail address."), "email")
    pending = pending_invitations_query().where(Invitation.email == email)
    if discreet:
        pending = pending.where(Invitation.organization_id == organization.id)
    if db.session.scalar(pending) is not None:
        raise AccountError(_l("An invitation is already pending for this e-mail address."), "email")
    return existing


def _send_invitation_link(email: str, token: str, locale: str, days: int) -> None:
    enqueue_mail(
        email,
        _l("Your invitation to Côte-à-Côte"),
        "invitation",
        locale=locale,
        link=public_address(f"/invitation#{token}"),  # the #part is never sent to a server
        days=days,
    )


def _notify_owner_of_invitation(owner: User, locale: str) -> None:
    enqueue_mail(
        owner.email,
        _l("Someone invited your e-mail address to Côte-à-Côte"),
        "invitation_exists",
        locale=owner.preferred_locale or locale,
        link=public_address("/connexion"),
        reset_link=public_address("/mot-de-passe/oublie"),
    )


def check_invitation_token(token: str | None) -> TokenCheck[Invitation]:
    """The pending invitation matching token whose address has no account yet, if any."""
    if not token:
        return TokenCheck(None)
    record = db.session.scalar(
        select(Invitation).where(Invitation.token_hash == token_digest(token))
    )
    usable = (
        record is not None
        and record.accepted_at is None
        and record.revoked_at is None
        and record.expires_at > utcnow()
        and find_user_by_email(record.email) is None
    )
    return TokenCheck(record if usable else None)


def accept_invitation(invitation: Invitation, name: str, password: str) -> User:
    """Create the invitee's account with the invitation's role and organisation."""
    user = User(
        email=invitation.email,
        name=name.strip(),
        password_hash=hash_password(password),
        role=invitation.role,
        organization_id=invitation.organization_id,
        active=True,
        email_verified_at=utcnow(),  # the invitation link reached this address
    )
    db.session.add(user)
    invitation.accepted_at = utcnow()
    db.session.flush()
    signals.staff_changed.send(user)
    return user


def revoke_invitation(invitation: Invitation) -> None:
    """Make a pending invitation's link stop working; AccountError if it is no longer pending."""
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        raise AccountError(_l("This invitation is no longer pending."))
    invitation.revoked_at = utcnow()
    db.session.flush()


# --- Deactivation -----------------------------------------------------------------------------


def deactivate_user(user: User, actor: User) -> None:
    """Refuse all access to user at once, ending every session; nobody deactivates themself."""
    if user.id == actor.id:
        raise AccountError(_l("You cannot deactivate your own account."))
    if not user.active:
        return
    user.active = False
    user.deactivated_at = utcnow()
    end_all_sessions(user)
    db.session.flush()
    signals.account_deactivated.send(user, actor=actor)
    signals.staff_changed.send(user)


def referral_delegate(user: User) -> User | None:
    """The active colleague designated to take over user's referrals, if any (never user)."""
    return db.session.scalar(
        select(User).where(
            User.organization_id == user.organization_id,
            User.role == Role.INTERVENANTE,
            User.active.is_(True),
            User.is_referral_delegate.is_(True),
            User.id != user.id,
        )
    )


def set_referral_delegate(
    organization: Organization, delegate: User | None, actor: User, remote_addr: str | None = None
) -> None:
    """Designate delegate (an active intervenante of organization) or nobody; audited, ids only."""
    if delegate is not None and not (
        delegate.organization_id == organization.id
        and delegate.role is Role.INTERVENANTE
        and delegate.active
    ):
        raise AccountError(_l("Choose an active intervenante of this organisation."))
    for colleague in db.session.scalars(
        select(User).where(
            User.organization_id == organization.id, User.is_referral_delegate.is_(True)
        )
    ):
        colleague.is_referral_delegate = False
    if delegate is not None:
        delegate.is_referral_delegate = True
    db.session.flush()
    if delegate is not None:
        signals.referral_delegate_designated.send(
            organization, delegate=delegate, actor=actor, remote_addr=remote_addr
        )
    audit.record(
        actor,
        "organization.referral_delegate_set"
        if delegate
        else "organization.referral_delegate_unset",
        "organization",
        organization.id,
        remote_addr,
    )


def reactivate_user(user: User) -> None:
    """Let a deactivated user sign in again (with their existing password)."""
    user.active = True
    user.deactivated_at = None
    db.session.flush()
    signals.staff_changed.send(user)
