"""A service's text number, cost and populations not served: saved from the portal form, reviewed
side by side when the profile is published, shown on the service page."""

from __future__ import annotations

from sqlalchemy import select

from cote_a_cote.catalogue.models import OrganizationStatus, Service, TaxonomyTerm
from cote_a_cote.extensions import db
from cote_a_cote.revisions.models import ProfileRevision
from cote_a_cote.roles import Role
from tests.conftest import login, shown
from tests.portal.test_editing import service_data

NEW_FIELDS = {
    "text_phone": "514 555-0123",
    "cost_kind": "reduced",
    "excluded": ["population.men"],
}


def test_the_new_fields_are_saved_and_shown(app, client, staff, provider_org):
    page = client.get("/portail/services/nouveau").text
    assert 'name="text_phone"' in page and 'name="cost_kind"' in page
    assert 'name="excluded" type="checkbox" value="population.men"' in page
    response = client.post("/portail/services/nouveau", data=service_data(**NEW_FIELDS))
    assert response.status_code == 302
    service = db.session.scalar(select(Service))
    assert service.text_phone == "514 555-0123"
    assert service.cost_kind == "reduced"
    assert [t.code for t in service.excluded_populations] == ["population.men"]
    # Not stated is stored as nothing.
    client.post(
        f"/portail/services/{service.id}/modifier",
        data=service_data(cost_kind="", text_phone="", excluded=None),
    )
    db.session.expire_all()
    assert (service.cost_kind, service.text_phone, service.excluded_populations) == (
        None,
        None,
        [],
    )


def test_a_population_cannot_be_served_and_not_served(app, client, staff):
    data = service_data(excluded=["population.women"])  # also among the populations served
    response = client.post("/portail/services/nouveau", data=data)
    assert response.status_code == 200
    assert (
        shown(app, "A population cannot be both served and not served: choose one or the other.")
        in response.text
    )
    assert db.session.scalar(select(Service)) is None


def test_an_odd_cost_kind_is_refused(app, client, staff):
    response = client.post("/portail/services/nouveau", data=service_data(cost_kind="gratis"))
    assert response.status_code == 200
    assert shown(app, "Choose what the service costs from the list.") in response.text
    assert db.session.scalar(select(Service)) is None


def test_the_revision_review_shows_the_new_fields(
    app, client, reference, make_org, make_user, make_service, admin
):
    org = make_org(name="Clinique Approuvée", status=OrganizationStatus.APPROVED)
    with db.session.no_autoflush:
        service = make_service(organization=org, terms=("need.physical_health.dental",))
    login(client, make_user(role=Role.PROVIDER, organization=org))
    response = client.post(
        f"/portail/services/{service.id}/modifier", data=service_data(**NEW_FIELDS)
    )
    assert response.status_code == 302
    revision = db.session.scalars(select(ProfileRevision)).one()
    assert revision.payload["excluded"] == ["population.men"]
    client.post("/deconnexion")
    login(client, admin)
    client.post("/langue", data={"locale": "en", "next": "/"})
    page = client.get(f"/admin/verification/revisions/{revision.id}").text
    assert "Number for text messages (SMS)" in page and "514 555-0123" in page
    assert "What it costs the person" in page and "Reduced cost" in page
    assert "Populations not served" in page and "Men" in page


def test_the_application_review_shows_them(app, client, reference, make_org, make_service, admin):
    org = make_org(name="Clinique Candidate", status=OrganizationStatus.SUBMITTED)
    with db.session.no_autoflush:
        service = make_service(organization=org, text_phone="514 555-0177")
        service.excluded_populations = db.session.scalars(
            select(TaxonomyTerm).where(TaxonomyTerm.code == "population.men")
        ).all()
    db.session.commit()
    login(client, admin)
    client.post("/langue", data={"locale": "en", "next": "/"})
    page = client.get(f"/admin/verification/organisations/{org.id}").text
    assert "514 555-0177" in page and "Populations not served" in page and "Men" in page
