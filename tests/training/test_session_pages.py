"""Issue 17 §2 through the pages: planning a session, content pages, enrolling, attendance.

Forms keep what was typed on error; another organisation's enrolment answers 404. All names are
fictional.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from cote_a_cote.database import utcnow
from cote_a_cote.extensions import db
from cote_a_cote.roles import Role
from cote_a_cote.training.models import (
    EnrolmentStatus,
    ModuleSection,
    RecordStatus,
    SessionEnrolment,
    TrainingRecord,
    TrainingSession,
)
from cote_a_cote.training.services import local_day
from tests.conftest import login
from tests.training.conftest import REQUIRED

PLACE = "Salle communautaire fictive, 12 rue des Érables"


@pytest.fixture
def clinic(make_org):
    return make_org("Clinique Fictive Iota")


@pytest.fixture
def provider(client, clinic, staff, modules):
    user = staff(clinic, name="Karine Iota")
    assert login(client, user).status_code == 302
    return user


@pytest.fixture
def admin_client(app, make_user, modules):
    admin = make_user(role=Role.ADMIN, name="Coordination Iota")
    other = app.test_client()
    assert login(other, admin).status_code == 302
    other.user = admin
    return other


def _form(module, **changes) -> dict:
    day = local_day(utcnow()) + timedelta(days=14)
    data = {
        "module_id": module.id,
        "day": day.isoformat(),
        "starts": "09:00",
        "ends": "12:00",
        "place": PLACE,
        "online_url": "",
        "seats": "1",
        "language": "fr",
    }
    data.update(changes)
    return data


def _plan(admin_client, module, **changes) -> TrainingSession:
    response = admin_client.post("/admin/formation/seances/nouvelle", data=_form(module, **changes))
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalars(select(TrainingSession).order_by(TrainingSession.id.desc())).first()


# --- Administrators plan sessions ---------------------------------------------------------------


def test_an_administrator_plans_a_session_and_sees_it_listed(admin_client, modules):
    session = _plan(admin_client, modules["trauma_informed"], online_url="https://exemple.org/s")
    assert session.seats == 1 and session.place == PLACE
    listing = admin_client.get("/admin/formation/seances").get_data(as_text=True)
    assert "Approche tenant compte des traumas" in listing and PLACE in listing
    page = admin_client.get(f"/admin/formation/seances/{session.id}").get_data(as_text=True)
    assert "https://exemple.org/s" in page and "0 / 1" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ends": "08:00"}, "La séance doit se terminer après son début."),
        ({"place": ""}, "Indiquez le lieu, le lien en ligne, ou les deux."),
        ({"online_url": "exemple.org"}, "commençant par https://"),
        ({"seats": "0"}, "Indiquez un nombre de places de 1 à 500."),
        ({"seats": "abc"}, "Indiquez un nombre de places de 1 à 500."),
        ({"day": "1999-01-01"}, "Entrez une date à partir du"),
        ({"day": "2400-01-01"}, "Entrez une date au plus tard le"),
    ],
)
def test_a_session_form_with_bad_input_keeps_what_was_typed(
    admin_client, modules, changes, message
):
    data = _form(modules["trauma_informed"], **changes)
    if "place" in changes:
        data["place"] = ""
    response = admin_client.post("/admin/formation/seances/nouvelle", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and message in page.replace("&#39;", "'")
    assert 'class="field__error"' in page
    if changes.get("place") != "":
        assert f'value="{PLACE}"' in page
    assert f'value="{data["starts"]}"' in page
    assert db.session.scalar(select(TrainingSession.id)) is None


def test_editing_keeps_the_module_and_refuses_fewer_seats_than_taken(
    admin_client, modules, clinic, staff
):
    session = _plan(admin_client, modules["trauma_informed"], seats="2")
    for name in ("Un", "Deux"):
        person = staff(clinic, name=name)
        db.session.add(SessionEnrolment(session_id=session.id, user_id=person.id))
    db.session.commit()
    url = f"/admin/formation/seances/{session.id}/modifier"
    form = admin_client.get(url).get_data(as_text=True)
    assert f'value="{PLACE}"' in form and 'value="09:00"' in form
    changed = _form(modules["welcome_dignity"], seats="1", place="Autre salle fictive")
    refused = admin_client.post(url, data=changed)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "2 personnes occupent déjà une place" in page
    assert 'value="Autre salle fictive"' in page
    assert admin_client.post(url, data={**changed, "seats": "3"}).status_code == 302
    db.session.expire_all()
    assert session.seats == 3 and session.place == "Autre salle fictive"
    assert session.module_id == modules["trauma_informed"].id  # the module never changes


# --- Content pages ----------------------------------------------------------------------------


def test_an_administrator_writes_content_that_staff_read_in_their_language(
    admin_client, client, provider, modules
):
    module = modules["exit_harm_reduction"]
    url = f"/admin/formation/modules/{module.id}/contenu"
    missing = admin_client.post(url, data={"title_fr": "Les étapes", "body_fr": ""})
    page = missing.get_data(as_text=True)
    assert missing.status_code == 200 and 'value="Les étapes"' in page
    assert "Les étapes" not in _titles(module)
    data = {
        "title_fr": "Les étapes du changement",
        "title_en": "The stages of change",
        "body_fr": "Précontemplation, contemplation, préparation (texte fictif).",
        "body_en": "Precontemplation, contemplation, preparation (fictional text).",
        "position": "1",
    }
    assert admin_client.post(url, data=data).status_code == 302

    french = client.get(f"/portail/formation/modules/{module.id}").get_data(as_text=True)
    assert "Les étapes du changement" in french and "Précontemplation" in french
    client.post("/langue", data={"locale": "en"})
    english = client.get(f"/portail/formation/modules/{module.id}").get_data(as_text=True)
    assert "The stages of change" in english and "Precontemplation" in english

    assert "Les étapes du changement" in _titles(module)
    section = db.session.scalar(
        select(ModuleSection).where(ModuleSection.title_fr == "Les étapes du changement")
    )
    other = modules["trauma_informed"]
    assert (
        admin_client.get(f"/admin/formation/modules/{other.id}/contenu/{section.id}").status_code
        == 404
    )
    module.active = False
    db.session.commit()
    assert client.get(f"/portail/formation/modules/{module.id}").status_code == 404


def _titles(module) -> list[str]:
    return list(
        db.session.scalars(
            select(ModuleSection.title_fr).where(ModuleSection.module_id == module.id)
        )
    )


# --- Provider staff enrol -----------------------------------------------------------------------


def test_staff_enrol_a_colleague_then_the_next_one_waits(
    client, provider, clinic, staff, admin_client, modules
):
    colleague = staff(clinic, name="Mathieu Iota")
    session = _plan(admin_client, modules["trauma_informed"], seats="1")
    overview = client.get("/portail/formation").get_data(as_text=True)
    assert "Approche tenant compte des traumas" in overview and "1 place restante" in overview

    url = f"/portail/formation/seances/{session.id}"
    assert client.post(f"{url}/inscrire", data={"user_id": colleague.id}).status_code == 302
    assert client.post(f"{url}/inscrire", data={"user_id": provider.id}).status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Mathieu Iota" in page and "Place réservée" in page
    assert "Sur la liste d’attente" in page and "(rang 1)" in page

    again = client.post(f"{url}/inscrire", data={"user_id": provider.id})
    assert again.status_code == 200
    assert "Cette personne est déjà inscrite à cette séance." in again.get_data(as_text=True)

    first = db.session.scalar(
        select(SessionEnrolment).where(SessionEnrolment.user_id == colleague.id)
    )
    assert client.post(f"/portail/formation/inscriptions/{first.id}/annuler").status_code == 302
    mine = db.session.scalar(
        select(SessionEnrolment).where(SessionEnrolment.user_id == provider.id)
    )
    db.session.expire_all()
    assert mine.status is EnrolmentStatus.ENROLLED


def test_another_organisation_is_out_of_reach(
    client, provider, make_org, staff, admin_client, modules
):
    elsewhere = staff(make_org("Ailleurs Fictive"), name="Personne Ailleurs")
    session = _plan(admin_client, modules["trauma_informed"], seats="3")
    url = f"/portail/formation/seances/{session.id}"
    assert client.post(f"{url}/inscrire", data={"user_id": elsewhere.id}).status_code == 404
    theirs = SessionEnrolment(session_id=session.id, user_id=elsewhere.id)
    db.session.add(theirs)
    db.session.commit()
    assert "Personne Ailleurs" not in client.get(url).get_data(as_text=True)
    assert client.post(f"/portail/formation/inscriptions/{theirs.id}/annuler").status_code == 404
    db.session.expire_all()
    assert theirs.status is EnrolmentStatus.ENROLLED


@pytest.mark.parametrize("chosen", ["9223372036854775808", "2147483648", "0", "-1", "1e3"])
def test_a_person_no_database_can_hold_is_refused_on_the_form(
    client, provider, admin_client, modules, chosen
):
    """An id past the INTEGER columns (found by the fuzz suite on PostgreSQL: a 500) is an
    invalid choice, like any id that is not one of the organisation's staff."""
    session = _plan(admin_client, modules["trauma_informed"], seats="3")
    refused = client.post(
        f"/portail/formation/seances/{session.id}/inscrire", data={"user_id": chosen}
    )
    assert refused.status_code == 200
    assert 'id="form-errors"' in refused.get_data(as_text=True)
    assert db.session.scalar(select(SessionEnrolment)) is None


def test_attendance_through_the_page_makes_the_organisation_trained(
    client, provider, clinic, give, admin_client, modules
):
    for code in REQUIRED[:-1]:
        give(provider, code)
    session = _plan(admin_client, modules[REQUIRED[-1]], seats="5")
    url = f"/portail/formation/seances/{session.id}"
    assert client.post(f"{url}/inscrire", data={"user_id": provider.id}).status_code == 302
    enrolment = db.session.scalar(select(SessionEnrolment))
    attend = f"/admin/formation/seances/{session.id}/presences/{enrolment.id}"

    early = admin_client.post(attend, data={"present": "yes"}, follow_redirects=True)
    assert "La présence se prend une fois la séance commencée." in early.get_data(as_text=True)
    assert not clinic.is_trained

    session.starts_at = utcnow() - timedelta(hours=2)  # the session took place
    session.ends_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    assert admin_client.post(attend, data={"present": "yes"}).status_code == 302
    db.session.expire_all()
    record = db.session.scalar(
        select(TrainingRecord).where(TrainingRecord.module_id == session.module_id)
    )
    assert record.status is RecordStatus.CONFIRMED and record.declared_by_id is None
    assert clinic.is_trained
    assert 'class="badge badge--trained"' in client.get("/portail/formation").get_data(as_text=True)
    # A session that has begun takes no enrolment nor cancellation.
    closed = client.post(f"/portail/formation/inscriptions/{enrolment.id}/annuler")
    assert closed.status_code == 302
    db.session.expire_all()
    assert enrolment.status is EnrolmentStatus.ATTENDED
