"""Issue 17 §2: a certificate attached to a training completed elsewhere, reviewed by an
administrator, served only to the staff member's organisation and administrators, and removed
with its record. Pages are read in French (the default language); all names are fictional."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from cote_a_cote.audit.models import AuditEvent
from cote_a_cote.config import update_settings
from cote_a_cote.database import utcnow
from cote_a_cote.extensions import db
from cote_a_cote.mail import outbox
from cote_a_cote.roles import Role
from cote_a_cote.training import evidence, services
from cote_a_cote.training.models import RecordStatus, TrainingRecord
from cote_a_cote.training.services import local_day
from cote_a_cote.uploads import services as uploads
from cote_a_cote.uploads.models import StoredFile
from tests.conftest import login
from tests.training.conftest import REQUIRED
from tests.uploads.files import PDF, TEXT, multipart, png, upload


@pytest.fixture
def clinic(make_org):
    return make_org("Clinique Fictive Iota")


@pytest.fixture
def member(clinic, staff, modules):
    return staff(clinic, name="Inès Iota")


@pytest.fixture
def admin(make_user):
    return make_user(role=Role.ADMIN, name="Coordination Iota")


def _day():
    return local_day(utcnow()) - timedelta(days=5)


def _stored_files(app) -> list[Path]:
    folder = Path(app.config["UPLOAD_DIR"])
    return sorted(folder.iterdir()) if folder.exists() else []


def _actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


# --- Services -----------------------------------------------------------------------------------


def test_a_declaration_keeps_its_certificate_and_counts_once_confirmed(
    app, clinic, member, modules, give, admin
):
    for code in REQUIRED[:-1]:
        give(member, code)
    record = evidence.declare_with_evidence(
        member,
        modules[REQUIRED[-1]],
        _day(),
        member,
        "Formation suivie au Centre fictif Kappa",
        upload(PDF, "Attestation Inès.pdf"),
    )
    db.session.commit()
    stored = evidence.evidence_of(record)
    assert stored.original_name == "Attestation Inès.pdf" and stored.content_type == uploads.PDF
    assert uploads.path_of(stored).read_bytes() == PDF
    assert record.status is RecordStatus.DECLARED and not clinic.is_trained
    services.confirm_record(record, admin)
    db.session.commit()
    assert record.status is RecordStatus.CONFIRMED and clinic.is_trained
    assert _actions()[-2:] == ["training.evidence_add", "training.record_confirm"]


def test_a_refused_file_leaves_no_declaration(app, member, modules):
    with pytest.raises(uploads.UploadError):
        evidence.declare_with_evidence(
            member, modules["trauma_informed"], _day(), member, upload=upload(TEXT, "a.pdf")
        )
    db.session.rollback()
    assert db.session.scalar(select(TrainingRecord.id)) is None
    assert _stored_files(app) == []


def test_the_file_leaves_the_disk_with_its_record_or_its_staff_member(
    app, clinic, member, modules, staff
):
    # A colleague declares for the staff member (who, leaving no audit trail, can be deleted).
    leaver = staff(clinic, name="Ivo Iota")
    withdrawn = evidence.declare_with_evidence(
        leaver, modules["trauma_informed"], _day(), member, upload=upload(PDF)
    )
    kept = evidence.declare_with_evidence(
        leaver, modules["welcome_dignity"], _day(), member, upload=upload(png(), "a.png")
    )
    db.session.commit()
    assert len(_stored_files(app)) == 2
    services.withdraw_declaration(withdrawn, member)
    db.session.commit()
    assert [p.name for p in _stored_files(app)] == [evidence.evidence_of(kept).storage_name]
    # The database's cascade removes the staff member's records; their certificates go too.
    db.session.delete(leaver)
    db.session.commit()
    assert _stored_files(app) == []
    assert db.session.scalar(select(StoredFile.id)) is None


# --- Pages --------------------------------------------------------------------------------------


def _post_declaration(client, user, module, **files):
    fields = {
        "user_id": str(user.id),
        "module_id": str(module.id),
        "completed_on": _day().isoformat(),
        "evidence_note": "Centre fictif Kappa",
        **files,
    }
    return client.post("/portail/formation", **multipart(fields))


def test_staff_attach_a_certificate_that_only_their_organisation_and_admins_open(
    app, client, clinic, member, modules, staff, make_org, admin
):
    assert login(client, member).status_code == 302
    page = client.get("/portail/formation").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and "Certificat ou attestation" in page
    response = _post_declaration(
        client,
        member,
        modules["trauma_informed"],
        evidence_file=(PDF, "Attestation Kappa.pdf", "application/pdf"),
    )
    assert response.status_code == 302
    record = db.session.scalar(select(TrainingRecord))
    url = f"/portail/formation/dossiers/{record.id}/preuve"
    assert url in client.get("/portail/formation").get_data(as_text=True)
    download = client.get(url)
    assert download.status_code == 200 and download.data == PDF
    assert "attachment" in download.headers["Content-Disposition"]
    # No e-mail carries the file or its name: administrators are told a declaration awaits.
    assert all("Kappa" not in m.get_content() for m in outbox())

    colleague = staff(clinic, name="Iris Iota")
    other = staff(make_org("Clinique Fictive Lambda"), name="Léo Lambda")
    for person, expected in ((colleague, 200), (other, 404), (admin, 200)):
        viewer = app.test_client()
        assert login(viewer, person).status_code == 302
        assert viewer.get(url).status_code == expected
    # Administrators find it in the declarations to review, next to confirm and refuse.
    viewer = app.test_client()
    login(viewer, admin)
    queue = viewer.get("/admin/formation/dossiers?status=declared").get_data(as_text=True)
    assert url in queue and "Attestation Kappa.pdf" in queue
    assert url in viewer.get(f"/admin/formation/dossiers/{record.id}/refuser").get_data(
        as_text=True
    )


def test_a_wrong_file_is_refused_on_its_field_and_the_form_keeps_its_values(
    app, client, member, modules
):
    login(client, member)
    response = _post_declaration(
        client, member, modules["trauma_informed"], evidence_file=(TEXT, "faux.pdf", "text/plain")
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Ce type de fichier n’est pas accepté" in page
    assert "Centre fictif Kappa" in page and _day().isoformat() in page
    assert db.session.scalar(select(TrainingRecord.id)) is None and _stored_files(app) == []


def test_a_file_over_the_limit_is_refused_clearly(app, client, member, modules):
    update_settings(app, {"UPLOAD_MAX_BYTES": 1024})
    login(client, member)
    big = PDF + b"%" * 2048
    response = _post_declaration(
        client,
        member,
        modules["trauma_informed"],
        evidence_file=(big, "gros.pdf", "application/pdf"),
    )
    assert response.status_code == 200
    assert "Le fichier est trop volumineux" in response.get_data(as_text=True)
    assert db.session.scalar(select(TrainingRecord.id)) is None
