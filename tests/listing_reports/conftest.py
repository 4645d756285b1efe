"""Report fixtures: a listed service whose provider has staff, and a way to post a report."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from cote_a_cote.accounts.models import User
from cote_a_cote.catalogue.models import Organization, Service
from cote_a_cote.roles import Role


@dataclass
class Listing:
    org: Organization
    service: Service
    staff: User
    admin: User


@pytest.fixture
def listing(reference, make_org, make_user, make_service) -> Listing:
    """An approved public provider with one service in Montréal (06), a staff member, an admin."""
    org = make_org(name="Clinique fictive Boréale")
    service = make_service(organization=org, name_fr="Soins dentaires fictifs", regions=("06",))
    staff = make_user(Role.PROVIDER, org, email="staff@example.org")
    admin = make_user(Role.ADMIN, email="coord@example.org")
    return Listing(org=org, service=service, staff=staff, admin=admin)


def report_url(service_id) -> str:
    return f"/services/{service_id}/signaler"


def post_report(client, service_id, kind="wrong_information", note="Le numéro a changé.", **kw):
    return client.post(report_url(service_id), data={"kind": kind, "note": note}, **kw)
