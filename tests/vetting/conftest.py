"""Fixtures for the vetting tests: an administrator and a provider applicant with its staff."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cote_a_cote.catalogue.models import OrganizationStatus
from cote_a_cote.roles import Role

NOW = datetime(2025, 5, 6, 14, 0, tzinfo=UTC)


@pytest.fixture
def admin(login_as):
    """An administrator, signed in on the test client."""
    return login_as(Role.ADMIN, name="Aline Coordination", email="aline@example.org")


@pytest.fixture
def applicant(make_org, make_user):
    """A submitted provider application and its one staff member (fictional)."""
    org = make_org(
        name="Atelier Fictif Lumière",
        status=OrganizationStatus.SUBMITTED,
        submitted_at=NOW,
        description_fr="Un atelier de coiffure solidaire.",
    )
    staff = make_user(
        role=Role.PROVIDER, organization=org, name="Paul Pourvoyeur", email="paul@example.org"
    )
    return org, staff
