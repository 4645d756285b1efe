"""Put a synthetic corpus into a fresh database with bulk inserts (no ORM events, no indexing)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert, select, text

from cote_a_cote.catalogue.models import (
    CapacityStatus,
    Location,
    Organization,
    OrganizationKind,
    OrganizationStatus,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceAttribute,
    ServiceLanguage,
    TaxonomyTerm,
    Visibility,
)
from cote_a_cote.database import utcnow
from cote_a_cote.demo.seeding import load_reference_data
from cote_a_cote.extensions import db

BATCH = 5000


def _chunks(rows: list[dict]):
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]


def _insert(model, rows: list[dict]) -> None:
    for chunk in _chunks(rows):
        db.session.execute(insert(model), chunk)


def load(services: list[dict]) -> None:
    """Create the schema, reference data and every service of the corpus; commits."""
    db.create_all()
    load_reference_data()
    db.session.commit()
    term_ids = dict(db.session.execute(select(TaxonomyTerm.code, TaxonomyTerm.id)).all())
    now = utcnow()
    orgs: dict[str, int] = {}
    org_rows = []
    for service in services:
        key = service["organization_key"]
        if key in orgs:
            continue
        orgs[key] = len(orgs) + 1
        org_rows.append(
            {
                "id": orgs[key],
                "name": service["organization_name"],
                "kind": OrganizationKind.PROVIDER,
                "sector_id": term_ids[service["sector"]],
                "status": OrganizationStatus.APPROVED,
                "visibility": (
                    Visibility.INTERVENANTES if service["intervenantes_only"] else Visibility.PUBLIC
                ),
                "is_trained": service["trained"],
                "is_fictional": True,
                "last_verified_at": now - timedelta(days=service["verified_days_ago"]),
            }
        )
    _insert(Organization, org_rows)
    service_rows, attributes, languages, areas, locations, links = [], [], [], [], [], []
    for number, service in enumerate(services, start=1):
        service_rows.append(
            {
                "id": number,
                "organization_id": orgs[service["organization_key"]],
                "name_fr": service["name_fr"],
                "name_en": service["name_en"],
                "description_fr": service["description_fr"],
                "description_en": service["description_en"],
                "capacity": CapacityStatus(service["capacity"]),
                "waitlist_weeks": 4 if service["capacity"] == "waitlist" else None,
                "is_24_7": service["is_24_7"],
                "is_remote": service["is_remote"],
            }
        )
        codes = {
            *service["needs"],
            *service["populations"],
            *service["exploitation"],
            *service["access"],
        }
        attributes += [{"service_id": number, "taxonomy_term_id": term_ids[c]} for c in codes]
        languages += [{"service_id": number, "code": code} for code in service["languages"]]
        areas += [{"service_id": number, "region_code": code} for code in service["regions"]]
        locations.append(
            {
                "id": number,
                "organization_id": orgs[service["organization_key"]],
                "address_1": f"{100 + number % 900}, rue Fictive",
                "municipality": service["municipality"],
                "region_code": service["region_code"],
                "latitude": service["latitude"],
                "longitude": service["longitude"],
                "is_confidential": service["confidential"],
            }
        )
        links.append({"service_id": number, "location_id": number})
    for model, rows in (
        (Service, service_rows),
        (ServiceAttribute, attributes),
        (ServiceLanguage, languages),
        (ServiceArea, areas),
        (Location, locations),
        (ServiceAtLocation, links),
    ):
        _insert(model, rows)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        # A production server's autovacuum gathers the planner's statistics after a bulk load;
        # the bench's server may run without it (this machine's does), and without statistics
        # the search page's joins are planned for empty tables.
        db.session.execute(text("ANALYZE"))
        db.session.commit()
