"""What provider staff do in the portal: loaders limited to their organisation, and the rules.

Loaders answer 404 for anything outside the signed-in person's organisation. Functions flush and
never commit; the view commits once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time

from flask import abort
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..accounts import services as accounts
from ..accounts.models import Invitation, User
from ..catalogue.models import (
    CapacityStatus,
    Location,
    Organization,
    OrganizationStatus,
    Region,
    Schedule,
    Service,
    Taxonomy,
    TaxonomyTerm,
)
from ..database import utcnow
from ..errors import UserError
from ..extensions import db
from ..geo import find_municipality
from ..revisions import services as revisions
from ..revisions.models import ProfileRevision
from ..roles import Role
from ..vetting import services as vetting
from ..vetting.models import EventAction


class PortalError(UserError):
    """A rule refused the change; str(error) is a translated message, field the input at fault."""


# --- Loaders: only the current user's organisation ------------------------------------------------


def own_service(user: User, service_id: int) -> Service:
    service = db.session.get(Service, service_id)
    if service is None or service.organization_id != user.organization_id:
        abort(404)
    return service


def own_location(user: User, location_id: int) -> Location:
    location = db.session.get(Location, location_id)
    if location is None or location.organization_id != user.organization_id:
        abort(404)
    return location


def own_revision(user: User, revision_id: int) -> ProfileRevision:
    revision = db.session.get(ProfileRevision, revision_id)
    if revision is None or revision.organization_id != user.organization_id:
        abort(404)
    return revision


def own_colleague(user: User, user_id: int) -> User:
    colleague = db.session.get(User, user_id)
    if colleague is None or colleague.organization_id != user.organization_id:
        abort(404)
    return colleague


def own_invitation(user: User, invitation_id: int) -> Invitation:
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.organization_id != user.organization_id:
        abort(404)
    return invitation


# --- The application's checklist and submission ---------------------------------------------------


def missing_items(organization: Organization) -> list[str]:
    """What must be filled in before the application can be sent for review."""
    missing = []
    if not (organization.description_fr or "").strip():
        missing.append(_l("Describe your organisation in French."))
    if organization.sector_id is None:
        missing.append(_l("Choose your sector of activity."))
    if not (organization.email or organization.phone):
        missing.append(_l("Give an e-mail address or a phone number to reach the organisation."))
    if not organization.services:
        missing.append(_l("Add at least one service."))
    for service in organization.services:
        if not service.terms_in("need"):
            missing.append(
                _l("Choose at least one need for the service %(name)s.", name=service.name_fr)
            )
        if not service.areas:
            missing.append(_l("Choose the regions served by %(name)s.", name=service.name_fr))
    return [str(m) for m in missing]


SUBMITTABLE = frozenset({OrganizationStatus.DRAFT, OrganizationStatus.CHANGES_REQUESTED})


def submit(organization: Organization, actor: User, now: datetime | None = None) -> None:
    """Send the application for review once nothing is missing."""
    if organization.status not in SUBMITTABLE:
        raise PortalError(_l("The application cannot be sent in its current status."))
    if missing_items(organization):
        raise PortalError(_l("Complete the items listed before sending the application."))
    vetting.submit_application(organization, actor, now=now)


# --- Live at once: capacity, opening hours, "still accurate" --------------------------------------


def set_capacity(
    service: Service, status: CapacityStatus, weeks: int | None, now: datetime | None = None
) -> None:
    """Record whether the service accepts referrals now, dated."""
    if status is CapacityStatus.WAITLIST and not weeks:
        raise PortalError(_l("Give the waiting time in weeks."), "weeks")
    service.capacity = status
    service.waitlist_weeks = weeks if status is CapacityStatus.WAITLIST else None
    service.capacity_updated_at = now or utcnow()
    db.session.flush()


def set_schedules(service: Service, periods: list[tuple[int, time, time]]) -> None:
    """Replace the weekly opening hours of service; each period opens before it closes."""
    for weekday, opens, closes in periods:
        if not 1 <= weekday <= 7:
            raise PortalError(_l("Choose a day of the week."))
        if opens >= closes:
            raise PortalError(_l("Each period must open before it closes."))
    service.schedules.clear()
    db.session.flush()
    for weekday, opens, closes in sorted(set(periods)):
        service.schedules.append(Schedule(weekday=weekday, opens_at=opens, closes_at=closes))
    db.session.flush()


CONFIRMABLE = frozenset({OrganizationStatus.APPROVED, OrganizationStatus.SUSPENDED})


def confirm_still_accurate(organization: Organization, actor: User, now=None) -> None:
    """The provider re-confirms its published profile: last verified is now."""
    if organization.status not in CONFIRMABLE:
        raise PortalError(_l("Only a published profile can be confirmed."))
    now = now or utcnow()
    organization.last_verified_at = now
    organization.stale_warning_sent_at = None
    organization.stale_notice_sent_at = None
    vetting.record_event(organization, EventAction.VERIFIED, actor, now=now)
    db.session.flush()


# --- Places: coordinates and region from the gazetteer, or by hand --------------------------------


def resolve_place(values: dict) -> dict:
    """values with municipality, coordinates and region completed from the gazetteer.

    Coordinates typed by hand (both of them) win; a region chosen by hand wins. An unknown
    municipality needs both coordinates and a region.
    """
    values = dict(values)
    lat, lon = values.get("latitude"), values.get("longitude")
    if (lat is None) != (lon is None):
        raise PortalError(_l("Give both the latitude and the longitude, or neither."), "latitude")
    place = find_municipality(values.get("municipality") or "")
    if place is not None:
        values["municipality"] = place.name
        if lat is None:
            values["latitude"], values["longitude"] = place.latitude, place.longitude
        values["region_code"] = values.get("region_code") or place.region_code
    elif lat is None or not values.get("region_code"):
        raise PortalError(
            _l(
                "This municipality is not in our list of Québec municipalities. Check its "
                "spelling, or enter its latitude, longitude and region by hand."
            ),
            "municipality",
        )
    if values.get("region_code") and db.session.get(Region, values["region_code"]) is None:
        raise PortalError(_l("Choose a region from the list."), "region_code")
    return values


# --- Colleagues -----------------------------------------------------------------------------------


def colleagues(organization: Organization) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.organization_id == organization.id, User.active.is_(True))
            .order_by(User.name, User.id)
        )
    )


def pending_invitations(organization: Organization) -> list[Invitation]:
    return list(
        db.session.scalars(
            accounts.pending_invitations_query().where(
                Invitation.organization_id == organization.id
            )
        )
    )


def invite_colleague(
    organization: Organization, actor: User, name: str, email: str, locale: str
) -> Invitation:
    """Invite someone to join the actor's own organisation as provider staff.

    The answer never tells whether the address has an account elsewhere (accounts.create_invitation
    with discreet=True): only a colleague already in this organisation, whom the actor sees in the
    list anyway, is pointed out.
    """
    colleague = accounts.find_user_by_email(email)
    if colleague is not None and colleague.organization_id == organization.id and colleague.active:
        raise PortalError(
            _l("This person already has access to your organisation's portal."), "email"
        )
    try:
        return accounts.create_invitation(
            name=name,
            email=email,
            role=Role.PROVIDER,
            organization=organization,
            invited_by=actor,
            locale=locale,
            discreet=True,
        )
    except accounts.AccountError as error:
        raise PortalError(str(error), error.field) from error


def remove_colleague(colleague: User, actor: User) -> None:
    """Take away a colleague's access (never one's own)."""
    if colleague.id == actor.id:
        raise PortalError(_l("You cannot remove your own access."))
    accounts.deactivate_user(colleague, actor)


def revoke_colleague_invitation(invitation: Invitation) -> None:
    try:
        accounts.revoke_invitation(invitation)
    except accounts.AccountError as error:
        raise PortalError(str(error)) from error


# --- Choices and lists for the pages --------------------------------------------------------------


def term_choices(taxonomy_code: str, locale: str) -> list[tuple[str, str]]:
    """Active terms of a taxonomy in its order; sub-terms are marked with a dash."""
    terms = db.session.scalars(
        select(TaxonomyTerm)
        .join(TaxonomyTerm.taxonomy)
        .where(TaxonomyTerm.active.is_(True), Taxonomy.code == taxonomy_code)
        .order_by(TaxonomyTerm.position, TaxonomyTerm.code)
    )
    return [(t.code, ("– " if t.code.count(".") > 1 else "") + t.label(locale)) for t in terms]


def region_choices(locale: str) -> list[tuple[str, str]]:
    regions = db.session.scalars(select(Region).order_by(Region.position, Region.code))
    return [(r.code, r.label(locale)) for r in regions]


def service_choices(organization: Organization, locale: str) -> dict:
    """Everything a service form offers to tick, for this organisation."""
    choices: dict[str, Sequence[tuple[int | str, str]]] = {
        code: term_choices(code, locale)
        for code in ("need", "population", "exploitation", "access")
    }
    choices["regions"] = region_choices(locale)
    choices["locations"] = [
        (place.id, ", ".join(filter(None, [place.name, place.address_1, place.municipality])))
        for place in locations_of(organization)
    ]
    return choices


def services_of(organization: Organization) -> list[Service]:
    return list(
        db.session.scalars(
            select(Service)
            .where(Service.organization_id == organization.id)
            .order_by(Service.name_fr, Service.id)
        )
    )


def locations_of(organization: Organization) -> list[Location]:
    return list(
        db.session.scalars(
            select(Location)
            .where(Location.organization_id == organization.id)
            .order_by(Location.name, Location.municipality, Location.id)
        )
    )


def proposals(organization: Organization, target) -> list[ProfileRevision]:
    """Pending or returned proposals of new services or places (target_id None)."""
    return [
        r
        for r in [
            *revisions.pending_revisions(organization),
            *revisions.returned_revisions(organization),
        ]
        if r.target is target and r.target_id is None
    ]
