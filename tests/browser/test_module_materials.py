"""Issue 17 §2 in a real browser: an administrator attaches a PDF to a training module (a file of
the wrong type is refused first, on the form), and a provider staff member downloads it from the
module's page. All names and files are fictional."""

from __future__ import annotations

from sqlalchemy import select

from cote_a_cote.accounts.models import Role
from cote_a_cote.extensions import db
from cote_a_cote.training.models import TrainingModule
from tests.conftest import PASSWORD
from tests.uploads.files import PDF, TEXT

from .test_journeys import sign_in

MODULE = "Accueil sans jugement et dignité"


def test_an_administrator_attaches_a_pdf_and_a_staff_member_downloads_it(
    page, live_server, make_org, make_user, tmp_path
):
    from cote_a_cote.training.seeding import load_training_modules

    load_training_modules()
    org = make_org(name="Atelier Fictif des Battures")
    staff = make_user(role=Role.PROVIDER, organization=org, email="battures@example.org")
    admin = make_user(role=Role.ADMIN, email="coordo-docs@example.org")
    db.session.commit()
    module = db.session.scalar(select(TrainingModule).where(TrainingModule.name_fr == MODULE))
    fake_image = tmp_path / "photo.png"
    fake_image.write_bytes(TEXT)
    guide = tmp_path / "Guide d’accueil fictif.pdf"
    guide.write_bytes(PDF)

    # 1. The administrator opens the module's content page from the training page.
    sign_in(page, admin.email, PASSWORD)
    page.goto("/admin/formation")
    page.get_by_role("link", name=f"Contenu {MODULE}").click()
    page.wait_for_load_state()

    # 2. Text named .png is refused on the form; the PDF is attached.
    page.get_by_label("Fichier", exact=True).set_input_files(str(fake_image))
    page.get_by_role("button", name="Joindre le fichier").click()
    page.wait_for_load_state()
    main = page.locator("main").inner_text().replace("\u00a0", " ")
    assert "Ce type de fichier n’est pas accepté" in main
    page.get_by_label("Fichier", exact=True).set_input_files(str(guide))
    page.get_by_role("button", name="Joindre le fichier").click()
    page.wait_for_load_state()
    assert "Le fichier Guide d’accueil fictif.pdf est joint." in page.locator("main").inner_text()
    page.locator("form[action='/deconnexion'] button").click()
    page.wait_for_load_state()

    # 3. The staff member downloads it from the module's page.
    sign_in(page, staff.email, PASSWORD)
    page.goto(f"/portail/formation/modules/{module.id}")
    with page.expect_download() as caught:
        page.get_by_role("link", name="Guide d’accueil fictif.pdf").click()
    download = caught.value
    assert download.suggested_filename == "Guide d’accueil fictif.pdf"
    saved = tmp_path / "downloaded.pdf"
    download.save_as(str(saved))
    assert saved.read_bytes() == PDF
