"""Issue 6's recognition journey in a real browser: an administrator awards a level, the partner
sees it, chooses to show it and downloads its badge and certificate; the public finds it, checks
it at the verification address, and sees it withdrawn. All names are fictional."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from cote_a_cote.accounts.models import Role
from cote_a_cote.extensions import db
from cote_a_cote.recognition.models import AwardStatus, RecognitionAward
from tests.conftest import PASSWORD

from .test_journeys import sign_in


def _sign_out(page) -> None:
    page.locator("form[action='/deconnexion'] button").click()
    page.wait_for_load_state()


def test_award_show_download_verify_withdraw(page, reference, make_org, make_user, make_service):
    org = make_org(name="Épicerie Solidaire Fictive du Quai")
    make_service(organization=org, name_fr="Paniers d’épicerie fictifs", regions=("06",))
    staff = make_user(role=Role.PROVIDER, organization=org, email="epicerie@example.org")
    admin = make_user(role=Role.ADMIN, email="coordination@example.org")

    # 1. The administrator awards a level (its criteria are not met: an explicit override).
    sign_in(page, admin.email, PASSWORD)
    page.goto(f"/admin/reconnaissance/organisations/{org.id}")
    form = page.locator(f"form[action='/admin/reconnaissance/organisations/{org.id}/attribuer']")
    form.locator("select[name$=level_id]").select_option(label="Engagé")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#award-rationale-error, [id$=rationale-error]").count() == 1
    form = page.locator(f"form[action='/admin/reconnaissance/organisations/{org.id}/attribuer']")
    form.locator("textarea[name$=rationale]").fill("Paniers offerts chaque semaine (fictif).")
    form.locator("input[name$=override]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    award = db.session.scalar(select(RecognitionAward))
    assert award is not None and award.criteria_override
    assert "Engagé" in page.locator("main").inner_text()
    _sign_out(page)

    # 2. The partner sees it, chooses to show it, downloads the badge and the certificate.
    sign_in(page, staff.email, PASSWORD)
    page.goto("/portail/reconnaissance")
    main = page.locator("main").inner_text()
    assert "Engagé" in main and str(award.year) in main
    page.locator("form[action='/portail/reconnaissance/visibilite'] input[name=public]").check()
    page.locator("form[action='/portail/reconnaissance/visibilite'] button").click()
    page.wait_for_load_state()
    db.session.refresh(org)
    assert org.recognition_public is True
    with page.expect_download() as badge:
        page.locator("a[href$='.svg']").click()
    assert "Engagé" in Path(badge.value.path()).read_text(encoding="utf-8")
    with page.expect_download() as certificate:
        page.locator("a[href='/portail/reconnaissance/certificat']").click()
    assert Path(certificate.value.path()).read_bytes().startswith(b"%PDF")
    verify = page.locator("a[href^='/reconnaissance/verifier/']").get_attribute("href")
    _sign_out(page)

    # 3. The public finds the partner, and the verification address says it is current.
    page.goto("/reconnaissance")
    assert "Épicerie Solidaire Fictive du Quai" in page.locator("main").inner_text()
    page.goto(verify)
    assert page.locator(".alert--success").count() == 1

    # 4. Withdrawn: the verification address says so, and the public page no longer lists it.
    sign_in(page, admin.email, PASSWORD)
    page.goto(f"/admin/reconnaissance/organisations/{org.id}")
    form = page.locator(f"form[action='/admin/reconnaissance/distinctions/{award.id}/retirer']")
    form.locator("textarea[name$=reason]").fill("Fin du programme de paniers (fictif).")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    db.session.refresh(award)
    assert award.status is AwardStatus.WITHDRAWN
    _sign_out(page)
    page.goto(verify)
    assert page.locator(".alert--error").count() == 1
    page.goto("/reconnaissance")
    assert "Épicerie Solidaire Fictive du Quai" not in page.locator("main").inner_text()
