"""The prospect list: suggestions, status changes (transitions as data), invitation, application.

Functions flush and never commit; the view commits once. Every status change is audited.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from ..accounts.models import User
from ..accounts.services import normalise_email
from ..audit.services import record
from ..catalogue.models import Organization, OrganizationKind, Region, Taxonomy, TaxonomyTerm
from ..database import utcnow
from ..errors import UserError
from ..extensions import db
from ..mail import enqueue_mail
from ..portal.signals import partner_applied
from ..security import public_address
from .models import INVITABLE, TRANSITIONS, Prospect, ProspectStatus

SECTOR_TAXONOMY = "sector"


class ProspectError(UserError):
    """A rule refused the change; str(error) is a translated message."""


STATUS_LABELS = {
    ProspectStatus.SUGGESTED: _l("Suggested"),
    ProspectStatus.CONTACTED: _l("Contacted"),
    ProspectStatus.INTERESTED: _l("Interested"),
    ProspectStatus.APPLIED: _l("Applied"),
    ProspectStatus.NOT_NOW: _l("Not now"),
}


@dataclass(frozen=True)
class Suggestion:
    name: str
    sector_code: str
    region_code: str
    why: str
    knows_someone: bool


# --- Loaders and choices --------------------------------------------------------------------------


def get_prospect(prospect_id: int) -> Prospect:
    """The prospect, for administrators (the route checks the role); 404 when unknown."""
    return db.get_or_404(Prospect, prospect_id)


def sectors() -> list[TaxonomyTerm]:
    return list(
        db.session.scalars(
            select(TaxonomyTerm)
            .join(Taxonomy, Taxonomy.id == TaxonomyTerm.taxonomy_id)
            .where(Taxonomy.code == SECTOR_TAXONOMY)
            .order_by(TaxonomyTerm.position)
        )
    )


def regions() -> list[Region]:
    return list(db.session.scalars(select(Region).order_by(Region.position, Region.code)))


def applications() -> list[Organization]:
    """Provider organisations a prospect may be linked to, newest first."""
    return list(
        db.session.scalars(
            select(Organization)
            .where(Organization.kind == OrganizationKind.PROVIDER)
            .order_by(Organization.created_at.desc(), Organization.id.desc())
            .limit(500)
        )
    )


# --- Suggesting -----------------------------------------------------------------------------------


def suggest(data: Suggestion, actor: User, now: datetime | None = None) -> Prospect:
    """An intervenante suggests a business or organisation; it enters the list as suggested."""
    sector = next((t for t in sectors() if t.code == data.sector_code), None)
    region = db.session.get(Region, data.region_code)
    if sector is None or region is None:
        raise ProspectError(_l("Choose a sector and a region from the lists."))
    now = now or utcnow()
    prospect = Prospect(
        name=data.name,
        sector_id=sector.id,
        region_code=region.code,
        why=data.why,
        knows_someone=data.knows_someone,
        suggested_by_id=actor.id,
        created_at=now,
        status=ProspectStatus.SUGGESTED,
        status_changed_at=now,
    )
    db.session.add(prospect)
    db.session.flush()
    record(actor, "prospect.suggest", "prospect", prospect.id, now=now)
    return prospect


# --- Following up ---------------------------------------------------------------------------------


def allowed_moves(prospect: Prospect) -> list[ProspectStatus]:
    return [s for s in ProspectStatus if s in TRANSITIONS[prospect.status]]


def _move(prospect: Prospect, to: ProspectStatus, actor: User | None, now: datetime) -> None:
    prospect.status = to
    prospect.status_changed_at = now
    db.session.flush()
    record(actor, f"prospect.{to.value}", "prospect", prospect.id, now=now)


def change_status(
    prospect: Prospect, to: ProspectStatus, actor: User, now: datetime | None = None
) -> None:
    """Move the prospect along TRANSITIONS; anything else is refused."""
    if to not in TRANSITIONS[prospect.status]:
        raise ProspectError(_l("This prospect cannot take that status from its current one."))
    _move(prospect, to, actor, now or utcnow())


def follow_up(prospect: Prospect, notes: str | None, next_step_on: date | None) -> None:
    prospect.notes = notes or None
    prospect.next_step_on = next_step_on
    db.session.flush()


def invite(
    prospect: Prospect, email: str, locale: str, actor: User, now: datetime | None = None
) -> None:
    """Record the "Devenir partenaire" invitation to email; a suggested prospect becomes contacted.

    The e-mail is queued in the same transaction (the mail outbox sends it after the commit). An
    application later filed with that address is linked to the prospect.
    """
    if prospect.status not in INVITABLE:
        raise ProspectError(_l("This prospect has already applied."))
    now = now or utcnow()
    prospect.invited_email = normalise_email(email)
    prospect.invited_at = now
    db.session.flush()
    record(actor, "prospect.invite", "prospect", prospect.id, now=now)
    if prospect.status is ProspectStatus.SUGGESTED:
        _move(prospect, ProspectStatus.CONTACTED, actor, now)
    enqueue_mail(
        prospect.invited_email,
        _l("An invitation to become a partner of Côte-à-Côte"),
        "prospect_invitation",
        locale=locale,
        link=public_address("/devenir-partenaire"),
    )


def link_application(
    prospect: Prospect,
    organization: Organization,
    actor: User | None,
    now: datetime | None = None,
) -> None:
    """The prospect applied: link it to the organisation its application created."""
    if organization.kind is not OrganizationKind.PROVIDER:
        raise ProspectError(_l("Choose a partner application."))
    prospect.organization_id = organization.id
    if prospect.status is not ProspectStatus.APPLIED:
        _move(prospect, ProspectStatus.APPLIED, actor, now or utcnow())
    db.session.flush()


def _on_application(organization: Organization, email: str, now: datetime | None = None, **_):
    """An application filed with the address an invitation went to links its prospect."""
    waiting = db.session.scalars(
        select(Prospect).where(
            Prospect.invited_email == normalise_email(email), Prospect.organization_id.is_(None)
        )
    ).all()
    for prospect in waiting:
        link_application(prospect, organization, None, now)


partner_applied.connect(_on_application)


# --- The list -------------------------------------------------------------------------------------


def listing(
    status: ProspectStatus | None = None,
    sector_id: int | None = None,
    region_code: str | None = None,
) -> Select:
    query = select(Prospect).options(selectinload(Prospect.sector), selectinload(Prospect.region))
    if status is not None:
        query = query.where(Prospect.status == status)
    if sector_id is not None:
        query = query.where(Prospect.sector_id == sector_id)
    if region_code:
        query = query.where(Prospect.region_code == region_code)
    return query.order_by(
        Prospect.next_step_on.is_(None), Prospect.next_step_on, Prospect.id.desc()
    )


@dataclass(frozen=True)
class ProspectCounts:
    total: int
    by_sector: list[tuple[str, int]]
    by_region: list[tuple[str, str, int]]  # code, label, count


def counts_by_sector_and_region(locale: str) -> ProspectCounts:
    """Prospects still being approached (not applied), by sector and by region; none left out."""
    rows = db.session.execute(
        select(Prospect.sector_id, Prospect.region_code).where(
            Prospect.status != ProspectStatus.APPLIED
        )
    ).all()
    by_sector = Counter(r.sector_id for r in rows)
    by_region = Counter(r.region_code for r in rows)
    sector_labels = {t.id: t.label(locale) for t in sectors()}
    region_labels = {r.code: r.label(locale) for r in regions()}
    return ProspectCounts(
        total=len(rows),
        by_sector=sorted(
            ((sector_labels.get(k, "—"), n) for k, n in by_sector.items()),
            key=lambda x: (-x[1], x[0]),
        ),
        by_region=[
            (code, region_labels[code], by_region[code])
            for code in region_labels
            if by_region[code]
        ],
    )
