"""Two provider organisations cannot reach each other's services, places, revisions, colleagues."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cote_a_cote.accounts.models import Invitation, User
from cote_a_cote.accounts.services import create_invitation
from cote_a_cote.catalogue.models import Location, OrganizationStatus, Service
from cote_a_cote.extensions import db
from cote_a_cote.revisions.models import ProfileRevision, RevisionAction, RevisionTarget
from cote_a_cote.roles import Role
from tests.conftest import login


@pytest.fixture
def other(reference, make_org, make_user, make_service):
    """Everything of another provider organisation that has an id in a URL."""
    org = make_org(name="Autre Clinique", status=OrganizationStatus.APPROVED)
    service = make_service(organization=org, location={"municipality": "Laval"})
    place = db.session.scalar(select(Location).where(Location.organization_id == org.id))
    colleague = make_user(role=Role.PROVIDER, organization=org, email="autre@example.org")
    invitation = create_invitation(
        name="Invitée", email="inv@example.org", role=Role.PROVIDER, organization=org,
        invited_by=colleague, locale="fr",
    )  # fmt: skip
    revision = ProfileRevision(
        organization_id=org.id, target=RevisionTarget.SERVICE, target_id=None,
        action=RevisionAction.CREATE, payload={"name_fr": "Proposé"},
    )  # fmt: skip
    db.session.add(revision)
    db.session.commit()
    return {"service": service.id, "place": place.id, "colleague": colleague.id,
            "invitation": invitation.id, "revision": revision.id}  # fmt: skip


ROUTES = [
    ("GET", "/portail/services/{service}/modifier"),
    ("POST", "/portail/services/{service}/modifier"),
    ("POST", "/portail/services/{service}/supprimer"),
    ("GET", "/portail/services/{service}/horaire"),
    ("POST", "/portail/services/{service}/horaire"),
    ("POST", "/portail/services/{service}/capacite"),
    ("GET", "/portail/lieux/{place}/modifier"),
    ("POST", "/portail/lieux/{place}/modifier"),
    ("POST", "/portail/lieux/{place}/supprimer"),
    ("GET", "/portail/propositions/{revision}/modifier"),
    ("POST", "/portail/propositions/{revision}/retirer"),
    ("POST", "/portail/collegues/{colleague}/retirer"),
    ("POST", "/portail/collegues/invitations/{invitation}/revoquer"),
]


@pytest.mark.parametrize(("method", "route"), ROUTES)
@pytest.mark.parametrize("status", [OrganizationStatus.DRAFT, OrganizationStatus.APPROVED])
def test_another_organisations_objects_answer_404(
    client, make_org, make_user, other, method, route, status
):
    mine = make_org(name="Ma Clinique", status=status)
    login(client, make_user(role=Role.PROVIDER, organization=mine))
    data = {
        "status": "paused", "name_fr": "Piraté", "municipality": "Laval",
        "needs": ["need.housing"], "languages": ["fr"], "regions": ["06"],
    }  # fmt: skip
    response = client.open(route.format(**other), method=method, data=data)
    assert response.status_code == 404
    db.session.expire_all()
    service = db.session.get(Service, other["service"])
    assert service is not None and service.capacity.value == "accepting"
    assert service.name_fr != "Piraté"
    assert db.session.get(Location, other["place"]) is not None
    assert db.session.get(User, other["colleague"]).active
    assert db.session.get(Invitation, other["invitation"]).revoked_at is None
    assert db.session.get(ProfileRevision, other["revision"]).status.value == "pending"
    assert (
        db.session.scalar(select(ProfileRevision).where(ProfileRevision.organization_id == mine.id))
        is None
    )


def test_lists_show_only_the_organisations_own_data(client, make_org, make_user, other):
    mine = make_org(name="Ma Clinique")
    login(client, make_user(role=Role.PROVIDER, organization=mine, email="moi@example.org"))
    assert "autre@example.org" not in client.get("/portail/collegues").text
    assert "inv@example.org" not in client.get("/portail/collegues").text
    assert "Laval" not in client.get("/portail/lieux").text
    assert "Proposé" not in client.get("/portail/services").text
    assert f"/portail/services/{other['service']}/" not in client.get("/portail/services").text
