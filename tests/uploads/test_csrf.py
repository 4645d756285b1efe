"""Upload routes check CSRF like every POST, even with their larger body limit (issue 17 §2)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cote_a_cote.extensions import db
from cote_a_cote.roles import Role
from cote_a_cote.training.models import TrainingModule
from cote_a_cote.training.seeding import load_training_modules
from cote_a_cote.uploads.models import StoredFile
from tests.uploads.files import PDF, multipart, png


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def _sign_in(client, user) -> None:
    from tests.conftest import PASSWORD

    page = client.get("/connexion").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post(
        "/connexion", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302


def test_an_upload_without_the_csrf_token_is_refused(app, client, make_user):
    load_training_modules()
    db.session.commit()
    module = db.session.scalars(select(TrainingModule)).first()
    _sign_in(client, make_user(role=Role.ADMIN))
    response = client.post(
        f"/admin/formation/modules/{module.id}/documents",
        **multipart({"document": (PDF, "guide.pdf", "application/pdf")}),
    )
    assert response.status_code == 400
    assert db.session.scalars(select(StoredFile)).all() == []
    # With the page's token, the same upload goes through.
    page = client.get(f"/admin/formation/modules/{module.id}/contenu").get_data(as_text=True)
    form = page.split('enctype="multipart/form-data"')[1]
    token = form.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post(
        f"/admin/formation/modules/{module.id}/documents",
        **multipart({"csrf_token": token, "document": (PDF, "guide.pdf", "application/pdf")}),
    )
    assert response.status_code == 302
    assert len(db.session.scalars(select(StoredFile)).all()) == 1


def test_a_logo_without_the_csrf_token_is_refused(app, client, make_user):
    _sign_in(client, make_user(role=Role.PROVIDER))
    response = client.post(
        "/portail/organisation/logo", **multipart({"logo": (png(), "logo.png", "image/png")})
    )
    assert response.status_code == 400
    assert db.session.scalars(select(StoredFile)).all() == []


def test_a_certificate_without_the_csrf_token_is_refused(app, client, make_user):
    load_training_modules()
    db.session.commit()
    module = db.session.scalars(select(TrainingModule)).first()
    staff = make_user(role=Role.PROVIDER)
    _sign_in(client, staff)
    response = client.post(
        "/portail/formation",
        **multipart(
            {
                "user_id": str(staff.id),
                "module_id": str(module.id),
                "completed_on": "2025-01-15",
                "evidence_file": (PDF, "attestation.pdf", "application/pdf"),
            }
        ),
    )
    assert response.status_code == 400
    assert db.session.scalars(select(StoredFile)).all() == []
