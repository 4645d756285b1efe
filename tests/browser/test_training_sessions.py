"""Issue 17 §2 in a real browser: an administrator plans a session, a staff member enrols from
/portail/formation, the administrator marks attendance, and the organisation becomes trained with
no record typed or declared by hand. All names are fictional."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from cote_a_cote.accounts.models import Role
from cote_a_cote.database import utcnow
from cote_a_cote.extensions import db
from cote_a_cote.training.models import (
    RecordStatus,
    SessionEnrolment,
    TrainingModule,
    TrainingRecord,
    TrainingSession,
)
from cote_a_cote.training.services import local_day
from tests.conftest import PASSWORD
from tests.training.conftest import REQUIRED

from .test_journeys import sign_in

PLACE = "Salle fictive du Carrefour, Rimouski"
MODULE = "Accueil sans jugement et dignité"


def _text(locator) -> str:
    return locator.inner_text().replace("\u00a0", " ")


def _sign_out(page) -> None:
    page.locator("form[action='/deconnexion'] button").click()
    page.wait_for_load_state()


def test_a_staff_member_enrols_attends_and_the_organisation_becomes_trained(
    page, live_server, make_org, make_user
):
    from cote_a_cote.training.seeding import load_training_modules
    from cote_a_cote.training.services import record_completion

    load_training_modules()
    org = make_org(name="Atelier Fictif du Fleuve")
    staff = make_user(
        role=Role.PROVIDER, organization=org, email="fleuve@example.org", name="Léa Fleuve"
    )
    admin = make_user(role=Role.ADMIN, email="coordo@example.org", name="Coordination")
    modules = {m.code: m for m in db.session.scalars(select(TrainingModule))}
    # Léa already holds every required module but the last one, which the session delivers.
    for code in REQUIRED[:-1]:
        record_completion(staff, modules[code], local_day(utcnow()) - timedelta(days=20), admin)
    db.session.commit()
    assert not org.is_trained
    day = local_day(utcnow()) + timedelta(days=10)

    # 1. The administrator plans a session; a session ending before it begins is refused, and
    #    the place typed stays in the form.
    sign_in(page, admin.email, PASSWORD)
    page.goto("/admin/formation")
    page.get_by_role("link", name="Séances de formation").click()
    page.get_by_role("link", name="Nouvelle séance").click()
    page.get_by_label("Module").select_option(label=MODULE)
    page.get_by_label("Date", exact=True).fill(day.isoformat())
    page.get_by_label("Début").fill("13:00")
    page.get_by_label("Fin").fill("12:00")
    page.get_by_label("Lieu", exact=True).fill(PLACE)
    page.get_by_label("Places").fill("8")
    page.get_by_role("button", name="Enregistrer la séance").click()
    page.wait_for_load_state()
    assert "La séance doit se terminer après son début." in _text(page.locator("main"))
    assert page.get_by_label("Lieu", exact=True).input_value() == PLACE
    page.get_by_label("Fin").fill("16:00")
    page.get_by_role("button", name="Enregistrer la séance").click()
    page.wait_for_load_state()
    assert "La séance est enregistrée." in _text(page.locator("main"))
    _sign_out(page)

    # 2. Léa finds it on /portail/formation and enrols.
    sign_in(page, staff.email, PASSWORD)
    page.goto("/portail/formation")
    assert "Partenaire formé" not in _text(page.locator("main"))
    page.get_by_role("link", name=MODULE).first.click()
    page.wait_for_load_state()
    assert PLACE in _text(page.locator("main"))
    page.get_by_role("button", name="Inscrire à cette séance").click()
    page.wait_for_load_state()
    main = _text(page.locator("main"))
    assert "Léa Fleuve a une place à la séance." in main and "Place réservée" in main
    _sign_out(page)

    # The session takes place (the clock moves past its start).
    session = db.session.scalar(select(TrainingSession))
    session.starts_at = utcnow() - timedelta(hours=3)
    session.ends_at = utcnow() - timedelta(hours=1)
    db.session.commit()

    # 3. The administrator marks Léa present.
    sign_in(page, admin.email, PASSWORD)
    page.goto("/admin/formation/seances")
    page.get_by_role("link", name=session_link_name(page)).click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Noter la présence — Léa Fleuve").click()
    page.wait_for_load_state()
    main = _text(page.locator("main"))
    assert "La présence de Léa Fleuve est enregistrée." in main and "Présence confirmée" in main
    _sign_out(page)

    # 4. Léa's organisation is trained, through a record nobody typed or declared.
    sign_in(page, staff.email, PASSWORD)
    page.goto("/portail/formation")
    assert "Partenaire formé" in _text(page.locator("main"))
    db.session.expire_all()
    assert org.is_trained
    enrolment = db.session.scalar(select(SessionEnrolment))
    record = db.session.get(TrainingRecord, enrolment.record_id)
    assert record.status is RecordStatus.CONFIRMED and record.declared_by_id is None
    assert record.module_id == modules[REQUIRED[-1]].id
    assert record.completed_on == local_day(session.starts_at)


def session_link_name(page) -> str:
    """The first session's link text on the administrators' list (its date and hours)."""
    return page.locator("table a").first.inner_text()
