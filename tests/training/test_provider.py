"""Provider staff: what remains to do, declaring, and the administrators' decision."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from cote_a_cote.database import utcnow
from cote_a_cote.extensions import db
from cote_a_cote.mail import outbox
from cote_a_cote.notifications.models import Notification
from cote_a_cote.roles import Role
from cote_a_cote.training.models import RecordStatus, TrainingModule, TrainingRecord
from cote_a_cote.training.services import local_day
from tests.conftest import login
from tests.training.conftest import REQUIRED


@pytest.fixture
def clinic(make_org, make_service, reference):
    org = make_org("Clinique Êta")
    make_service(organization=org, name_fr="Soins dentaires doux")
    return org


@pytest.fixture
def provider(client, clinic, staff, modules):
    user = staff(clinic, name="Noémie Êta")
    assert login(client, user).status_code == 302
    return user


@pytest.fixture
def admin_client(app, make_user):
    admin = make_user(role=Role.ADMIN, name="Coordination")
    other = app.test_client()
    assert login(other, admin).status_code == 302
    other.user = admin
    return other


def _module(code: str) -> TrainingModule:
    return db.session.scalar(select(TrainingModule).where(TrainingModule.code == code))


def _declare(client, user, code: str, **extra):
    data = {
        "user_id": user.id,
        "module_id": _module(code).id,
        "completed_on": (local_day(utcnow()) - timedelta(days=3)).isoformat(),
        "evidence_note": "Attestation reçue par courriel",
        **extra,
    }
    return client.post("/portail/formation", data=data)


def _kinds(user) -> list[str]:
    return list(
        db.session.scalars(select(Notification.kind).where(Notification.user_id == user.id))
    )


def test_the_page_shows_the_status_and_what_remains(client, provider, clinic, staff, give):
    colleague = staff(clinic, name="Yasmine Êta")
    give(colleague, "trauma_informed")
    page = client.get("/portail/formation").get_data(as_text=True)
    assert "Noémie Êta" in page and "Yasmine Êta" in page
    assert 'class="badge badge--trained"' not in page
    assert page.count("badge--training-missing") == 9 and page.count("badge--training-done") == 1
    assert "Comprendre la traite et l&#39;exploitation sexuelle" in page


def test_declare_confirm_and_the_organisation_becomes_trained(
    client, provider, clinic, give, admin_client
):
    for code in REQUIRED[:-1]:
        give(provider, code)
    response = _declare(client, provider, REQUIRED[-1])
    assert response.status_code == 302
    record = db.session.scalar(
        select(TrainingRecord).where(TrainingRecord.status == RecordStatus.DECLARED)
    )
    assert record.user_id == provider.id and record.declared_by_id == provider.id
    assert record.expires_on == record.completed_on.replace(year=record.completed_on.year + 1)
    assert _kinds(admin_client.user) == ["training_declared"]
    assert [m["To"] for m in outbox()] == [admin_client.user.email]
    assert "Attestation" not in outbox()[0].get_content()  # e-mails say what happened, no more
    assert not clinic.is_trained

    queue = admin_client.get("/admin/formation/dossiers?status=declared").get_data(as_text=True)
    assert "Noémie Êta" in queue and "Attestation reçue par courriel" in queue
    assert admin_client.post(f"/admin/formation/dossiers/{record.id}/confirmer").status_code == 302
    db.session.expire_all()
    assert (
        record.status is RecordStatus.CONFIRMED and record.confirmed_by_id == admin_client.user.id
    )
    assert clinic.is_trained
    assert "training_confirmed" in _kinds(provider)
    page = client.get("/portail/formation").get_data(as_text=True)
    assert 'class="badge badge--trained"' in page

    from tests.search.conftest import find

    assert [s.id for s in clinic.services] == find(trained_only=True)


def test_reject_with_a_reason_the_provider_reads(client, provider, admin_client):
    _declare(client, provider, "trauma_informed")
    record = db.session.scalar(select(TrainingRecord))
    url = f"/admin/formation/dossiers/{record.id}/refuser"
    assert "Noémie Êta" in admin_client.get(url).get_data(as_text=True)
    blank = admin_client.post(url, data={"note": "  "})
    assert blank.status_code == 200 and 'class="field__error"' in blank.get_data(as_text=True)
    assert admin_client.post(url, data={"note": "L'attestation est illisible."}).status_code == 302
    db.session.expire_all()
    assert record.status is RecordStatus.REJECTED
    assert record.decision_note == "L'attestation est illisible."
    assert "training_rejected" in _kinds(provider)
    assert "L&#39;attestation est illisible." in client.get("/portail/formation").get_data(
        as_text=True
    )
    # Decided once: confirming it now changes nothing.
    admin_client.post(f"/admin/formation/dossiers/{record.id}/confirmer")
    db.session.expire_all()
    assert record.status is RecordStatus.REJECTED


def test_declaring_for_a_colleague_and_validation(client, provider, clinic, staff):
    colleague = staff(clinic, name="Samuel Êta")
    assert _declare(client, provider, "trauma_informed").status_code == 302
    again = _declare(client, provider, "trauma_informed")
    assert again.status_code == 200 and 'class="field__error"' in again.get_data(as_text=True)
    future = (local_day(utcnow()) + timedelta(days=2)).isoformat()
    refused = _declare(client, provider, "welcome_dignity", completed_on=future)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 200 and f'value="{future}"' in page
    assert "Attestation reçue par courriel" in page
    assert _declare(client, provider, "welcome_dignity", user_id=colleague.id).status_code == 302
    records = db.session.scalars(select(TrainingRecord).order_by(TrainingRecord.id)).all()
    assert [(r.user_id, r.declared_by_id) for r in records] == [
        (provider.id, provider.id),
        (colleague.id, provider.id),
    ]


def test_another_organisation_is_out_of_reach(client, provider, make_org, staff, give):
    stranger = staff(make_org("Autre organisme"), name="Personne Étrangère")
    theirs = give(stranger, "trauma_informed", status=RecordStatus.DECLARED)
    assert _declare(client, provider, "welcome_dignity", user_id=stranger.id).status_code == 404
    assert _declare(client, provider, "welcome_dignity", user_id=999999).status_code == 404
    assert (
        db.session.scalar(select(TrainingRecord.id).where(TrainingRecord.id != theirs.id)) is None
    )
    retirer = f"/portail/formation/declarations/{theirs.id}/retirer"
    assert client.post(retirer).status_code == 404
    assert db.session.get(TrainingRecord, theirs.id) is not None
    assert "Personne Étrangère" not in client.get("/portail/formation").get_data(as_text=True)


def test_withdrawing_a_declaration(client, provider, give):
    _declare(client, provider, "trauma_informed")
    record = db.session.scalar(select(TrainingRecord))
    confirmed = give(provider, "welcome_dignity")
    assert client.post(f"/portail/formation/declarations/{record.id}/retirer").status_code == 302
    assert db.session.get(TrainingRecord, record.id) is None
    client.post(f"/portail/formation/declarations/{confirmed.id}/retirer")  # decided: refused
    assert db.session.get(TrainingRecord, confirmed.id) is not None
