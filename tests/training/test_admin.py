"""Administrator pages: modules, records, recording a completion, deleting, expiring soon."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from cote_a_cote.database import utcnow
from cote_a_cote.extensions import db
from cote_a_cote.roles import Role
from cote_a_cote.training.models import RecordStatus, TrainingModule, TrainingRecord
from cote_a_cote.training.services import local_day, refresh_organization
from tests.training.conftest import REQUIRED


@pytest.fixture
def admin(login_as, modules):
    return login_as(Role.ADMIN)


def _module(code: str) -> TrainingModule | None:
    return db.session.scalar(select(TrainingModule).where(TrainingModule.code == code))


def test_the_module_list_shows_the_starting_modules(client, admin, app):
    page = client.get("/admin/formation").get_data(as_text=True)
    assert "Comprendre la traite et l&#39;exploitation sexuelle" in page
    assert "first_nations_inuit" in page


def test_creating_a_module_keeps_what_was_typed_on_error(client, admin):
    data = {
        "code": "Not A Code",
        "name_fr": "Travailler avec une interprète",
        "name_en": "",
        "description_fr": "Une description à garder",
        "validity_months": "200",
        "position": "80",
    }
    response = client.post("/admin/formation/modules/nouveau", data=data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'value="Not A Code"' in page and 'value="Travailler avec une interprète"' in page
    assert "Une description à garder" in page and 'value="200"' in page
    assert page.count('class="field__error"') == 3  # code, English name, validity
    assert _module("not a code") is None

    taken = client.post(
        "/admin/formation/modules/nouveau",
        data={**data, "code": "trauma_informed", "name_en": "Interpreting", "validity_months": ""},
    )
    assert taken.status_code == 200 and 'class="field__error"' in taken.get_data(as_text=True)

    saved = client.post(
        "/admin/formation/modules/nouveau",
        data={
            **data,
            "code": "interpreting",
            "name_en": "Working with an interpreter",
            "validity_months": "24",
            "required": "y",
            "active": "y",
        },
    )
    assert saved.status_code == 302
    module = _module("interpreting")
    assert module.name_en == "Working with an interpreter" and module.validity_months == 24
    assert module.required and module.active and module.position == 80
    assert module.description_en is None


def test_making_a_module_optional_recomputes_every_organisation(
    client, admin, make_org, staff, give, modules
):
    org = make_org()
    person = staff(org)
    for code in REQUIRED[:-1]:
        give(person, code)
    module = modules["welcome_dignity"]
    form = client.get(f"/admin/formation/modules/{module.id}").get_data(as_text=True)
    assert 'value="Accueil sans jugement et dignité"' in form
    response = client.post(
        f"/admin/formation/modules/{module.id}",
        data={
            "name_fr": module.name_fr,
            "name_en": module.name_en,
            "validity_months": "12",
            "active": "y",
            "position": "50",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert not module.required and module.code == "welcome_dignity"
    assert org.is_trained and org.trained_checked_at is not None

    blank = client.post(f"/admin/formation/modules/{module.id}", data={"name_fr": ""})
    assert blank.status_code == 200
    assert client.get("/admin/formation/modules/999999").status_code == 404


def test_recording_a_completion_for_a_staff_member(client, admin, make_org, staff, give):
    org = make_org("Clinique Epsilon")
    person = staff(org, name="Rosalie Epsilon")
    staff(make_org("Autre clinique"), name="Quelqu'un d'autre")
    chooser = client.get("/admin/formation/dossiers/nouveau").get_data(as_text=True)
    assert "Clinique Epsilon" in chooser and "Rosalie Epsilon" not in chooser
    form = client.get(f"/admin/formation/dossiers/nouveau?organization_id={org.id}")
    page = form.get_data(as_text=True)
    assert "Rosalie Epsilon" in page and "Quelqu&#39;un d&#39;autre" not in page

    module = _module("trauma_informed")
    url = f"/admin/formation/dossiers/nouveau?organization_id={org.id}"
    today = local_day(utcnow())
    tomorrow, earlier = today + timedelta(days=1), today - timedelta(days=100)
    data = {
        "user_id": person.id,
        "module_id": module.id,
        "completed_on": tomorrow.isoformat(),
        "evidence_note": "Attestation no 4521",
    }
    refused = client.post(url, data=data)
    assert refused.status_code == 200
    page = refused.get_data(as_text=True)
    assert "Attestation no 4521" in page and f'value="{tomorrow.isoformat()}"' in page
    assert 'class="field__error"' in page
    assert db.session.scalar(select(TrainingRecord.id)) is None

    bad_expiry = client.post(
        url, data={**data, "completed_on": earlier.isoformat(), "expires_on": earlier.isoformat()}
    )
    assert bad_expiry.status_code == 200 and 'class="field__error"' in bad_expiry.get_data(
        as_text=True
    )

    assert client.post(url, data={**data, "completed_on": earlier.isoformat()}).status_code == 302
    record = db.session.scalar(select(TrainingRecord))
    assert record.status is RecordStatus.CONFIRMED and record.user_id == person.id
    assert record.completed_on == earlier
    assert record.expires_on == earlier.replace(year=earlier.year + 1)  # 12 months
    assert record.evidence_note == "Attestation no 4521" and record.confirmed_by_id == admin.id
    assert not org.is_trained

    for code in REQUIRED:
        if code != "trauma_informed":
            client.post(
                url,
                data={
                    "user_id": person.id,
                    "module_id": _module(code).id,
                    "completed_on": today.isoformat(),
                    "expires_on": (today + timedelta(days=30)).isoformat(),
                },
            )
    db.session.expire_all()
    assert org.is_trained
    assert db.session.scalar(
        select(TrainingRecord.expires_on).where(TrainingRecord.module_id == _module(REQUIRED[0]).id)
    ) == today + timedelta(days=30)


def test_record_form_refuses_other_organisations_and_non_providers(
    client, admin, make_org, staff, make_user
):
    org = make_org()
    staff(org)
    outsider = staff(make_org())
    url = f"/admin/formation/dossiers/nouveau?organization_id={org.id}"
    response = client.post(
        url,
        data={
            "user_id": outsider.id,
            "module_id": _module("trauma_informed").id,
            "completed_on": "2025-03-01",
        },
    )
    assert response.status_code == 200 and 'class="field__error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(TrainingRecord.id)) is None
    referrer = make_user(role=Role.INTERVENANTE).organization
    assert (
        client.get(f"/admin/formation/dossiers/nouveau?organization_id={referrer.id}").status_code
        == 404
    )
    assert client.get("/admin/formation/dossiers/nouveau?organization_id=abc").status_code == 404


def test_records_filter_by_organisation_module_and_status(client, admin, make_org, staff, give):
    alpha, beta = make_org("Alpha"), make_org("Bêta")
    ada, bob = staff(alpha, name="Ada Alpha"), staff(beta, name="Bob Bêta")
    give(ada, "trauma_informed")
    give(bob, "trauma_informed", status=RecordStatus.DECLARED)
    give(bob, "welcome_dignity")

    def names(query: str) -> set[str]:
        page = client.get(f"/admin/formation/dossiers{query}").get_data(as_text=True)
        return {n for n in ("Ada Alpha", "Bob Bêta") if f"<td>{n}" in page}, page.count("<tr>") - 1

    assert names("") == ({"Ada Alpha", "Bob Bêta"}, 3)
    assert names(f"?organization_id={alpha.id}") == ({"Ada Alpha"}, 1)
    module = _module("welcome_dignity")
    assert names(f"?module_id={module.id}") == ({"Bob Bêta"}, 1)
    assert names("?status=declared") == ({"Bob Bêta"}, 1)
    assert names("?status=nonsense&module_id=x")[1] == 3  # bad filters are ignored, never a 500


def test_deleting_a_record_recomputes_the_organisation(client, admin, make_org, staff, complete):
    org = make_org()
    records = complete(staff(org))
    refresh_organization(org)
    db.session.commit()
    assert org.is_trained
    # Confirming what is already confirmed changes nothing (and says so).
    assert client.post(f"/admin/formation/dossiers/{records[0].id}/confirmer").status_code == 302
    response = client.post(f"/admin/formation/dossiers/{records[0].id}/supprimer")
    assert response.status_code == 302
    db.session.expire_all()
    assert not org.is_trained
    assert db.session.get(TrainingRecord, records[0].id) is None
    assert client.post(f"/admin/formation/dossiers/{records[0].id}/supprimer").status_code == 404


def test_the_expiring_list(client, admin, make_org, staff, give):
    today = local_day(utcnow())
    org = make_org("Clinique Zêta")
    soon = staff(org, name="Bientôt Échue")
    give(
        soon, "trauma_informed", today - timedelta(days=300), expires_on=today + timedelta(days=10)
    )
    later = staff(org, name="Encore Longtemps")
    give(later, "trauma_informed", today, expires_on=today + timedelta(days=200))
    renewed = staff(org, name="Déjà Renouvelée")
    give(renewed, "trauma_informed", expires_on=today + timedelta(days=10))
    give(renewed, "trauma_informed", expires_on=today + timedelta(days=375))
    page = client.get("/admin/formation/echeances").get_data(as_text=True)
    assert "Bientôt Échue" in page and "Clinique Zêta" in page
    assert "Encore Longtemps" not in page and "Déjà Renouvelée" not in page
