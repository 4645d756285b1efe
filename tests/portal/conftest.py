"""Portal fixtures: a provider organisation with a signed-in staff member, in a chosen status."""

from __future__ import annotations

import pytest

from cote_a_cote.catalogue.models import OrganizationStatus
from cote_a_cote.roles import Role
from tests.conftest import login


@pytest.fixture
def provider_org(reference, make_org):
    """A draft provider organisation (edits apply at once)."""
    return make_org(name="Clinique du Fleuve", status=OrganizationStatus.DRAFT)


@pytest.fixture
def staff(client, make_user, provider_org):
    """A staff member of provider_org, signed in."""
    user = make_user(role=Role.PROVIDER, organization=provider_org, name="Nadia Fictive")
    assert login(client, user).status_code == 302
    return user


@pytest.fixture
def admin(make_user):
    return make_user(role=Role.ADMIN, email="coordination@example.org")
