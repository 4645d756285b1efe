"""A published profile changes only through reviewed revisions; capacity and hours stay live."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cote_a_cote.catalogue.models import Location, OrganizationStatus, Service
from cote_a_cote.extensions import db
from cote_a_cote.notifications.models import Notification
from cote_a_cote.revisions import services as revisions
from cote_a_cote.revisions.diff import diff as revision_diff
from cote_a_cote.revisions.models import (
    ProfileRevision,
    RevisionAction,
    RevisionStatus,
    RevisionTarget,
)
from cote_a_cote.roles import Role
from cote_a_cote.search.query import Audience
from cote_a_cote.vetting.models import EventAction, OrganizationEvent
from tests.conftest import login, shown
from tests.portal.test_editing import service_data
from tests.search.conftest import find


@pytest.fixture
def published(client, reference, make_org, make_user, make_service):
    """An approved organisation with one service and one place, and its staff member signed in."""
    org = make_org(name="Clinique Approuvée", status=OrganizationStatus.APPROVED)
    with db.session.no_autoflush:
        service = make_service(
            organization=org,
            name_fr="Radiographie dentaire",
            terms=("need.physical_health.dental",),
            regions=("03",),
            location={"municipality": "Québec", "region_code": "03", "name": "Clinique Limoilou"},
        )
    user = make_user(role=Role.PROVIDER, organization=org)
    login(client, user)
    return {"org": org, "service": service, "place": service.locations[0], "user": user}


def the_revision() -> ProfileRevision:
    return db.session.scalars(select(ProfileRevision)).one()


def test_an_edit_creates_a_pending_revision_and_leaves_live_data_and_search(
    app, client, published, admin
):
    service = published["service"]
    assert find("radiographie", audience=Audience.PUBLIC) == [service.id]
    url = f"/portail/services/{service.id}/modifier"
    response = client.post(url, data=service_data(name_fr="Panoramique dentaire", regions=["03"]))
    assert response.status_code == 302
    db.session.expire_all()
    assert service.name_fr == "Radiographie dentaire"  # live row unchanged
    assert find("panoramique", audience=Audience.PUBLIC) == []
    revision = the_revision()
    assert revision.status is RevisionStatus.PENDING
    assert (revision.target, revision.target_id, revision.action) == (
        RevisionTarget.SERVICE, service.id, RevisionAction.UPDATE,
    )  # fmt: skip
    assert revision.payload["name_fr"] == "Panoramique dentaire"
    event = db.session.scalar(select(OrganizationEvent))
    assert event.action is EventAction.REVISION_SUBMITTED and event.revision_id == revision.id
    note = db.session.scalar(select(Notification).where(Notification.user_id == admin.id))
    assert note.kind == "revision_submitted"
    assert note.endpoint == "vetting.revision" and note.endpoint_args == {
        "revision_id": revision.id
    }

    # The form shows the proposed values, says a change awaits review; editing again updates it.
    page = client.get(url).text
    assert 'value="Panoramique dentaire"' in page
    client.post(url, data=service_data(name_fr="Panoramique 3D", regions=["03"]))
    db.session.expire_all()
    assert the_revision().payload["name_fr"] == "Panoramique 3D"
    assert db.session.scalar(select(OrganizationEvent.id).offset(1)) is None  # announced once
    assert "Panoramique 3D" in client.get("/portail/").text


def test_approving_applies_the_change_and_search_finds_it(app, client, published, admin):
    service = published["service"]
    client.post(
        f"/portail/services/{service.id}/modifier",
        data=service_data(name_fr="Panoramique dentaire", regions=["03", "12"]),
    )
    revision = the_revision()
    revisions.approve_revision(revision, admin)
    db.session.commit()
    db.session.expire_all()
    assert service.name_fr == "Panoramique dentaire"
    assert [a.region_code for a in service.areas] == ["03", "12"]
    assert revision.status is RevisionStatus.APPROVED
    assert revision.decided_by_id == admin.id and revision.decided_at is not None
    assert find("panoramique", audience=Audience.PUBLIC) == [service.id]
    assert find("radiographie", audience=Audience.PUBLIC) == []
    actions = [e.action for e in db.session.scalars(select(OrganizationEvent))]
    assert EventAction.REVISION_APPROVED in actions
    staff_note = db.session.scalar(
        select(Notification).where(Notification.user_id == published["user"].id)
    )
    assert staff_note.kind == "revision_approved"
    with pytest.raises(revisions.RevisionError):
        revisions.approve_revision(revision, admin)  # only once


def test_returning_keeps_live_data_and_shows_the_message(app, client, published, admin):
    org = published["org"]
    client.post(
        "/portail/organisation",
        data={"name": "Nouveau nom", "visibility": "public", "description_fr": "Texte"},
    )
    revision = the_revision()
    with pytest.raises(revisions.RevisionError):
        revisions.return_revision(revision, admin, "   ")
    revisions.return_revision(revision, admin, "Le nom doit rester celui du registre.")
    db.session.commit()
    db.session.expire_all()
    assert org.name == "Clinique Approuvée"
    assert revision.status is RevisionStatus.RETURNED
    event = db.session.scalars(
        select(OrganizationEvent).where(OrganizationEvent.action == EventAction.REVISION_RETURNED)
    ).one()
    assert event.message == "Le nom doit rester celui du registre."
    assert "Le nom doit rester celui du registre." in client.get("/portail/").text

    # The provider edits again: a new pending revision.
    client.post("/portail/organisation", data={"name": "Clinique Approuvée", "visibility": "public",
                                               "description_fr": "Texte"})  # fmt: skip
    statuses = [
        r.status for r in db.session.scalars(select(ProfileRevision).order_by(ProfileRevision.id))
    ]
    assert statuses == [RevisionStatus.RETURNED, RevisionStatus.PENDING]
    assert "Le nom doit rester celui du registre." not in client.get("/portail/").text


def test_a_new_service_and_a_deletion_wait_for_review(app, client, published, admin):
    service = published["service"]
    client.post("/portail/services/nouveau", data=service_data(name_fr="Blanchiment"))
    assert db.session.scalar(select(Service).where(Service.name_fr == "Blanchiment")) is None
    created = the_revision()
    assert created.action is RevisionAction.CREATE and created.target_id is None
    assert "Blanchiment" in client.get("/portail/services").text

    client.post(f"/portail/services/{service.id}/supprimer")
    deletion = db.session.scalar(
        select(ProfileRevision).where(ProfileRevision.action == RevisionAction.DELETE)
    )
    assert db.session.get(Service, service.id) is not None

    revisions.approve_revision(created, admin)
    revisions.approve_revision(deletion, admin)
    db.session.commit()
    new = db.session.scalar(select(Service).where(Service.name_fr == "Blanchiment"))
    assert new is not None and created.target_id == new.id
    assert db.session.get(Service, service.id) is None
    assert find("blanchiment", audience=Audience.PUBLIC) == [new.id]
    assert find("radiographie", audience=Audience.PUBLIC) == []


def test_place_revisions_and_withdrawal(client, published, admin):
    place = published["place"]
    data = {"name": "Clinique Vanier", "municipality": "Québec", "address_1": "1 rue Fictive"}
    client.post(f"/portail/lieux/{place.id}/modifier", data=data)
    db.session.expire_all()
    assert place.name == "Clinique Limoilou"
    revision = the_revision()
    assert revision.payload["latitude"] is not None  # resolved before review
    assert client.post(f"/portail/propositions/{revision.id}/retirer").status_code == 302
    db.session.expire_all()
    assert revision.status is RevisionStatus.WITHDRAWN
    with pytest.raises(revisions.RevisionError):
        revisions.approve_revision(revision, admin)
    assert place.name == "Clinique Limoilou"


def test_capacity_schedules_and_still_accurate_stay_live(client, published):
    service = published["service"]
    client.post(f"/portail/services/{service.id}/capacite", data={"status": "paused"})
    client.post(
        f"/portail/services/{service.id}/horaire",
        data={"rows-0-weekday": "5", "rows-0-opens_at": "10:00", "rows-0-closes_at": "14:00"},
    )
    client.post("/portail/toujours-exact")
    db.session.expire_all()
    assert service.capacity.value == "paused"
    assert len(service.schedules) == 1
    assert published["org"].last_verified_at is not None
    assert db.session.scalar(select(ProfileRevision)) is None


def test_diff_rows_for_update_create_and_delete(app, client, published):
    service, place = published["service"], published["place"]
    client.post(
        f"/portail/services/{service.id}/modifier",
        data=service_data(
            name_fr="Radiographie dentaire",
            regions=["03", "12"],
            is_24_7="y",
            languages=["fr", "es"],
        ),  # fmt: skip
    )
    client.post("/portail/lieux/nouveau", data={"municipality": "Lévis", "name": "Point Lévis"})
    client.post(f"/portail/lieux/{place.id}/supprimer")
    by_action = {r.action: r for r in db.session.scalars(select(ProfileRevision))}
    with app.test_request_context():  # French, the default
        update_rows = {row.label: row for row in revision_diff(by_action[RevisionAction.UPDATE])}
        create_rows = {row.label: row for row in revision_diff(by_action[RevisionAction.CREATE])}
        delete_rows = {row.label: row for row in revision_diff(by_action[RevisionAction.DELETE])}
    label = lambda text: shown(app, text)  # noqa: E731
    name = update_rows[label("Name (French)")]
    assert (name.before, name.after, name.changed) == ("Radiographie dentaire",) * 2 + (False,)
    regions = update_rows[label("Regions served")]
    assert regions.before == "Capitale-Nationale"
    assert regions.after == "Capitale-Nationale, Chaudière-Appalaches" and regions.changed
    open_all_day = update_rows[label("Open 24/7")]
    assert (open_all_day.before, open_all_day.after) == (shown(app, "No"), shown(app, "Yes"))
    needs = update_rows[label("Needs")]
    assert needs.before == needs.after and not needs.changed and needs.after  # a readable label
    assert "need." not in needs.after
    assert update_rows[label("Languages")].after == "Français, Espagnol"

    municipality = create_rows[label("Municipality")]
    assert (municipality.before, municipality.after, municipality.changed) == ("", "Lévis", True)
    assert create_rows[label("Region")].after == "Chaudière-Appalaches"

    gone = delete_rows[label("Name")]
    assert (gone.before, gone.after, gone.changed) == ("Clinique Limoilou", "", True)
    assert revisions.pending_revisions(published["org"]) == sorted(
        by_action.values(), key=lambda r: r.id
    )


def test_a_returned_new_service_can_be_proposed_again(client, published, admin):
    client.post("/portail/services/nouveau", data=service_data(name_fr="Blanchiment"))
    first = the_revision()
    revisions.return_revision(first, admin, "Ajoutez le tarif.")
    db.session.commit()
    page = client.get(f"/portail/propositions/{first.id}/modifier").text
    assert "Ajoutez le tarif." in page and 'value="Blanchiment"' in page
    client.post(
        f"/portail/propositions/{first.id}/modifier",
        data=service_data(name_fr="Blanchiment", cost_fr="50 $"),
    )
    latest = db.session.scalars(select(ProfileRevision).order_by(ProfileRevision.id.desc())).first()
    assert latest.id != first.id and latest.status is RevisionStatus.PENDING
    assert latest.payload["cost_fr"] == "50 $"
    assert db.session.scalar(select(Location).where(Location.name == "Blanchiment")) is None


def test_saving_the_published_values_files_nothing_and_reverting_withdraws(client, published):
    service = published["service"]
    url = f"/portail/services/{service.id}/modifier"
    same = {
        "name_fr": "Radiographie dentaire", "needs": ["need.physical_health.dental"],
        "languages": ["fr"], "regions": ["03"], "locations": [str(published["place"].id)],
    }  # fmt: skip
    assert client.post(url, data=same).status_code == 302
    assert db.session.scalar(select(ProfileRevision)) is None
    client.post(url, data={**same, "name_fr": "Autre nom"})
    assert the_revision().status is RevisionStatus.PENDING
    client.post(url, data=same)  # back to what is published
    db.session.expire_all()
    assert the_revision().status is RevisionStatus.WITHDRAWN
