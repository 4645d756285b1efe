"""Uploads through the pages (issue 17 §2): administrators attach module materials, provider staff
download them, provider staff set their organisation's logo. Wrong types, empty and too large
files are refused on the form; files are served only to who may see them. Fictional names."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from cote_a_cote.catalogue.models import OrganizationStatus, Visibility
from cote_a_cote.extensions import db
from cote_a_cote.notifications.models import Notification
from cote_a_cote.roles import Role
from cote_a_cote.training.models import TrainingModule
from cote_a_cote.training.seeding import load_training_modules
from cote_a_cote.uploads import services as uploads
from cote_a_cote.uploads.models import OwnerKind, StoredFile
from tests.conftest import login, shown
from tests.uploads.files import JPEG, PDF, SVG, TEXT, multipart, png, upload

MB = 1024 * 1024


@pytest.fixture
def module(app) -> TrainingModule:
    load_training_modules()
    db.session.commit()
    return db.session.scalars(select(TrainingModule).order_by(TrainingModule.id)).first()


def _stored() -> list[StoredFile]:
    return db.session.scalars(select(StoredFile)).all()


def _disk(app) -> list[Path]:
    folder = Path(app.config["UPLOAD_DIR"])
    return sorted(folder.iterdir()) if folder.exists() else []


def _attach(client, module, content, name, mimetype="application/pdf"):
    return client.post(
        f"/admin/formation/modules/{module.id}/documents",
        **multipart({"document": (content, name, mimetype)}),
    )


# --- Module materials ------------------------------------------------------------------------


def test_an_administrator_attaches_a_pdf_and_provider_staff_download_it(
    app, client, module, make_user, make_org
):
    admin = make_user(role=Role.ADMIN)
    login(client, admin)
    response = _attach(client, module, PDF, "Guide fictif.pdf")
    assert response.status_code == 302
    page = client.get(f"/admin/formation/modules/{module.id}/contenu").get_data(as_text=True)
    assert "Guide fictif.pdf" in page
    (material,) = _stored()
    client.post("/deconnexion")

    staff = make_user(role=Role.PROVIDER, organization=make_org("Clinique Fictive Nu"))
    login(client, staff)
    page = client.get(f"/portail/formation/modules/{module.id}").get_data(as_text=True)
    link = f"/portail/formation/modules/{module.id}/documents/{material.id}"
    assert link in page
    response = client.get(link)
    assert response.status_code == 200
    assert response.data == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "Guide fictif.pdf" in response.headers["Content-Disposition"].replace("%20", " ")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"  # signed in: never kept in a cache


@pytest.mark.parametrize(
    ("content", "name", "mimetype"),
    [
        (TEXT, "photo.png", "image/png"),  # text dressed as an image
        (SVG, "schema.svg", "image/svg+xml"),  # can carry script
        (b"<html><script></script>", "notes.pdf", "application/pdf"),
    ],
)
def test_a_material_of_the_wrong_type_is_refused_on_the_form(
    app, client, module, login_as, content, name, mimetype
):
    login_as(Role.ADMIN)
    response = _attach(client, module, content, name, mimetype)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "n’est pas accepté" in page
    assert "PDF, PNG ou JPEG" in page
    assert _stored() == [] and _disk(app) == []


def test_an_empty_material_is_refused(app, client, module, login_as):
    login_as(Role.ADMIN)
    response = _attach(client, module, b"", "vide.pdf")
    assert shown(app, "The file is empty. Choose another file.") in response.get_data(as_text=True)
    assert _stored() == [] and _disk(app) == []


def test_no_file_chosen_is_refused(app, client, module, login_as):
    login_as(Role.ADMIN)
    response = client.post(f"/admin/formation/modules/{module.id}/documents", data={})
    assert response.status_code == 200
    assert shown(app, "Choose a file to attach.") in response.get_data(as_text=True)


def test_a_material_over_five_megabytes_is_refused_on_the_form(app, client, module, login_as):
    login_as(Role.ADMIN)
    response = _attach(client, module, PDF + b"0" * (5 * MB), "gros.pdf")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert shown(app, "Attach a file") in page  # the form, not an error page
    assert "trop volumineux : au plus 5 Mo" in page
    assert _stored() == [] and _disk(app) == []


def test_a_material_just_under_five_megabytes_is_accepted(app, client, module, login_as):
    login_as(Role.ADMIN)
    response = _attach(client, module, PDF + b"0" * (5 * MB - len(PDF)), "exact.pdf")
    assert response.status_code == 302
    assert [f.size for f in _stored()] == [5 * MB]


def test_a_body_over_ten_megabytes_gets_the_file_too_large_page(app, client, module, login_as):
    login_as(Role.ADMIN)
    response = _attach(client, module, PDF + b"0" * (10 * MB), "enorme.pdf")
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "trop volumineux : au plus 5 Mo" in page
    assert _stored() == []


def test_other_routes_keep_the_one_megabyte_limit(app, client, module, login_as):
    login_as(Role.ADMIN)
    response = client.post(
        f"/admin/formation/modules/{module.id}/contenu",
        **multipart(
            {"title_fr": "x", "body_fr": "y", "extra": (PDF + b"0" * (2 * MB), "a.pdf", "x/y")}
        ),
    )
    assert response.status_code == 413
    assert shown(app, "Too much sent at once") in response.get_data(as_text=True)


def test_a_file_sent_to_a_text_field_is_not_read_as_text(app, client, module, login_as):
    login_as(Role.ADMIN)
    response = client.post(
        f"/admin/formation/modules/{module.id}/contenu",
        **multipart({"title_fr": (PDF, "titre.pdf", "application/pdf"), "body_fr": "Texte."}),
    )
    assert response.status_code == 200  # the title is missing: the form is shown again
    assert db.session.scalars(select(StoredFile)).all() == []


def test_text_sent_as_the_file_field_is_no_file(app, client, module, login_as):
    login_as(Role.ADMIN)
    response = client.post(
        f"/admin/formation/modules/{module.id}/documents", data={"document": "%PDF-1.4 text"}
    )
    assert shown(app, "Choose a file to attach.") in response.get_data(as_text=True)
    assert _stored() == []


def test_deleting_a_material_removes_its_file(app, client, module, login_as):
    login_as(Role.ADMIN)
    _attach(client, module, PDF, "a-retirer.pdf")
    (material,) = _stored()
    path = uploads.path_of(material)
    assert path.exists()
    response = client.post(
        f"/admin/formation/modules/{module.id}/documents/{material.id}/supprimer"
    )
    assert response.status_code == 302
    assert not path.exists()
    assert _stored() == []


def _material(module) -> StoredFile:
    stored = uploads.save_upload(upload(PDF), OwnerKind.MODULE_MATERIAL, module.id)
    db.session.commit()
    return stored


def test_who_may_download_a_material(app, client, module, make_user, make_org):
    material = _material(module)
    url = f"/portail/formation/modules/{module.id}/documents/{material.id}"
    assert client.get(url).headers["Location"].startswith("/connexion")
    login(client, make_user(role=Role.INTERVENANTE))
    assert client.get(url).status_code == 403
    client.post("/deconnexion")
    login(client, make_user(role=Role.PROVIDER, organization=make_org("Clinique Fictive Xi")))
    assert client.get(url).status_code == 200
    other = db.session.scalars(select(TrainingModule).where(TrainingModule.id != module.id)).first()
    # The file through another module's address, and a module no longer offered: 404.
    assert (
        client.get(f"/portail/formation/modules/{other.id}/documents/{material.id}").status_code
        == 404
    )
    module.active = False
    db.session.commit()
    assert client.get(url).status_code == 404
    assert f"/documents/{material.id}" not in client.get("/portail/formation").get_data(
        as_text=True
    )


def test_an_administrator_downloads_a_module_no_longer_offered(app, client, module, login_as):
    material = _material(module)
    module.active = False
    db.session.commit()
    login_as(Role.ADMIN)
    response = client.get(f"/portail/formation/modules/{module.id}/documents/{material.id}")
    assert response.status_code == 200 and response.data == PDF


# --- Organisation logo -----------------------------------------------------------------------


def _upload_logo(client, content, name, mimetype="image/png"):
    return client.post(
        "/portail/organisation/logo",
        **multipart({"logo": (content, name, mimetype)}),
    )


@pytest.fixture
def provider_org(make_org):
    return make_org("Boulangerie Fictive Omicron")


@pytest.fixture
def provider(client, make_user, provider_org):
    user = make_user(role=Role.PROVIDER, organization=provider_org)
    login(client, user)
    return user


def test_a_new_logo_of_a_listed_organisation_waits_for_review(
    app, client, provider, provider_org, make_user
):
    response = _upload_logo(client, png(), "logo.png")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert shown(app, "New logo awaiting review") in page
    assert client.get("/portail/organisation/logo/en-attente").data == png()
    logo_url = f"/organisations/{provider_org.id}/logo"
    assert client.get(logo_url).status_code == 404  # not published yet
    assert [f.owner_kind for f in _stored()] == [OwnerKind.PENDING_LOGO]

    # An administrator finds it with the profile changes to review, then publishes it.
    admin = app.test_client()
    login(admin, make_user(role=Role.ADMIN))
    queue = admin.get("/admin/verification/revisions").get_data(as_text=True)
    assert f'href="/admin/verification/organisations/{provider_org.id}"' in queue
    review = admin.get(f"/admin/verification/organisations/{provider_org.id}")
    assert f"/admin/verification/organisations/{provider_org.id}/logo-en-attente" in (
        review.get_data(as_text=True)
    )
    published = admin.post(
        f"/admin/verification/organisations/{provider_org.id}/logo-en-attente/publier"
    )
    assert published.status_code == 302
    client.post("/deconnexion")
    page = client.get(f"/organisations/{provider_org.id}").get_data(as_text=True)
    assert logo_url in page
    response = client.get(logo_url)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["Content-Disposition"].startswith("inline;")
    assert response.data == png()
    assert [f.owner_kind for f in _stored()] == [OwnerKind.ORGANIZATION_LOGO]


def test_a_refused_logo_is_deleted_and_the_current_one_stays(
    app, client, provider, provider_org, make_user
):
    current = _logo(provider_org)
    _upload_logo(client, JPEG, "autre.jpg", "image/jpeg")
    (pending,) = [f for f in _stored() if f.owner_kind is OwnerKind.PENDING_LOGO]
    pending_path = uploads.path_of(pending)
    admin = app.test_client()
    login(admin, make_user(role=Role.ADMIN))
    url = f"/admin/verification/organisations/{provider_org.id}/logo-en-attente/refuser"
    assert admin.post(url).status_code == 302
    assert not pending_path.exists()
    assert [f.id for f in _stored()] == [current.id]
    assert client.get(f"/organisations/{provider_org.id}/logo").data == png()
    assert (
        "logo_refused"
        in db.session.scalars(
            select(Notification.kind).where(Notification.user_id == provider.id)
        ).all()
    )
    # Nothing left to decide: a clear message, nothing changes.
    again = admin.post(url, follow_redirects=True)
    assert shown(app, "No new logo awaits review.") in again.get_data(as_text=True)


@pytest.mark.parametrize(
    ("content", "name", "mimetype"),
    [
        (SVG, "logo.svg", "image/svg+xml"),
        (TEXT, "logo.png", "image/png"),
        (PDF, "logo.pdf", "application/pdf"),
    ],
)
def test_a_logo_that_is_not_png_or_jpeg_is_refused(app, client, provider, content, name, mimetype):
    response = _upload_logo(client, content, name, mimetype)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "seuls les fichiers PNG ou JPEG" in page
    assert _stored() == [] and _disk(app) == []


def test_a_draft_profile_s_new_logo_replaces_the_old_file_at_once(
    app, client, provider_org, make_user
):
    # A profile not yet listed changes at once, as its other fields do (reviewed on approval).
    provider_org.status = OrganizationStatus.DRAFT
    db.session.commit()
    login(client, make_user(role=Role.PROVIDER, organization=provider_org))
    _upload_logo(client, png(), "premier.png")
    (first,) = _stored()
    first_path = uploads.path_of(first)
    assert _upload_logo(client, JPEG, "second.jpg", "image/jpeg").status_code == 302
    assert not first_path.exists()
    assert [f.original_name for f in _stored()] == ["second.jpg"]
    assert client.post("/portail/organisation/logo/supprimer").status_code == 302
    assert _stored() == [] and _disk(app) == []


def _logo(org) -> StoredFile:
    from cote_a_cote.catalogue import logo

    stored = logo.replace_logo(org, upload(png(), "logo.png", "image/png"), None)
    db.session.commit()
    return stored


@pytest.mark.parametrize(
    "status",
    [OrganizationStatus.SUSPENDED, OrganizationStatus.SUBMITTED, OrganizationStatus.REJECTED],
)
def test_the_logo_of_an_organisation_not_listed_answers_404(app, client, make_org, status):
    org = make_org("Garage Fictif Pi", status=status)
    _logo(org)
    assert client.get(f"/organisations/{org.id}/logo").status_code == 404


def test_the_logo_of_an_organisation_shown_to_intervenantes_only(app, client, make_org, make_user):
    org = make_org("Refuge Fictif Rho", visibility=Visibility.INTERVENANTES)
    _logo(org)
    url = f"/organisations/{org.id}/logo"
    assert client.get(url).status_code == 404
    login(client, make_user(role=Role.PROVIDER, organization=make_org("Autre Fictive Sigma")))
    assert client.get(url).status_code == 404
    client.post("/deconnexion")
    login(client, make_user(role=Role.INTERVENANTE))
    assert client.get(url).status_code == 200


def test_staff_see_their_own_logo_before_approval(app, client, make_org, make_user):
    org = make_org("Atelier Fictif Tau", status=OrganizationStatus.DRAFT)
    _logo(org)
    url = f"/organisations/{org.id}/logo"
    assert client.get(url).status_code == 404
    login(client, make_user(role=Role.PROVIDER, organization=org))
    assert client.get(url).status_code == 200


def test_an_organisation_without_a_logo_answers_404(app, client, make_org):
    org = make_org("Épicerie Fictive Upsilon")
    assert client.get(f"/organisations/{org.id}/logo").status_code == 404


def test_a_locked_profile_takes_no_new_logo(app, client, make_org, make_user):
    org = make_org("Atelier Fictif Phi", status=OrganizationStatus.SUBMITTED)
    login(client, make_user(role=Role.PROVIDER, organization=org))
    response = _upload_logo(client, png(), "logo.png")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert shown(app, "The profile cannot be changed now.") in page
    assert _stored() == [] and _disk(app) == []
    assert 'action="/portail/organisation/logo"' not in client.get(
        "/portail/organisation"
    ).get_data(as_text=True)
