"""Help lines and listed referring organisations: reading, editing, seeding. Nothing commits."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..catalogue.models import Location, Organization, OrganizationKind, Region
from ..extensions import db
from ..seeds import SEEDS_DIR
from .models import Helpline, ReferrerListing

SEED_FILE = SEEDS_DIR / "helplines.json"
HELPLINE_FIELDS = (
    "name_fr",
    "name_en",
    "description_fr",
    "description_en",
    "phone",
    "hours_fr",
    "hours_en",
    "source_url",
    "position",
    "active",
)


def active_helplines() -> list[Helpline]:
    return list(
        db.session.scalars(
            select(Helpline)
            .where(Helpline.active.is_(True))
            .order_by(Helpline.position, Helpline.id)
        )
    )


def all_helplines() -> list[Helpline]:
    return list(db.session.scalars(select(Helpline).order_by(Helpline.position, Helpline.id)))


def save_helpline(helpline: Helpline | None, values: dict) -> Helpline:
    """Create (helpline None) or update a help line from values (HELPLINE_FIELDS); flushes."""
    if helpline is None:
        helpline = Helpline()
        db.session.add(helpline)
    for name in HELPLINE_FIELDS:
        if name in values:
            setattr(helpline, name, values[name])
    db.session.flush()
    return helpline


def delete_helpline(helpline: Helpline) -> None:
    db.session.delete(helpline)
    db.session.flush()


def load_helplines() -> int:
    """Add the lines of seeds/helplines.json that are missing (by key); how many. Flushes.

    Lines already there are left as administrators edited them."""
    known = set(db.session.scalars(select(Helpline.seed_key).where(Helpline.seed_key.is_not(None))))
    added = 0
    for position, item in enumerate(json.loads(SEED_FILE.read_text("utf-8"))["helplines"], start=1):
        if item["key"] in known:
            continue
        values = {name: item.get(name) for name in HELPLINE_FIELDS if name in item}
        values |= {"source_url": item["source"], "position": position * 10, "active": True}
        helpline = save_helpline(None, values)
        helpline.seed_key = item["key"]
        added += 1
    db.session.flush()
    return added


@dataclass(frozen=True)
class RegionGroup:
    label: str
    listings: tuple[ReferrerListing, ...]


def listed_referrers(locale: str) -> list[RegionGroup]:
    """Referring organisations that agreed to be listed, grouped by region (province-wide last)."""
    listings = db.session.scalars(
        select(ReferrerListing)
        .join(Organization, Organization.id == ReferrerListing.organization_id)
        .outerjoin(Region, Region.code == ReferrerListing.region_code)
        .where(ReferrerListing.listed.is_(True), Organization.kind == OrganizationKind.REFERRER)
        .order_by(Region.position.is_(None), Region.position, Organization.name, Organization.id)
        .options(selectinload(ReferrerListing.organization), selectinload(ReferrerListing.region))
    )
    groups: dict[str, list[ReferrerListing]] = {}
    for listing in listings:
        label = listing.region.label(locale) if listing.region else ""
        groups.setdefault(label, []).append(listing)
    return [RegionGroup(label, tuple(items)) for label, items in groups.items()]


def referring_organizations() -> list[tuple[Organization, ReferrerListing | None]]:
    """Every referring organisation with its listing (None: never set, so not listed)."""
    orgs = db.session.scalars(
        select(Organization)
        .where(Organization.kind == OrganizationKind.REFERRER)
        .order_by(Organization.name, Organization.id)
    ).all()
    listings = {
        listing.organization_id: listing
        for listing in db.session.scalars(
            select(ReferrerListing).where(ReferrerListing.organization_id.in_([o.id for o in orgs]))
        )
    }
    return [(org, listings.get(org.id)) for org in orgs]


def listing_for(organization: Organization) -> ReferrerListing:
    """The organisation's listing, created (not listed) when it has none; flushes."""
    listing = db.session.get(ReferrerListing, organization.id)
    if listing is None:
        listing = ReferrerListing(organization_id=organization.id, listed=False)
        db.session.add(listing)
        db.session.flush()
    return listing


def save_listing(organization: Organization, values: dict) -> ReferrerListing:
    listing = listing_for(organization)
    for name in ("listed", "region_code", "how_to_reach_fr", "how_to_reach_en"):
        setattr(listing, name, values.get(name))
    listing.listed = bool(values.get("listed"))
    db.session.flush()
    return listing


def seed_demo_listings(orgs: dict[str, Organization]) -> int:
    """List most fictional demo referring organisations, in the region of their first place."""
    created = 0
    for key, org in sorted(orgs.items()):
        if org.kind is not OrganizationKind.REFERRER or not org.is_fictional:
            continue
        if db.session.get(ReferrerListing, org.id) is not None:
            continue
        region = db.session.scalar(
            select(Location.region_code).where(Location.organization_id == org.id).limit(1)
        )
        db.session.add(
            ReferrerListing(
                organization_id=org.id,
                # One demo organisation stays unlisted, as some real ones will.
                listed=not key.endswith("06"),
                region_code=region,
                how_to_reach_fr="Appelez en semaine de 9 h à 17 h et demandez l’accueil "
                "(organisme fictif — données de démonstration).",
                how_to_reach_en="Call on weekdays from 9 a.m. to 5 p.m. and ask for intake "
                "(fictional organisation — demo data).",
            )
        )
        created += 1
    db.session.flush()
    return created
