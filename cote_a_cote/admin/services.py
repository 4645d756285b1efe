"""What the administrator pages read: the queues and the account list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from ..accounts.models import Invitation, User
from ..accounts.services import pending_invitations_query
from ..audit.services import record
from ..catalogue.models import (
    Organization,
    OrganizationKind,
    OrganizationStatus,
    Taxonomy,
    TaxonomyTerm,
)
from ..extensions import db
from ..roles import Role
from ..vetting import services as vetting

QUEUE_LENGTH = 10


@dataclass
class Queues:
    """The work waiting for administrators, each with its total and its first entries."""

    submitted_count: int
    submitted: list[Organization]
    invitation_count: int
    invitations: list[Invitation]
    deactivated: list[User]
    revision_count: int = 0  # profile revisions awaiting review
    stale_count: int = 0  # approved providers whose profile is out of date


def _count(query: Select) -> int:
    counted = select(func.count()).select_from(query.order_by(None).subquery())
    return db.session.execute(counted).scalar_one()


def queues() -> Queues:
    """Organisations awaiting review, pending invitations, recently deactivated accounts."""
    submitted = select(Organization).where(Organization.status == OrganizationStatus.SUBMITTED)
    invitations = pending_invitations_query()
    deactivated = (
        select(User)
        .where(User.active.is_(False))
        .order_by(User.deactivated_at.desc().nulls_last(), User.id.desc())
        .limit(QUEUE_LENGTH)
    )
    return Queues(
        submitted_count=_count(submitted),
        submitted=list(
            db.session.scalars(
                submitted.order_by(Organization.updated_at, Organization.id).limit(QUEUE_LENGTH)
            )
        ),
        invitation_count=_count(invitations),
        invitations=list(
            db.session.scalars(
                invitations.options(selectinload(Invitation.organization)).limit(QUEUE_LENGTH)
            )
        ),
        deactivated=list(db.session.scalars(deactivated)),
        revision_count=vetting.pending_revision_count(),
        stale_count=vetting.stale_count(),
    )


def users_query(
    search: str | None = None, role: Role | None = None, active: bool | None = None
) -> Select:
    """Users matching the filters, by name; search looks in names and e-mail addresses."""
    query = (
        select(User)
        .options(selectinload(User.organization))
        .order_by(func.lower(User.name), User.id)
    )
    if search:
        query = query.where(
            or_(
                User.name.icontains(search, autoescape=True),
                User.email.icontains(search, autoescape=True),
            )
        )
    if role is not None:
        query = query.where(User.role == role)
    if active is not None:
        query = query.where(User.active.is_(active))
    return query


def active_intervenantes(organization_ids) -> dict[int, list[User]]:
    """The active intervenantes of each organisation, by name."""
    found: dict[int, list[User]] = {org_id: [] for org_id in organization_ids}
    for user in db.session.scalars(
        select(User)
        .where(
            User.organization_id.in_(list(found)),
            User.role == Role.INTERVENANTE,
            User.active.is_(True),
        )
        .order_by(func.lower(User.name), User.id)
    ):
        found[user.organization_id].append(user)
    return found


def referring_organizations() -> list[tuple[Organization, list[User]]]:
    """Referring organisations by name, each with its active intervenantes."""
    orgs = list(
        db.session.scalars(
            select(Organization)
            .where(Organization.kind == OrganizationKind.REFERRER)
            .order_by(func.lower(Organization.name), Organization.id)
        )
    )
    staff = active_intervenantes([org.id for org in orgs])
    return [(org, staff[org.id]) for org in orgs]


def set_referral_sharing(
    organization: Organization,
    share: bool,
    actor: User,
    remote_addr: str | None = None,
    now: datetime | None = None,
) -> bool:
    """Turn sharing of referrals among the organisation's intervenantes on or off; True if changed.

    Only referring organisations have intervenantes; the change is audited (ids only).
    """
    if organization.kind is not OrganizationKind.REFERRER:
        raise ValueError("only a referring organisation shares referrals")
    if organization.share_referrals == share:
        return False
    organization.share_referrals = share
    db.session.flush()
    action = "organization.share_referrals_on" if share else "organization.share_referrals_off"
    record(actor, action, "organization", organization.id, remote_addr, now)
    return True


# --- Taxonomy search keywords ---------------------------------------------------------------------


def taxonomies() -> list[Taxonomy]:
    """Every taxonomy with its terms (in their order), for the keyword pages."""
    return list(
        db.session.scalars(
            select(Taxonomy).options(selectinload(Taxonomy.terms)).order_by(Taxonomy.id)
        )
    )


def set_term_keywords(
    term: TaxonomyTerm,
    keywords_fr: list[str],
    keywords_en: list[str],
    actor: User,
    remote_addr: str | None = None,
) -> bool:
    """Replace a term's search keywords; True if they changed. The flush announces every service
    of the term and of the terms under it to search (the outbox), and the change is audited."""
    stored_fr, stored_en = "\n".join(keywords_fr), "\n".join(keywords_en)
    if (term.keywords_fr or "", term.keywords_en or "") == (stored_fr, stored_en):
        return False
    term.keywords_fr, term.keywords_en = stored_fr, stored_en
    db.session.flush()
    record(actor, "taxonomy_term.keywords_changed", "taxonomy_term", term.id, remote_addr)
    return True
