"""An organisation's logo: a PNG or JPEG image its staff upload, one at a time.

It is shown wherever the organisation's page is (catalogue.services.get_organization_for
decides: an approved provider visible to the viewer, or the viewer's own organisation), and
answers 404 everywhere else. A new logo replaces the old one, whose file leaves the disk.
"""

from __future__ import annotations

from werkzeug.datastructures import FileStorage

from ..accounts.models import User
from ..audit.services import record as audit
from ..uploads import services as uploads
from ..uploads.models import OwnerKind, StoredFile
from .models import Organization

KIND = OwnerKind.ORGANIZATION_LOGO
uploads.register_owner(Organization, KIND)


def logo_of(organization: Organization) -> StoredFile | None:
    found = uploads.files_of(KIND, organization.id)
    return found[-1] if found else None


def replace_logo(organization: Organization, upload: FileStorage | None, actor: User) -> StoredFile:
    """The organisation's logo becomes this image (uploads.UploadError when refused)."""
    stored = uploads.replace_file(upload, KIND, organization.id, actor, uploads.IMAGES)
    audit(actor, "organization.logo_replace", "organization", organization.id)
    return stored


def remove_logo(organization: Organization, actor: User) -> bool:
    removed = uploads.delete_files_of(KIND, organization.id)
    if removed:
        audit(actor, "organization.logo_remove", "organization", organization.id)
    return bool(removed)
