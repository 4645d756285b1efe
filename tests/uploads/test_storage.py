"""Uploaded files as the uploads package keeps them: checked from their first bytes, stored
under random names outside the static folder, removed with their owner (issue 17 §2). Messages
are matched in French, the default language."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import select

from cote_a_cote.extensions import db
from cote_a_cote.training.models import TrainingModule
from cote_a_cote.training.seeding import load_training_modules
from cote_a_cote.uploads import services as uploads
from cote_a_cote.uploads.models import OwnerKind, StoredFile
from tests.uploads.files import JPEG, PDF, SVG, TEXT, png, upload

MB = 1024 * 1024


@pytest.fixture
def module(app) -> TrainingModule:
    load_training_modules()
    db.session.commit()
    return db.session.scalars(select(TrainingModule).order_by(TrainingModule.id)).first()


def _files(app) -> list[Path]:
    folder = Path(app.config["UPLOAD_DIR"])
    return sorted(folder.iterdir()) if folder.exists() else []


def test_the_limits_are_five_megabytes_for_a_file_and_one_for_every_other_body(app):
    assert app.config["UPLOAD_MAX_BYTES"] == 5 * MB
    assert app.config["UPLOAD_REQUEST_MAX_BYTES"] == 10 * MB
    assert app.config["MAX_CONTENT_LENGTH"] == 1 * MB


@pytest.mark.parametrize(
    ("content", "expected"),
    [(PDF, uploads.PDF), (png(), uploads.PNG), (JPEG, uploads.JPEG), (SVG, None), (TEXT, None)],
)
def test_the_type_comes_from_the_first_bytes(content, expected):
    assert uploads.sniff(content[:16]) == expected


def test_a_pdf_is_stored_under_a_random_name_with_its_facts(app, module):
    stored = uploads.save_upload(
        upload(PDF, "../../Guide d’accueil.html"), OwnerKind.MODULE_MATERIAL, module.id
    )
    db.session.commit()
    path = uploads.path_of(stored)
    assert path.read_bytes() == PDF
    assert path.parent == Path(app.config["UPLOAD_DIR"])
    assert "static" not in path.parts
    assert "Guide" not in stored.storage_name and len(stored.storage_name) == 36  # 32 hex + .pdf
    # The person's name is cleaned and given the extension of what the bytes are.
    assert stored.original_name == "Guide d’accueil.pdf"
    assert stored.content_type == "application/pdf"
    assert stored.size == len(PDF)
    assert stored.sha256 == hashlib.sha256(PDF).hexdigest()


@pytest.mark.parametrize(
    ("content", "name"),
    [(TEXT, "photo.png"), (SVG, "logo.svg"), (SVG, "logo.png"), (b"<html>", "page.pdf")],
)
def test_a_file_whose_bytes_are_not_pdf_png_or_jpeg_is_refused(app, module, content, name):
    with pytest.raises(uploads.UploadError, match="n’est pas accepté"):
        uploads.save_upload(upload(content, name), OwnerKind.MODULE_MATERIAL, module.id)
    assert _files(app) == []
    assert db.session.scalars(select(StoredFile)).all() == []


def test_a_pdf_is_refused_where_only_images_are_accepted(app, module):
    with pytest.raises(uploads.UploadError, match="seuls les fichiers PNG ou JPEG"):
        uploads.save_upload(upload(PDF), OwnerKind.ORGANIZATION_LOGO, 1, allowed=uploads.IMAGES)


def test_an_empty_file_and_no_file_are_refused(app, module):
    with pytest.raises(uploads.UploadError, match="Le fichier est vide"):
        uploads.save_upload(upload(b"", "vide.pdf"), OwnerKind.MODULE_MATERIAL, module.id)
    with pytest.raises(uploads.UploadError, match="Choisissez un fichier"):
        uploads.save_upload(None, OwnerKind.MODULE_MATERIAL, module.id)
    assert _files(app) == []


def test_the_size_limit_is_exact(app, module):
    at_limit = PDF + b"0" * (5 * MB - len(PDF))
    stored = uploads.save_upload(upload(at_limit), OwnerKind.MODULE_MATERIAL, module.id)
    assert stored.size == 5 * MB
    with pytest.raises(uploads.UploadError, match="trop volumineux : au plus 5 Mo"):
        uploads.save_upload(upload(at_limit + b"0"), OwnerKind.MODULE_MATERIAL, module.id)


def test_a_rolled_back_upload_leaves_no_file(app, module):
    uploads.save_upload(upload(PDF), OwnerKind.MODULE_MATERIAL, module.id)
    assert len(_files(app)) == 1
    db.session.rollback()
    assert _files(app) == []


def test_an_upload_never_committed_leaves_no_file_when_the_session_ends(app, module):
    uploads.save_upload(upload(PDF), OwnerKind.MODULE_MATERIAL, module.id)
    assert len(_files(app)) == 1
    db.session.remove()  # what the end of a request does when nothing was committed
    assert _files(app) == []


def test_a_deleted_file_leaves_the_disk_when_the_deletion_is_committed(app, module):
    stored = uploads.save_upload(upload(PDF), OwnerKind.MODULE_MATERIAL, module.id)
    db.session.commit()
    path = uploads.path_of(stored)
    uploads.delete_file(stored)
    db.session.rollback()  # changed one's mind: the file is still there
    assert path.exists()
    uploads.delete_file(db.session.get(StoredFile, stored.id))
    assert path.exists()
    db.session.commit()
    assert not path.exists()
    assert db.session.get(StoredFile, stored.id) is None


def test_deleting_a_module_deletes_its_materials(app, module):
    from cote_a_cote.training import materials

    kept_module = db.session.scalars(
        select(TrainingModule).where(TrainingModule.id != module.id)
    ).first()
    gone = materials.add_material(module, upload(PDF), None)
    kept = materials.add_material(kept_module, upload(PDF), None)
    db.session.commit()
    gone_path, kept_path = uploads.path_of(gone), uploads.path_of(kept)
    db.session.delete(module)
    db.session.commit()
    assert not gone_path.exists()
    assert kept_path.exists()
    assert db.session.scalars(select(StoredFile.id)).all() == [kept.id]


def test_deleting_an_organisation_deletes_its_logo(app, make_org):
    from cote_a_cote.catalogue import logo

    org = make_org("Atelier Fictif Lambda")
    stored = logo.replace_logo(org, upload(png(), "logo.png", "image/png"), None)
    db.session.commit()
    path = uploads.path_of(stored)
    db.session.delete(org)
    db.session.commit()
    assert not path.exists()
    assert db.session.scalars(select(StoredFile)).all() == []


def test_a_new_logo_replaces_the_old_one_on_disk(app, make_org):
    from cote_a_cote.catalogue import logo

    org = make_org("Atelier Fictif Mu")
    first = logo.replace_logo(org, upload(png(), "un.png", "image/png"), None)
    db.session.commit()
    first_path = uploads.path_of(first)
    second = logo.replace_logo(org, upload(JPEG, "deux.jpeg", "image/jpeg"), None)
    db.session.commit()
    assert not first_path.exists()
    assert uploads.path_of(second).exists()
    assert logo.logo_of(org).id == second.id
    assert second.original_name == "deux.jpg"
