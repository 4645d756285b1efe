"""A small fixed catalogue for the HSDS API tests: what the public may and may not see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time

import pytest

from cote_a_cote.catalogue.models import (
    CapacityStatus,
    OrganizationKind,
    OrganizationStatus,
    Schedule,
    Service,
    Visibility,
)
from cote_a_cote.extensions import db
from tests.conftest import new_org, new_service, snapshot_fixture

SECRET_STREET = "123 rue du Refuge"
SECRET_POSTAL = "G5L 9Z9"


@dataclass
class Catalogue:
    dental: Service
    shelter: Service
    lawyer: Service
    hidden: dict[str, Service]


@pytest.fixture
def make_service(make_service):
    """tests/conftest.py's factory, minus an autoflush warning when it looks terms up."""

    def factory(*args, **kwargs):
        with db.session.no_autoflush:
            return make_service(*args, **kwargs)

    return factory


def _add_service(*args, **kwargs) -> Service:
    with db.session.no_autoflush:
        return new_service(*args, **kwargs)


@snapshot_fixture
def api_catalogue() -> dict:
    """The catalogue's service ids (built once, restored for each test)."""
    make_org, make_service = new_org, _add_service
    clinic = make_org(name="Clinique Alpha (fictive)", description_fr="Une clinique fictive.")
    dental = make_service(
        organization=clinic,
        name_fr="Soins dentaires sans jugement",
        name_en="Judgement-free dental care",
        description_fr="Soins dentaires pour toutes.",
        terms=("need.physical_health.dental", "access.free_or_reduced_cost"),
        regions=("06",),
        languages=("fr", "en"),
        location={
            "name": "Clinique Alpha",
            "address_1": "10 rue Sainte-Catherine",
            "postal_code": "H2X 1Z1",
            "municipality": "Montréal",
            "region_code": "06",
            "latitude": 45.5088,
            "longitude": -73.5617,
        },
        capacity=CapacityStatus.WAITLIST,
        waitlist_weeks=3,
        phone="514-555-0100",
    )
    dental.schedules = [Schedule(weekday=1, opens_at=time(9), closes_at=time(17))]
    shelter_org = make_org(
        name="Maison Bêta (fictive)", last_verified_at=datetime(2025, 3, 1, tzinfo=UTC)
    )
    shelter = make_service(
        organization=shelter_org,
        name_fr="Hébergement d'urgence",
        terms=("need.safety_shelter", "need.housing"),
        regions=("01",),
        languages=("fr", "es"),
        location={
            "name": "Maison Bêta",
            "address_1": SECRET_STREET,
            "postal_code": SECRET_POSTAL,
            "municipality": "Rimouski",
            "region_code": "01",
            "latitude": 48.4489,
            "longitude": -68.5239,
            "is_confidential": True,
        },
        is_24_7=True,
    )
    lawyer = make_service(
        organization=make_org(name="Cabinet Gamma (fictif)"),
        name_fr="Avocate en immigration",
        terms=("need.legal.immigration",),
        regions=("03",),
        languages=("fr",),
        is_remote=True,
    )
    hidden = {
        "intervenantes": make_org(visibility=Visibility.INTERVENANTES),
        "draft": make_org(status=OrganizationStatus.DRAFT),
        "submitted": make_org(status=OrganizationStatus.SUBMITTED),
        "suspended": make_org(status=OrganizationStatus.SUSPENDED),
        "rejected": make_org(status=OrganizationStatus.REJECTED),
        "referrer": make_org(kind=OrganizationKind.REFERRER),
    }
    hidden_services = {
        reason: make_service(
            organization=org,
            name_fr=f"Soins dentaires cachés {reason}",
            terms=("need.physical_health.dental",),
            regions=("06",),
            location={
                "municipality": "Montréal",
                "region_code": "06",
                "latitude": 45.51,
                "longitude": -73.56,
            },
        )
        for reason, org in hidden.items()
    }
    db.session.commit()
    return {
        "dental": dental.id,
        "shelter": shelter.id,
        "lawyer": lawyer.id,
        "hidden": {reason: service.id for reason, service in hidden_services.items()},
    }


@pytest.fixture
def catalogue(api_catalogue) -> Catalogue:
    """Three public services, and one hidden service per reason a service must stay hidden."""

    def get(id_: int) -> Service:
        return db.session.get(Service, id_)

    return Catalogue(
        dental=get(api_catalogue["dental"]),
        shelter=get(api_catalogue["shelter"]),
        lawyer=get(api_catalogue["lawyer"]),
        hidden={reason: get(id_) for reason, id_ in api_catalogue["hidden"].items()},
    )
