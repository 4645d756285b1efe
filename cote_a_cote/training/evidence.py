"""Training evidence: a certificate provider staff attach to a completion declared from elsewhere.

The file belongs to the declared record (uploads.OwnerKind.TRAINING_EVIDENCE, owner id = the
record's id). An administrator reads it before confirming the declaration (which then counts for
"trained") or refusing it with a reason. Only the staff member's own organisation and
administrators may download it. It leaves the disk with its record: when the record is deleted or
withdrawn, and when the staff member, their organisation or the module goes (the database's
cascade removes the record; the owners registered below remove the file).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage

from ..accounts.models import User
from ..audit.services import record as audit
from ..catalogue.models import Organization
from ..extensions import db
from ..uploads import services as uploads
from ..uploads.models import OwnerKind, StoredFile
from .models import TrainingModule, TrainingRecord
from .services import declare_completion

KIND = OwnerKind.TRAINING_EVIDENCE


def _records_of_user(session: Session, user: User) -> list[int]:
    return list(session.scalars(select(TrainingRecord.id).where(TrainingRecord.user_id == user.id)))


def _records_of_organization(session: Session, organization: Organization) -> list[int]:
    return list(
        session.scalars(
            select(TrainingRecord.id)
            .join(User, User.id == TrainingRecord.user_id)
            .where(User.organization_id == organization.id)
        )
    )


def _records_of_module(session: Session, module: TrainingModule) -> list[int]:
    return list(
        session.scalars(select(TrainingRecord.id).where(TrainingRecord.module_id == module.id))
    )


uploads.register_owner(TrainingRecord, KIND)
uploads.register_owner(User, KIND, _records_of_user)
uploads.register_owner(Organization, KIND, _records_of_organization)
uploads.register_owner(TrainingModule, KIND, _records_of_module)


def evidence_of(record: TrainingRecord) -> StoredFile | None:
    found = uploads.files_of(KIND, record.id)
    return found[-1] if found else None


def evidence_for(records) -> dict[int, StoredFile]:
    """Each record's evidence file, by record id, in one query (records without one are absent)."""
    ids = [r.id for r in records]
    if not ids:
        return {}
    found = db.session.scalars(
        select(StoredFile)
        .where(StoredFile.owner_kind == KIND, StoredFile.owner_id.in_(ids))
        .order_by(StoredFile.id)
    )
    return {stored.owner_id: stored for stored in found}


def attach_evidence(record: TrainingRecord, upload: FileStorage | None, actor: User) -> StoredFile:
    """The record's evidence becomes this PDF, PNG or JPEG file (uploads.UploadError if refused)."""
    stored = uploads.replace_file(upload, KIND, record.id, actor, uploads.DOCUMENTS)
    audit(actor, "training.evidence_add", "training_record", record.id)
    return stored


def declare_with_evidence(
    user: User,
    module: TrainingModule,
    completed_on: date,
    actor: User,
    evidence_note: str | None = None,
    upload: FileStorage | None = None,
    now: datetime | None = None,
) -> TrainingRecord:
    """Declare a completion (services.declare_completion) and attach its certificate, if any.

    The file is checked before anything is written, so a refused file leaves no declaration.
    """
    if upload is not None and upload.filename:
        uploads.check_upload(upload, uploads.DOCUMENTS)
    record = declare_completion(user, module, completed_on, actor, evidence_note, now)
    if upload is not None and upload.filename:
        attach_evidence(record, upload, actor)
    return record
