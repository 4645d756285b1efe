"""A file someone uploaded, stored on disk under a generated name and owned by one object."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..database import UTCDateTime, enum_column, utcnow
from ..extensions import Model


class OwnerKind(enum.Enum):
    """What a file belongs to; the owner's id is StoredFile.owner_id."""

    MODULE_MATERIAL = "module_material"  # a training module's downloadable material
    ORGANIZATION_LOGO = "organization_logo"  # an organisation's logo (one at a time)
    PENDING_LOGO = "pending_logo"  # a listed organisation's new logo, awaiting review
    TRAINING_EVIDENCE = "training_evidence"  # a certificate for a declared training record


class StoredFile(Model):
    """The facts about an uploaded file; its bytes are in UPLOAD_DIR under storage_name.

    The content type is the one the first bytes proved, never what the browser claimed, and
    the name on disk is random: the person's file name is only ever shown, never used as a path.
    """

    __tablename__ = "stored_file"
    __table_args__ = (Index("ix_stored_file_owner", "owner_kind", "owner_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_kind: Mapped[OwnerKind] = mapped_column(enum_column(OwnerKind))
    owner_id: Mapped[int] = mapped_column(Integer)
    original_name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(60))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_name: Mapped[str] = mapped_column(String(64), unique=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
