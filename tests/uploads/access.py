"""Access-matrix rows and world objects for uploaded files (issue 17 §2).

The world's module has one material; the world's provider (approved, public) has a logo, so its
logo answers 200 to everyone. Materials are for provider staff and administrators only. The
world's provider also has a new logo awaiting review: administrators see it; the signed-in
provider's own organisation has none (404).
"""

from __future__ import annotations

LOGIN = "login"


def admin_only(code):
    return {"anonymous": LOGIN, "intervenante": 403, "provider": 403, "admin": code}


def portal_only(code):
    return {"anonymous": LOGIN, "intervenante": 403, "provider": code, "admin": 403}


ROWS: dict[tuple[str, str], dict[str, int | str]] = {
    ("POST", "training_sessions.add_material"): admin_only(200),  # no file: shown again
    ("POST", "training_sessions.delete_material"): admin_only(302),
    ("GET", "training_sessions.download_material"): {
        "anonymous": LOGIN,
        "intervenante": 403,
        "provider": 200,
        "admin": 200,
    },
    ("POST", "portal.upload_logo"): portal_only(200),  # no file: shown again
    ("POST", "portal.remove_logo"): portal_only(302),  # the signed-in provider has none
    ("GET", "catalogue.organization_logo"): dict.fromkeys(
        ("anonymous", "intervenante", "provider", "admin"), 200
    ),
    ("GET", "portal.pending_logo"): portal_only(404),
    ("GET", "vetting.pending_logo"): admin_only(200),
    ("POST", "vetting.publish_logo"): admin_only(302),
    ("POST", "vetting.refuse_logo"): admin_only(302),
}


def world(provider_org, service, make_user) -> dict:
    """A PDF material on the first module, and a logo for the world's provider."""
    from cote_a_cote.extensions import db
    from cote_a_cote.training.models import TrainingModule
    from cote_a_cote.uploads import services as uploads
    from cote_a_cote.uploads.models import OwnerKind
    from tests.uploads.files import PDF, png, upload

    module = db.session.scalars(db.select(TrainingModule)).first()
    material = uploads.save_upload(upload(PDF), OwnerKind.MODULE_MATERIAL, module.id)
    uploads.save_upload(
        upload(png(), "logo.png", "image/png"),
        OwnerKind.ORGANIZATION_LOGO,
        provider_org.id,
        allowed=uploads.IMAGES,
    )
    uploads.save_upload(
        upload(png(), "nouveau.png", "image/png"),
        OwnerKind.PENDING_LOGO,
        provider_org.id,
        allowed=uploads.IMAGES,
    )
    db.session.commit()
    return {"file_id": material.id}
