"""Issue 17 §2 in a real browser: a staff member declares a module completed elsewhere with its
certificate, an administrator opens the certificate and confirms the declaration, and the
organisation shows as trained. All names and files are fictional."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from cote_a_cote.accounts.models import Role
from cote_a_cote.database import utcnow
from cote_a_cote.extensions import db
from cote_a_cote.training.models import RecordStatus, TrainingModule, TrainingRecord
from cote_a_cote.training.services import expiry_for, local_day
from tests.conftest import PASSWORD
from tests.uploads.files import PDF

from .test_journeys import sign_in


def _main_text(page) -> str:
    return page.locator("main").inner_text().replace("\u00a0", " ")


REQUIRED = (
    "trafficking_exploitation",
    "trauma_informed",
    "exit_harm_reduction",
    "confidentiality_safety",
    "welcome_dignity",
)


def test_a_certificate_is_declared_confirmed_and_the_organisation_is_trained(
    page, live_server, make_org, make_user, tmp_path
):
    from cote_a_cote.training.seeding import load_training_modules

    load_training_modules()
    org = make_org(name="Garage Fictif des Rigolets")
    staff = make_user(
        role=Role.PROVIDER, organization=org, email="rigolets@example.org", name="Noa Rigolets"
    )
    admin = make_user(role=Role.ADMIN, email="coordo-preuves@example.org")
    modules = {m.code: m for m in db.session.scalars(select(TrainingModule))}
    day = local_day(utcnow()) - timedelta(days=20)
    for code in REQUIRED[:-1]:  # every required module but the last is already confirmed
        db.session.add(
            TrainingRecord(
                user_id=staff.id,
                module_id=modules[code].id,
                completed_on=day,
                expires_on=expiry_for(modules[code], day),
                status=RecordStatus.CONFIRMED,
            )
        )
    db.session.commit()
    last = modules[REQUIRED[-1]]
    certificate = tmp_path / "Attestation Rigolets.pdf"
    certificate.write_bytes(PDF)

    # 1. The staff member declares the last module, completed elsewhere, with its certificate.
    sign_in(page, staff.email, PASSWORD)
    page.goto("/portail/formation")
    assert page.locator(".badge--trained").count() == 0
    form = page.locator("form[enctype='multipart/form-data']")
    form.get_by_label("Module").select_option(str(last.id))
    form.get_by_label("Date de la formation").fill(day.isoformat())
    form.get_by_label("Certificat ou attestation (facultatif)").set_input_files(str(certificate))
    form.get_by_role("button", name="Déclarer").click()
    page.wait_for_load_state()
    assert "Merci : l’équipe de coordination confirmera" in _main_text(page)
    assert page.get_by_role("link", name="Attestation Rigolets.pdf").count() == 1
    page.locator("form[action='/deconnexion'] button").click()
    page.wait_for_load_state()

    # 2. The administrator opens the certificate from the declarations, then confirms.
    sign_in(page, admin.email, PASSWORD)
    page.goto("/admin/formation/dossiers?status=declared")
    with page.expect_download() as caught:
        page.get_by_role("link", name="Attestation Rigolets.pdf").click()
    saved = tmp_path / "opened.pdf"
    caught.value.save_as(str(saved))
    assert saved.read_bytes() == PDF
    page.get_by_role("button", name="Confirmer").click()
    page.wait_for_load_state()
    assert "La déclaration est confirmée." in _main_text(page)
    page.locator("form[action='/deconnexion'] button").click()
    page.wait_for_load_state()

    # 3. The staff member's organisation is now trained.
    sign_in(page, staff.email, PASSWORD)
    page.goto("/portail/formation")
    assert page.locator(".badge--trained").count() == 1
