"""Visibility: approved providers only; the public sees public services; addresses stay hidden."""

from __future__ import annotations

import pytest

from cote_a_cote.catalogue.models import OrganizationKind, OrganizationStatus, Visibility
from cote_a_cote.roles import Role
from cote_a_cote.search.query import Audience, SearchParams, search_services
from tests.search.conftest import find

HIDDEN_STATUSES = [s for s in OrganizationStatus if s is not OrganizationStatus.APPROVED]


@pytest.mark.parametrize("status", HIDDEN_STATUSES, ids=lambda s: s.value)
@pytest.mark.parametrize("audience", list(Audience), ids=lambda a: a.value)
def test_unapproved_providers_never_appear(make_org, add_service, status, audience):
    org = make_org(f"Organisme {status.value}", status=status)
    add_service(org, "Service caché", terms=("need.housing",))
    assert find("caché", audience) == []
    assert find(audience=audience, organization_id=org.id) == []
    assert find(audience=audience, needs=["need.housing"]) == []


def test_referring_organisations_are_not_providers(make_org, add_service):
    referrer = make_org("CALACS", kind=OrganizationKind.REFERRER)
    add_service(referrer, "Service d'un organisme référent")
    assert find("référent", Audience.INTERVENANTE) == []


def test_intervenante_only_services_reach_intervenantes_only(make_org, add_service):
    org = make_org("Refuge discret", visibility=Visibility.INTERVENANTES)
    service = add_service(org, "Refuge discret")
    assert find("refuge", Audience.INTERVENANTE) == [service.id]
    assert find("refuge", Audience.PUBLIC) == []
    counts = search_services(SearchParams(), Audience.PUBLIC, with_facets=True)
    assert counts.total == 0


@pytest.mark.parametrize(
    ("role", "sees_restricted"),
    [(None, False), (Role.PROVIDER, False), (Role.INTERVENANTE, True), (Role.ADMIN, True)],
)
def test_search_page_per_role(client, login_as, make_org, add_service, role, sees_restricted):
    add_service(make_org("Public"), "Atelier public ouvert")
    add_service(make_org("Discret", visibility=Visibility.INTERVENANTES), "Atelier discret")
    add_service(make_org("Brouillon", status=OrganizationStatus.DRAFT), "Atelier brouillon")
    if role is not None:
        login_as(role)
    html = client.get("/recherche?q=atelier").get_data(as_text=True)
    assert "Atelier public ouvert" in html
    assert ("Atelier discret" in html) is sees_restricted
    assert "Atelier brouillon" not in html


def test_confidential_street_never_reaches_the_page(client, login_as, catalogue):
    login_as(Role.INTERVENANTE)
    html = client.get("/recherche?q=hebergement").get_data(as_text=True)
    assert "Hébergement d&#39;urgence" in html or "Hébergement d'urgence" in html
    assert "Longueuil" in html
    assert "Cachée" not in html
