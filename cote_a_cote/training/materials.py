"""A module's materials: files administrators attach, provider staff download.

The files themselves are the uploads package's (checked from their first bytes, stored under
random names outside the static folder); deleting a material, or the module, removes its file.
"""

from __future__ import annotations

from werkzeug.datastructures import FileStorage

from ..accounts.models import User
from ..audit.services import record as audit
from ..uploads import services as uploads
from ..uploads.models import OwnerKind, StoredFile
from .models import TrainingModule

KIND = OwnerKind.MODULE_MATERIAL
uploads.register_owner(TrainingModule, KIND)


def materials_of(module: TrainingModule) -> list[StoredFile]:
    return uploads.files_of(KIND, module.id)


def material_of(module: TrainingModule, file_id: int) -> StoredFile | None:
    """The material if it is this module's (None otherwise, for a 404)."""
    return uploads.file_of_or_none(KIND, module.id, file_id)


def add_material(module: TrainingModule, upload: FileStorage | None, actor: User) -> StoredFile:
    """Attach a PDF, PNG or JPEG file to the module (uploads.UploadError when refused)."""
    stored = uploads.save_upload(upload, KIND, module.id, actor, uploads.DOCUMENTS)
    audit(actor, "training.material_add", "training_module", module.id)
    return stored


def delete_material(material: StoredFile, actor: User) -> None:
    module_id = material.owner_id
    uploads.delete_file(material)
    audit(actor, "training.material_delete", "training_module", module_id)
