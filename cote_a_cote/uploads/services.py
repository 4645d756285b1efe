"""Checking, storing, serving and removing uploaded files.

- The type is decided by the file's first bytes (PDF, PNG, JPEG), never by its name or by what
  the browser claims; SVG and everything else is refused (an SVG can carry script).
- The size is counted while reading, against UPLOAD_MAX_BYTES; an empty file is refused.
- The bytes go to UPLOAD_DIR (under instance/, outside the static folder) under a random name;
  the person's file name is cleaned and only used as the name offered on download.
- Disk and database move together: a file written in a transaction that rolls back is removed,
  and a deleted file leaves the disk only once the deletion is committed. Deleting an owner
  registered with register_owner (a module, an organisation) deletes its files with it.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import unicodedata
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import Any, TypeVar

from flask import abort, send_file
from flask_babel import gettext as _
from sqlalchemy import event, select
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage

from ..config import settings
from ..errors import UserError
from ..extensions import db
from .models import OwnerKind, StoredFile

PDF, PNG, JPEG = "application/pdf", "image/png", "image/jpeg"
# content type -> (first bytes, extension on disk and in the download name, label)
KINDS = {
    PDF: (b"%PDF-", ".pdf", "PDF"),
    PNG: (b"\x89PNG\r\n\x1a\n", ".png", "PNG"),
    JPEG: (b"\xff\xd8\xff", ".jpg", "JPEG"),
}
DOCUMENTS = (PDF, PNG, JPEG)
IMAGES = (PNG, JPEG)
NAME_MAX = 200
CHUNK = 64 * 1024
# What a file response may do in a browser: nothing (no script, no plug-in, no frame).
FILE_POLICY = "default-src 'none'; img-src 'self'; sandbox"

_PENDING_REMOVALS = "uploads.remove_on_commit"
_WRITTEN = "uploads.remove_on_rollback"
# model -> [(kind of file, the owner ids of that kind an instance stands for)]
Owner = TypeVar("Owner")
# The callables take an instance of their key's model: Any stands for that model.
_OWNERS: dict[type, list[tuple[OwnerKind, Callable[[Session, Any], list[int]] | None]]] = {}


class UploadError(UserError):
    """A file that cannot be accepted, with the message to show on the form's field."""


def max_bytes() -> int:
    return settings().upload_max_bytes


def megabytes(size: int) -> str:
    """A size for people: '5 MB' (one decimal when it is not whole)."""
    value = size / (1024 * 1024)
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def sniff(head: bytes) -> str | None:
    """The content type the first bytes prove, or None."""
    for content_type, (magic, _extension, _label) in KINDS.items():
        if head.startswith(magic):
            return content_type
    return None


def clean_name(filename: str | None, content_type: str) -> str:
    """The person's file name made safe to show and to offer on download.

    No folders, no control or reserved characters, at most NAME_MAX characters, and always the
    extension of the type the bytes proved (a PDF called page.html is offered as page.pdf).
    """
    extension = KINDS[content_type][1]
    name = unicodedata.normalize("NFC", filename or "")
    name = re.split(r"[\\/]", name)[-1]
    name = re.sub(r'[\x00-\x1f\x7f-\x9f<>:"|?*;]', "", name)
    name = re.sub(r"\s+", " ", name).strip().lstrip(".")
    stem = name.rsplit(".", 1)[0].strip() if "." in name else name
    stem = stem[: NAME_MAX - len(extension)].strip() or _("file")
    return stem + extension


def _describe(allowed: tuple[str, ...]) -> str:
    labels = [KINDS[t][2] for t in allowed]
    return _("%(first)s or %(last)s", first=", ".join(labels[:-1]), last=labels[-1])


def _measure(storage: FileStorage, limit: int) -> tuple[bytes, int, str]:
    """The first bytes, the size and the SHA-256 of the upload, stopping past the limit."""
    stream = storage.stream
    stream.seek(0)
    digest = hashlib.sha256()
    head = b""
    size = 0
    while chunk := stream.read(CHUNK):
        if not head:
            head = chunk[:16]
        size += len(chunk)
        if size > limit:
            raise UploadError(
                _(
                    "The file is too large: at most %(limit)s MB is accepted. Choose a smaller "
                    "file.",
                    limit=megabytes(limit),
                )
            )
        digest.update(chunk)
    stream.seek(0)
    return head, size, digest.hexdigest()


def _chosen_file(storage: FileStorage | None) -> FileStorage:
    """storage when the person chose a file; UploadError otherwise."""
    if not isinstance(storage, FileStorage) or not storage.filename:
        raise UploadError(_("Choose a file."))
    return storage


def check_upload(storage: FileStorage | None, allowed: tuple[str, ...]) -> tuple[str, int, str]:
    """(content type, size, sha256) of an acceptable upload; UploadError otherwise."""
    head, size, sha256 = _measure(_chosen_file(storage), max_bytes())
    if size == 0:
        raise UploadError(_("The file is empty. Choose another file."))
    content_type = sniff(head)
    if content_type not in allowed:
        raise UploadError(
            _(
                "This file is not of an accepted type: only %(kinds)s files are accepted "
                "(checked from the file's content, not its name).",
                kinds=_describe(allowed),
            )
        )
    return content_type, size, sha256


def upload_dir() -> Path:
    folder = Path(settings().upload_dir)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def path_of(stored: StoredFile) -> Path:
    # storage_name is ours (hex and an extension): never a path the person chose.
    return Path(settings().upload_dir) / stored.storage_name


def save_upload(
    storage: FileStorage | None,
    owner_kind: OwnerKind,
    owner_id: int,
    actor=None,
    allowed: tuple[str, ...] = DOCUMENTS,
) -> StoredFile:
    """Check the upload, write it under a random name and add its record (flushed, not
    committed; a rollback removes the written file)."""
    upload = _chosen_file(storage)
    content_type, size, sha256 = check_upload(upload, allowed)
    storage_name = secrets.token_hex(16) + KINDS[content_type][1]
    target = upload_dir() / storage_name
    with open(target, "xb") as out:  # a fresh name: never overwrite
        upload.stream.seek(0)
        while chunk := upload.stream.read(CHUNK):
            out.write(chunk)
    os.chmod(target, 0o600)
    db.session.info.setdefault(_WRITTEN, []).append(str(target))
    stored = StoredFile(
        owner_kind=owner_kind,
        owner_id=owner_id,
        original_name=clean_name(upload.filename, content_type),
        content_type=content_type,
        size=size,
        sha256=sha256,
        storage_name=storage_name,
        uploaded_by_id=getattr(actor, "id", None),
    )
    db.session.add(stored)
    db.session.flush()
    return stored


def files_of(owner_kind: OwnerKind, owner_id: int) -> list[StoredFile]:
    return list(
        db.session.scalars(
            select(StoredFile)
            .where(StoredFile.owner_kind == owner_kind, StoredFile.owner_id == owner_id)
            .order_by(StoredFile.created_at, StoredFile.id)
        )
    )


def file_of_or_none(owner_kind: OwnerKind, owner_id: int, file_id: int) -> StoredFile | None:
    """The file if it belongs to that owner (so a loader can answer 404 otherwise)."""
    stored = db.session.get(StoredFile, file_id)
    if stored is None or stored.owner_kind is not owner_kind or stored.owner_id != owner_id:
        return None
    return stored


def delete_file(stored: StoredFile, session: Session | None = None) -> None:
    """Delete the record now; the bytes leave the disk when the deletion is committed."""
    deleting = session if session is not None else db.session
    deleting.info.setdefault(_PENDING_REMOVALS, []).append(str(path_of(stored)))
    deleting.delete(stored)


def delete_files_of(owner_kind: OwnerKind, owner_id: int) -> int:
    found = files_of(owner_kind, owner_id)
    for stored in found:
        delete_file(stored)
    return len(found)


def replace_file(
    storage: FileStorage | None, owner_kind: OwnerKind, owner_id: int, actor=None, allowed=IMAGES
) -> StoredFile:
    """The owner's only file of that kind becomes the new one; the old ones are deleted."""
    previous = files_of(owner_kind, owner_id)
    stored = save_upload(storage, owner_kind, owner_id, actor, allowed)
    for old in previous:
        delete_file(old)
    return stored


def send_stored(stored: StoredFile):
    """The file with the type its bytes proved. PDFs are always downloaded (a browser's PDF
    viewer runs the document's scripts); images are shown inline, only as images."""
    path = path_of(stored)
    if not path.is_file():
        abort(404)  # the record outlived its bytes (a restore without the upload folder)
    # Read whole (at most UPLOAD_MAX_BYTES): no file handle left open once the response is sent.
    response = send_file(
        BytesIO(path.read_bytes()),
        mimetype=stored.content_type,
        as_attachment=not stored.is_image,
        download_name=stored.original_name,
        etag=stored.sha256,
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["Content-Security-Policy"] = FILE_POLICY
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


# --- Owners: deleting one deletes its files ---------------------------------------------------


def register_owner(
    model: type[Owner],
    owner_kind: OwnerKind,
    owner_ids: Callable[[Session, Owner], list[int]] | None = None,
) -> None:
    """Deleting an instance of model (through the session) deletes its files of owner_kind.

    owner_ids(session, instance) names the owners the instance takes with it when they are not
    the instance itself (a staff member's training records, removed by the database's cascade).
    """
    _OWNERS.setdefault(model, []).append((owner_kind, owner_ids))


def _owners_going(session: Session) -> list[tuple[OwnerKind, int]]:
    found: list[tuple[OwnerKind, int]] = []
    for obj in session.deleted:
        if obj.id is None:
            continue
        for owner_kind, owner_ids in _OWNERS.get(type(obj), ()):
            ids = [obj.id] if owner_ids is None else owner_ids(session, obj)
            found.extend((owner_kind, owner_id) for owner_id in ids)
    return found


@event.listens_for(Session, "before_flush")
def _delete_files_of_deleted_owners(session: Session, flush_context, instances) -> None:
    if not any(type(obj) in _OWNERS for obj in session.deleted):
        return
    with session.no_autoflush:
        for owner_kind, owner_id in _owners_going(session):
            for stored in session.scalars(
                select(StoredFile).where(
                    StoredFile.owner_kind == owner_kind, StoredFile.owner_id == owner_id
                )
            ):
                delete_file(stored, session)


def _unlink(paths: list[str]) -> None:
    for path in paths:
        Path(path).unlink(missing_ok=True)


@event.listens_for(Session, "after_commit")
def _remove_deleted_files(session: Session) -> None:
    session.info.pop(_WRITTEN, None)
    _unlink(session.info.pop(_PENDING_REMOVALS, []))


@event.listens_for(Session, "after_transaction_end")
def _remove_unsaved_files(session: Session, transaction) -> None:
    # The outer transaction ended without a commit (rolled back, or the session closed, as at
    # the end of a request that failed): files written in it go, files deleted in it stay.
    if transaction.parent is not None:
        return
    session.info.pop(_PENDING_REMOVALS, None)
    _unlink(session.info.pop(_WRITTEN, []))
