"""Profile changes: applied at once while a profile is a draft, reviewed once it is published.

A change is a payload of JSON-safe values in the shape of ``*_values()`` below. While the
organisation is a draft (or has changes requested), ``save_change`` applies it to the live rows.
Once it is approved (or suspended), the change becomes a pending ProfileRevision, one per target
object, that an administrator approves (``approve_revision``) or returns (``return_revision``).
Capacity, opening hours and the "still accurate" confirmation never go through here.
"""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from .. import signals
from ..accounts.models import User
from ..catalogue import logo as logos
from ..catalogue.models import (
    Location,
    Organization,
    OrganizationStatus,
    Region,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceLanguage,
    TaxonomyTerm,
    Visibility,
)
from ..database import utcnow
from ..errors import UserError
from ..extensions import db
from ..notifications.services import notify_admins, notify_organization
from .models import ProfileRevision, RevisionAction, RevisionStatus, RevisionTarget

S = OrganizationStatus
T = RevisionTarget


class EditMode(enum.Enum):
    DIRECT = "direct"  # edits change the live rows
    REVIEW = "review"  # edits become pending revisions
    LOCKED = "locked"  # no edits (under review, or rejected)


# Submitted applications are locked so that the team reviews what it approves; changes requested
# opens them again.
EDIT_MODES = {
    S.DRAFT: EditMode.DIRECT,
    S.CHANGES_REQUESTED: EditMode.DIRECT,
    S.SUBMITTED: EditMode.LOCKED,
    S.APPROVED: EditMode.REVIEW,
    S.SUSPENDED: EditMode.REVIEW,
    S.REJECTED: EditMode.LOCKED,
}


class RevisionError(UserError):
    """A change that cannot be made now; str(error) is shown to the user."""


def edit_mode(organization: Organization) -> EditMode:
    return EDIT_MODES[organization.status]


# --- Payloads: the live values of an object, and writing values back ------------------------------

ORGANIZATION_FIELDS = (
    "name",
    "alternate_name",
    "sector",
    "description_fr",
    "description_en",
    "email",
    "phone",
    "website",
    "visibility",
)
SERVICE_TEXT_FIELDS = (
    "name_fr",
    "name_en",
    "description_fr",
    "description_en",
    "eligibility_fr",
    "eligibility_en",
    "cost_fr",
    "cost_en",
    "person_text_fr",
    "person_text_en",
    "minimum_age",
    "maximum_age",
    "email",
    "url",
    "phone",
    "text_phone",
    "cost_kind",
    "is_24_7",
    "is_remote",
)
SERVICE_FIELDS = (*SERVICE_TEXT_FIELDS, "terms", "languages", "regions", "locations", "excluded")
LOCATION_FIELDS = (
    "name",
    "address_1",
    "postal_code",
    "municipality",
    "region_code",
    "latitude",
    "longitude",
    "is_confidential",
)
FIELDS = {
    T.ORGANIZATION: ORGANIZATION_FIELDS,
    T.SERVICE: SERVICE_FIELDS,
    T.LOCATION: LOCATION_FIELDS,
}


def organization_values(organization: Organization) -> dict:
    return {
        "name": organization.name,
        "alternate_name": organization.alternate_name,
        "sector": organization.sector.code if organization.sector else None,
        "description_fr": organization.description_fr,
        "description_en": organization.description_en,
        "email": organization.email,
        "phone": organization.phone,
        "website": organization.website,
        "visibility": organization.visibility.value,
    }


def service_values(service: Service) -> dict:
    values = {name: getattr(service, name) for name in SERVICE_TEXT_FIELDS}
    values["terms"] = [t.code for t in service.terms]
    values["excluded"] = [t.code for t in service.excluded_populations]
    values["languages"] = [lang.code for lang in service.languages]
    values["regions"] = [area.region_code for area in service.areas]
    values["locations"] = _location_ids(service) if service.id else []
    return values


def location_values(location: Location) -> dict:
    return {name: getattr(location, name) for name in LOCATION_FIELDS}


def _location_ids(service: Service) -> list[int]:
    return list(
        db.session.scalars(
            select(ServiceAtLocation.location_id)
            .where(ServiceAtLocation.service_id == service.id)
            .order_by(ServiceAtLocation.location_id)
        )
    )


def term_by_code(code: str | None) -> TaxonomyTerm | None:
    if not code:
        return None
    return db.session.scalar(select(TaxonomyTerm).where(TaxonomyTerm.code == code))


def apply_organization(organization: Organization, values: dict) -> None:
    for name in ORGANIZATION_FIELDS:
        if name not in values:
            continue
        if name == "sector":
            organization.sector = term_by_code(values["sector"])
        elif name == "visibility":
            organization.visibility = Visibility(values["visibility"])
        else:
            setattr(organization, name, values[name])


def apply_service(service: Service, values: dict) -> None:
    """Write values onto service (flushes: links to locations need the service's id)."""
    for name in SERVICE_TEXT_FIELDS:
        if name in values:
            setattr(service, name, values[name])
    if "terms" in values:
        codes = list(dict.fromkeys(values["terms"]))
        found = (
            db.session.scalars(select(TaxonomyTerm).where(TaxonomyTerm.code.in_(codes))).all()
            if codes
            else []
        )
        service.terms = sorted(found, key=lambda t: (t.position, t.code))
    if "excluded" in values:
        codes = list(dict.fromkeys(values["excluded"] or []))
        found = (
            db.session.scalars(
                select(TaxonomyTerm).where(
                    TaxonomyTerm.code.in_(codes), TaxonomyTerm.code.startswith("population.")
                )
            ).all()
            if codes
            else []
        )
        service.excluded_populations = sorted(found, key=lambda t: (t.position, t.code))
    if "languages" in values:
        _replace_children(service.languages, values["languages"], "code", ServiceLanguage)
    if "regions" in values:
        known = set(db.session.scalars(select(Region.code)))
        regions = [code for code in values["regions"] if code in known]
        _replace_children(service.areas, regions, "region_code", ServiceArea)
    if service.id is None:
        db.session.add(service)
    db.session.flush()
    if "locations" in values:
        _replace_locations(service, values["locations"])


def _replace_children(rows: list, wanted: list[str], attribute: str, model) -> None:
    """Keep rows still wanted, drop the others, add the new ones (never delete-then-reinsert)."""
    wanted = list(dict.fromkeys(wanted))
    for row in [r for r in rows if getattr(r, attribute) not in wanted]:
        rows.remove(row)
    present = {getattr(r, attribute) for r in rows}
    for value in wanted:
        if value not in present:
            rows.append(model(**{attribute: value}))


def _replace_locations(service: Service, location_ids: list[int]) -> None:
    own = set(
        db.session.scalars(
            select(Location.id).where(Location.organization_id == service.organization_id)
        )
    )
    wanted = {int(i) for i in location_ids} & own
    current = set(_location_ids(service))
    if current - wanted:
        db.session.execute(
            delete(ServiceAtLocation).where(
                ServiceAtLocation.service_id == service.id,
                ServiceAtLocation.location_id.in_(current - wanted),
            )
        )
    for location_id in sorted(wanted - current):
        db.session.add(ServiceAtLocation(service_id=service.id, location_id=location_id))
    db.session.flush()
    db.session.expire(service, ["locations"])


def apply_location(location: Location, values: dict) -> None:
    for name in LOCATION_FIELDS:
        if name in values:
            setattr(location, name, values[name])


def delete_service(service: Service) -> None:
    db.session.execute(delete(ServiceAtLocation).where(ServiceAtLocation.service_id == service.id))
    db.session.delete(service)


def delete_location(location: Location) -> None:
    linked = db.session.scalars(
        select(ServiceAtLocation).where(ServiceAtLocation.location_id == location.id)
    ).all()
    for link in linked:  # through the ORM, so the search index hears about those services
        db.session.delete(link)
    db.session.delete(location)


# --- Saving a change ------------------------------------------------------------------------------


def target_object(organization_id: int, target: RevisionTarget, target_id: int | None):
    """The live object a change is about, only if it belongs to the organisation."""
    if target_id is None:
        return None
    model = {T.ORGANIZATION: Organization, T.SERVICE: Service, T.LOCATION: Location}[target]
    obj = db.session.get(model, target_id)
    owner = obj.id if isinstance(obj, Organization) else getattr(obj, "organization_id", None)
    return obj if obj is not None and owner == organization_id else None


def _apply(organization: Organization, target, action, values: dict, obj, now: datetime):
    """Make the change live; returns the object created or changed (None for a delete)."""
    if action is RevisionAction.DELETE:
        if target is T.SERVICE:
            delete_service(obj)
        elif target is T.LOCATION:
            delete_location(obj)
        else:
            raise RevisionError(_l("An organisation cannot be deleted this way."))
        db.session.flush()
        return None
    if action is RevisionAction.CREATE:
        if target is T.SERVICE:
            obj = Service(organization_id=organization.id, capacity_updated_at=now)
        elif target is T.LOCATION:
            obj = Location(organization_id=organization.id)
        else:
            raise RevisionError(_l("An organisation cannot be created this way."))
        db.session.add(obj)
    if target is T.ORGANIZATION:
        apply_organization(obj, values)
    elif target is T.SERVICE:
        apply_service(obj, values)
    else:
        apply_location(obj, values)
    db.session.flush()
    return obj


def pending_for(organization: Organization, target: RevisionTarget, target_id: int):
    """The pending revision of one live object, if there is one."""
    return db.session.scalar(
        select(ProfileRevision).where(
            ProfileRevision.organization_id == organization.id,
            ProfileRevision.target == target,
            ProfileRevision.target_id == target_id,
            ProfileRevision.status == RevisionStatus.PENDING,
        )
    )


def save_change(
    organization: Organization,
    target: RevisionTarget,
    action: RevisionAction,
    values: dict,
    actor: User,
    obj=None,
    now: datetime | None = None,
) -> ProfileRevision | None:
    """Apply the change now (draft profile) or file it for review (published profile).

    Returns the pending revision when the change awaits review, None when it is live already.
    obj is the live object for an update or a delete.
    """
    now = now or utcnow()
    mode = edit_mode(organization)
    if mode is EditMode.LOCKED:
        raise RevisionError(_l("The profile cannot be changed in its current status."))
    if action is not RevisionAction.CREATE and obj is None:
        raise RevisionError(_l("This object no longer exists."))
    if mode is EditMode.DIRECT:
        _apply(organization, target, action, values, obj, now)
        return None
    payload = {} if action is RevisionAction.DELETE else _clean(target, values)
    revision = pending_for(organization, target, obj.id) if obj is not None else None
    if action is RevisionAction.UPDATE and _same(payload, _clean(target, values_of(target, obj))):
        if revision is not None:  # back to the published values: nothing left to review
            _withdraw(revision, now)
        return None
    if revision is not None:
        return _amend(revision, action, payload, now)
    return _file_revision(organization, target, action, payload, actor, obj, now)


def _withdraw(revision: ProfileRevision, now: datetime) -> None:
    revision.status = RevisionStatus.WITHDRAWN
    revision.updated_at = now
    db.session.flush()


def _amend(
    revision: ProfileRevision, action: RevisionAction, payload: dict, now: datetime
) -> ProfileRevision:
    """The pending revision now proposes this change instead of its earlier one."""
    revision.action = action
    revision.payload = payload
    revision.updated_at = now
    db.session.flush()
    return revision


def _file_revision(
    organization: Organization,
    target: RevisionTarget,
    action: RevisionAction,
    payload: dict,
    actor: User,
    obj,
    now: datetime,
) -> ProfileRevision:
    """A new pending revision, announced to the administrators who review it."""
    revision = ProfileRevision(
        organization_id=organization.id,
        target=target,
        target_id=obj.id if obj is not None else None,
        action=action,
        payload=payload,
        status=RevisionStatus.PENDING,
        created_by_id=actor.id,
        created_at=now,
        updated_at=now,
    )
    db.session.add(revision)
    db.session.flush()
    _announce(organization, revision, actor, now)
    return revision


def update_proposal(revision: ProfileRevision, values: dict, actor: User, now=None):
    """Change a proposed new service or location; a returned one is proposed again, anew."""
    now = now or utcnow()
    organization = revision.organization
    if (
        edit_mode(organization) is not EditMode.REVIEW
        or revision.action is not RevisionAction.CREATE
    ):
        raise RevisionError(_l("This proposal can no longer be changed."))
    if revision.status is RevisionStatus.PENDING:
        revision.payload = _clean(revision.target, values)
        revision.updated_at = now
        db.session.flush()
        return revision
    if revision.status is RevisionStatus.RETURNED:
        return save_change(
            organization, revision.target, RevisionAction.CREATE, values, actor, now=now
        )
    raise RevisionError(_l("This proposal can no longer be changed."))


def _clean(target: RevisionTarget, values: dict) -> dict:
    return {name: values.get(name) for name in FIELDS[target]}


def _same(proposed: dict, live: dict) -> bool:
    """Whether two payloads hold the same values (lists compared as sets of values)."""

    def normal(value):
        return sorted(map(str, value)) if isinstance(value, list) else value

    return all(normal(proposed[name]) == normal(live[name]) for name in proposed)


def values_of(target: RevisionTarget, obj) -> dict:
    if target is T.ORGANIZATION:
        return organization_values(obj)
    if target is T.SERVICE:
        return service_values(obj)
    return location_values(obj)


def _announce(organization: Organization, revision: ProfileRevision, actor: User, now) -> None:
    signals.revision_submitted.send(organization, actor=actor, revision=revision, now=now)
    db.session.flush()
    notify_admins(
        "revision_submitted",
        endpoint="vetting.revision",
        endpoint_args={"revision_id": revision.id},
        organization=organization.name,
    )


def save_logo(organization: Organization, upload, actor: User) -> bool:
    """A new logo: live at once while the profile is a draft, reviewed once it is published
    (kept aside as the pending logo, administrators told). Returns whether it awaits review;
    uploads.UploadError when the file is refused."""
    mode = edit_mode(organization)
    if mode is EditMode.LOCKED:
        raise RevisionError(_l("The profile cannot be changed in its current status."))
    if mode is EditMode.DIRECT:
        logos.replace_logo(organization, upload, actor)
        return False
    logos.propose_logo(organization, upload, actor)
    notify_admins(
        "logo_submitted",
        endpoint="vetting.review",
        endpoint_args={"organization_id": organization.id},
        organization=organization.name,
    )
    return True


def decide_logo(organization: Organization, publish: bool, actor: User) -> None:
    """An administrator publishes the pending logo or refuses it; the organisation is told."""
    done = (
        logos.publish_pending_logo(organization, actor)
        if publish
        else logos.refuse_pending_logo(organization, actor)
    )
    if not done:
        raise RevisionError(_l("No new logo awaits review."))
    notify_organization(
        organization.id,
        "logo_published" if publish else "logo_refused",
        endpoint="portal.edit_organization",
        organization=organization.name,
    )


# --- Reading and deciding -------------------------------------------------------------------------


def pending_revisions(organization: Organization) -> list[ProfileRevision]:
    """The organisation's revisions awaiting review, oldest first."""
    return list(
        db.session.scalars(
            select(ProfileRevision)
            .where(
                ProfileRevision.organization_id == organization.id,
                ProfileRevision.status == RevisionStatus.PENDING,
            )
            .order_by(ProfileRevision.created_at, ProfileRevision.id)
        )
    )


def returned_revisions(organization: Organization) -> list[ProfileRevision]:
    """Returned revisions not yet followed by another proposal for the same object."""
    rows = db.session.scalars(
        select(ProfileRevision)
        .where(ProfileRevision.organization_id == organization.id)
        .order_by(ProfileRevision.created_at.desc(), ProfileRevision.id.desc())
    ).all()
    seen: set[tuple] = set()
    returned = []
    for revision in rows:
        key = (revision.target, revision.target_id if revision.target_id else f"new{revision.id}")
        if key in seen:
            continue
        seen.add(key)
        if revision.status is RevisionStatus.RETURNED:
            returned.append(revision)
    return returned


def _require_pending(revision: ProfileRevision) -> None:
    if revision.status is not RevisionStatus.PENDING:
        raise RevisionError(_l("This change is no longer awaiting review."))


def approve_revision(
    revision: ProfileRevision, actor: User, now: datetime | None = None
) -> ProfileRevision:
    """Make the proposed change live, record who approved it and tell the organisation."""
    _require_pending(revision)
    now = now or utcnow()
    organization = revision.organization
    obj = target_object(organization.id, revision.target, revision.target_id)
    if revision.action is not RevisionAction.CREATE and obj is None:
        raise RevisionError(_l("This object no longer exists."))
    created = _apply(organization, revision.target, revision.action, revision.payload, obj, now)
    if revision.action is RevisionAction.CREATE:
        revision.target_id = created.id
    revision.status = RevisionStatus.APPROVED
    revision.decided_by_id = actor.id
    revision.decided_at = now
    signals.revision_approved.send(organization, actor=actor, revision=revision, now=now)
    db.session.flush()
    notify_organization(
        organization.id,
        "revision_approved",
        endpoint="portal.dashboard",
        organization=organization.name,
    )
    return revision


def return_revision(
    revision: ProfileRevision, actor: User, message: str, now: datetime | None = None
) -> ProfileRevision:
    """Send the change back with a message; the live profile stays as it was."""
    _require_pending(revision)
    message = (message or "").strip()
    if not message:
        raise RevisionError(_l("Please write a message; the organisation will read it."))
    now = now or utcnow()
    organization = revision.organization
    revision.status = RevisionStatus.RETURNED
    revision.message = message
    revision.decided_by_id = actor.id
    revision.decided_at = now
    signals.revision_returned.send(
        organization, actor=actor, revision=revision, message=message, now=now
    )
    db.session.flush()
    notify_organization(
        organization.id,
        "revision_returned",
        endpoint="portal.dashboard",
        organization=organization.name,
    )
    return revision


def withdraw_revision(revision: ProfileRevision, actor: User, now: datetime | None = None) -> None:
    """The organisation takes back its own pending change."""
    _require_pending(revision)
    revision.status = RevisionStatus.WITHDRAWN
    revision.updated_at = now or utcnow()
    db.session.flush()
