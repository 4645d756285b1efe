"""An organisation's logo: a PNG or JPEG image its staff upload, one at a time.

It is shown wherever the organisation's page is (catalogue.services.get_organization_for
decides: an approved provider visible to the viewer, or the viewer's own organisation), and
answers 404 everywhere else. A new logo replaces the old one, whose file leaves the disk.

Once an organisation is listed, a new logo is public content like any other profile change: it
is kept aside as the pending logo (seen by the organisation's staff and administrators only)
until an administrator publishes it, or refuses it, which deletes it. The portal decides which
path a new logo takes (its edit mode); this module only keeps the files.
"""

from __future__ import annotations

from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from ..audit.services import Actor
from ..audit.services import record as audit
from ..extensions import db
from ..uploads import services as uploads
from ..uploads.models import OwnerKind, StoredFile
from .models import Organization

KIND = OwnerKind.ORGANIZATION_LOGO
PENDING = OwnerKind.PENDING_LOGO
uploads.register_owner(Organization, KIND)
uploads.register_owner(Organization, PENDING)


def logo_of(organization: Organization) -> StoredFile | None:
    found = uploads.files_of(KIND, organization.id)
    return found[-1] if found else None


def replace_logo(
    organization: Organization, upload: FileStorage | None, actor: Actor
) -> StoredFile:
    """The organisation's logo becomes this image (uploads.UploadError when refused)."""
    stored = uploads.replace_file(upload, KIND, organization.id, actor, uploads.IMAGES)
    audit(actor, "organization.logo_replace", "organization", organization.id)
    return stored


def remove_logo(organization: Organization, actor: Actor) -> bool:
    removed = uploads.delete_files_of(KIND, organization.id)
    if removed:
        audit(actor, "organization.logo_remove", "organization", organization.id)
    return bool(removed)


# --- A listed organisation's new logo, awaiting review --------------------------------------------


def pending_logo_of(organization: Organization) -> StoredFile | None:
    found = uploads.files_of(PENDING, organization.id)
    return found[-1] if found else None


def pending_logos() -> list[tuple[Organization, StoredFile]]:
    """Every organisation with a new logo awaiting review, the oldest proposal first."""
    rows = db.session.execute(
        select(Organization, StoredFile)
        .join(StoredFile, StoredFile.owner_id == Organization.id)
        .where(StoredFile.owner_kind == PENDING)
        .order_by(StoredFile.created_at, StoredFile.id)
    )
    return [(organization, stored) for organization, stored in rows]


def propose_logo(
    organization: Organization, upload: FileStorage | None, actor: Actor
) -> StoredFile:
    """Keep this image as the organisation's pending logo (the published one stays as it is)."""
    stored = uploads.replace_file(upload, PENDING, organization.id, actor, uploads.IMAGES)
    audit(actor, "organization.logo_propose", "organization", organization.id)
    return stored


def publish_pending_logo(organization: Organization, actor: Actor) -> StoredFile | None:
    """The pending logo becomes the organisation's logo; None when there is none to publish."""
    pending = pending_logo_of(organization)
    if pending is None:
        return None
    uploads.delete_files_of(KIND, organization.id)
    pending.owner_kind = KIND
    db.session.flush()
    audit(actor, "organization.logo_publish", "organization", organization.id)
    return pending


def refuse_pending_logo(organization: Organization, actor: Actor) -> bool:
    """Delete the pending logo (the published one stays); False when there was none."""
    removed = uploads.delete_files_of(PENDING, organization.id)
    if removed:
        audit(actor, "organization.logo_refuse", "organization", organization.id)
    return bool(removed)
