"""The catalogue's seeds: reference data (taxonomy, regions) and the fictional demo catalogue.

The demo as a whole (accounts, training, referrals, …) is put together by cote_a_cote/demo/.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from ..database import utcnow
from ..extensions import db
from ..seeds import read_seed
from .models import (
    CapacityStatus,
    Closure,
    Location,
    Organization,
    OrganizationKind,
    OrganizationStatus,
    Region,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceLanguage,
    Taxonomy,
    TaxonomyTerm,
    Visibility,
)
from .person_texts import demo_person_texts

# A relative date ("verified 200 days ago") is rewritten only when it moved by more than this,
# so running seed-demo twice in a row changes nothing, and a run months later keeps stale stale.
DATE_TOLERANCE = timedelta(days=1)


def _assign(obj: object, values: dict[str, Any]) -> bool:
    """Set only the attributes that differ, so an unchanged row is never rewritten."""
    changed = False
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    return changed


def load_catalogue_reference_data() -> None:
    """Upsert taxonomies, terms and regions by code; flushes only."""
    _load_taxonomies(read_seed("taxonomy.json")["taxonomies"])
    _load_term_keywords(read_seed("taxonomy_keywords.json")["keywords"])
    _load_regions(read_seed("regions.json")["regions"])
    db.session.flush()


def _load_taxonomies(taxonomies: list[dict]) -> None:
    existing = {t.code: t for t in db.session.scalars(select(Taxonomy))}
    terms = {t.code: t for t in db.session.scalars(select(TaxonomyTerm))}
    for entry in taxonomies:
        taxonomy = existing.get(entry["code"])
        if taxonomy is None:
            taxonomy = Taxonomy(code=entry["code"])
            db.session.add(taxonomy)
        _assign(taxonomy, _labels(entry))
        for index, item in enumerate(entry["terms"], start=1):
            term = terms.get(item["code"])
            if term is None:
                term = TaxonomyTerm(code=item["code"], active=True)
                db.session.add(term)
            values = _labels(item) | {"position": item.get("position", index * 10)}
            _assign(term, values)
            if term.taxonomy is not taxonomy:
                term.taxonomy = taxonomy


def _load_term_keywords(keywords: dict[str, dict[str, list[str]]]) -> None:
    """Give each term its seeded search keywords, only while it has none: once set (even to
    nothing) they are the administrators' and a reload never overwrites them."""
    db.session.flush()  # the terms just added too
    for term in db.session.scalars(select(TaxonomyTerm)):
        seeded = keywords.get(term.code)
        if seeded is None or term.keywords_fr is not None or term.keywords_en is not None:
            continue
        term.keywords_fr = "\n".join(seeded.get("fr", []))
        term.keywords_en = "\n".join(seeded.get("en", []))


def _labels(item: dict) -> dict[str, Any]:
    return {
        "name_fr": item["name_fr"],
        "name_en": item["name_en"],
        "description_fr": item.get("description_fr"),
        "description_en": item.get("description_en"),
    }


def _load_regions(regions: list[dict]) -> None:
    existing = {r.code: r for r in db.session.scalars(select(Region))}
    for item in regions:
        region = existing.get(item["code"])
        if region is None:
            region = Region(code=item["code"])
            db.session.add(region)
        _assign(
            region,
            {
                "name_fr": item["name_fr"],
                "name_en": item["name_en"],
                "position": item["position"],
                "latitude": item.get("latitude"),
                "longitude": item.get("longitude"),
            },
        )


# --- The fictional demo catalogue -------------------------------------------------------------


@dataclass
class DemoCatalogue:
    """What seed_demo_catalogue loaded: the demo file's entries and accounts, the rows by key."""

    entries: list[dict]
    accounts: list[dict]
    orgs: dict[str, Organization]
    now: datetime
    created: int = 0
    updated: int = 0

    @property
    def providers(self) -> int:
        return sum(e["kind"] == "provider" for e in self.entries)

    @property
    def services(self) -> int:
        return sum(len(e["services"]) for e in self.entries)


def seed_demo_catalogue(echo: Callable[[str], Any] = print) -> DemoCatalogue:
    """Upsert the fictional demo organisations, services, locations by stable key; flushes only."""
    data = read_seed("demo_catalogue.json")
    entries = [*data["organizations"], *data["referrers"], data["coordination"]]
    loader = _DemoLoader(utcnow(), [e["key"] for e in entries])
    for number, entry in enumerate(entries, start=1):
        loader.organization(entry)
        if number % 50 == 0 or number == len(entries):
            echo(f"Organisations: {number}/{len(entries)}")
    db.session.flush()
    loader.link_locations()
    return DemoCatalogue(
        entries=entries,
        accounts=data["accounts"],
        orgs=loader.orgs,
        now=loader.now,
        created=loader.created,
        updated=loader.updated,
    )


def _days_ago(now: datetime, days: int | None) -> datetime | None:
    return None if days is None else now - timedelta(days=days)


def _assign_times(obj: object, values: dict[str, datetime | date | None]) -> bool:
    """Like _assign, but a date within DATE_TOLERANCE of the stored one counts as unchanged."""
    changed = False
    for key, value in values.items():
        current = getattr(obj, key)
        moved = value is None or current is None or abs(current - value) > DATE_TOLERANCE
        if moved and current != value:
            setattr(obj, key, value)
            changed = True
    return changed


class _DemoLoader:
    """Upserts demo organisations, locations and services matched by their external_id."""

    def __init__(self, now: datetime, keys: list[str]) -> None:
        self.now = now
        self.created = self.updated = 0
        self.terms = {t.code: t for t in db.session.scalars(select(TaxonomyTerm))}
        # Both queries match on external_id, so every row found has one.
        self.orgs: dict[str, Organization] = {
            o.external_id: o
            for o in db.session.scalars(
                select(Organization)
                .where(Organization.external_id.in_(keys))
                .options(selectinload(Organization.locations))
            )
            if o.external_id is not None
        }
        self.services: dict[str, Service] = {
            s.external_id: s
            for s in db.session.scalars(
                select(Service)
                .where(Service.external_id.like("demo-%"))
                .options(
                    selectinload(Service.terms),
                    selectinload(Service.excluded_populations),
                    selectinload(Service.languages),
                    selectinload(Service.areas),
                    selectinload(Service.schedules),
                    selectinload(Service.closures),
                )
            )
            if s.external_id is not None
        }
        self.locations: dict[str, Location] = {}
        self.wanted_links: dict[str, list[str]] = {}

    def _count(self, is_new: bool, changed: bool) -> None:
        if is_new:
            self.created += 1
        elif changed:
            self.updated += 1

    def organization(self, entry: dict) -> None:
        org = self.orgs.get(entry["key"])
        is_new = org is None
        if org is None:
            org = Organization(external_id=entry["key"])
            db.session.add(org)
            self.orgs[entry["key"]] = org
        self._count(is_new, self._update_organization(org, entry))
        existing = {loc.external_id: loc for loc in org.locations}
        for item in entry["locations"]:
            self.locations[item["key"]] = self.location(org, existing.get(item["key"]), item)
        for item in entry["services"]:
            self.service(org, item)

    def _update_organization(self, org: Organization, entry: dict) -> bool:
        """Give org the entry's fields, sector and dates; True if any changed."""
        changed = _assign(
            org,
            {
                "name": entry["name"],
                "alternate_name": entry.get("alternate_name"),
                "kind": OrganizationKind(entry["kind"]),
                "status": OrganizationStatus(entry["status"]),
                "visibility": Visibility(entry["visibility"]),
                "description_fr": entry.get("description_fr"),
                "description_en": entry.get("description_en"),
                "email": entry.get("email"),
                "website": entry.get("website"),
                "phone": entry.get("phone"),
                "is_fictional": entry["is_fictional"],
            },
        )
        sector_id = self.terms[entry["sector"]].id if entry.get("sector") else None
        if org.sector_id != sector_id:
            org.sector_id, changed = sector_id, True
        since = _days_ago(self.now, entry.get("partner_since_days_ago"))
        changed |= _assign_times(
            org,
            {
                "last_verified_at": _days_ago(self.now, entry.get("last_verified_days_ago")),
                "partner_since": since.date() if since else None,
            },
        )
        return changed

    def location(self, org: Organization, loc: Location | None, item: dict) -> Location:
        is_new = loc is None
        if loc is None:
            loc = Location(external_id=item["key"])
            org.locations.append(loc)
        values = {k: item[k] for k in ("name", "address_1", "postal_code", "municipality")}
        values |= {k: item[k] for k in ("region_code", "latitude", "longitude", "is_confidential")}
        self._count(is_new, _assign(loc, values))
        return loc

    def service(self, org: Organization, item: dict) -> None:
        service = self.services.get(item["key"])
        is_new = service is None
        if service is None:
            service = Service(external_id=item["key"], organization=org)
            db.session.add(service)
            self.services[item["key"]] = service
        texts: tuple[str, ...] = ("name_fr", "name_en", "description_fr", "description_en")
        texts += ("eligibility_fr", "eligibility_en", "cost_fr", "cost_en", "email", "url", "phone")
        values = {k: item[k] for k in texts}
        values |= {k: item[k] for k in ("minimum_age", "maximum_age", "waitlist_weeks")}
        values |= {"is_24_7": item["is_24_7"], "is_remote": item["is_remote"]}
        values |= {k: item.get(k) for k in ("text_phone", "cost_kind")}  # optional in the file
        values |= demo_person_texts(item["terms"])  # the handout's neutral text
        values["capacity"] = CapacityStatus(item["capacity"])
        changed = _assign(service, values)
        updated = _days_ago(self.now, item["capacity_updated_days_ago"])
        changed |= _assign_times(service, {"capacity_updated_at": updated})
        changed |= self._children(service, item)
        self.wanted_links[item["key"]] = item["locations"]
        self._count(is_new, changed)

    def _children(self, service: Service, item: dict) -> bool:
        """Bring terms, languages, areas, hours and closures in line; True if any changed."""
        changed = self._sync_terms(service, item)
        changed |= _sync(
            service.languages,
            item["languages"],
            lambda r: r.code,
            lambda code: ServiceLanguage(code=code),
        )
        changed |= _sync(
            service.areas,
            item["areas"],
            lambda r: r.region_code,
            lambda code: ServiceArea(region_code=code),
        )
        changed |= _sync_schedules(service, item["schedules"])
        changed |= self._sync_closures(service, item["closures"])
        return changed

    def _sync_terms(self, service: Service, item: dict) -> bool:
        """The service's terms and excluded populations as the item lists them; True if changed."""
        changed = False
        if {t.code for t in service.terms} != set(item["terms"]):
            service.terms = [self.terms[code] for code in item["terms"]]
            changed = True
        excluded = item.get("excluded_populations") or []
        if {t.code for t in service.excluded_populations} != set(excluded):
            service.excluded_populations = [self.terms[code] for code in excluded]
            changed = True
        return changed

    def _sync_closures(self, service: Service, entries: list[dict]) -> bool:
        """Closures counted in days from today, replaced unless the same; True if changed."""
        today = self.now.date()
        closures = [
            (
                today + timedelta(days=c["starts_in_days"]),
                today + timedelta(days=c["ends_in_days"]),
                c["note_fr"],
                c["note_en"],
            )
            for c in entries
        ]
        current = [(r.starts_on, r.ends_on, r.note_fr, r.note_en) for r in service.closures]
        if _same_closures(current, closures):
            return False
        service.closures = [
            Closure(starts_on=s, ends_on=e, note_fr=fr, note_en=en) for s, e, fr, en in closures
        ]
        return True

    def link_locations(self) -> None:
        """Create and remove service_at_location rows (the relationship itself is view-only)."""
        ids = {key: s.id for key, s in self.services.items() if key in self.wanted_links}
        wanted = {
            (ids[key], self.locations[loc].id)
            for key, locs in self.wanted_links.items()
            for loc in locs
        }
        rows = db.session.execute(
            select(ServiceAtLocation.service_id, ServiceAtLocation.location_id).where(
                ServiceAtLocation.service_id.in_(ids.values())
            )
        )
        present = {tuple(row) for row in rows}
        for service_id, location_id in present - wanted:
            db.session.execute(
                delete(ServiceAtLocation).where(
                    ServiceAtLocation.service_id == service_id,
                    ServiceAtLocation.location_id == location_id,
                )
            )
        db.session.add_all(
            ServiceAtLocation(service_id=s, location_id=loc) for s, loc in sorted(wanted - present)
        )
        db.session.flush()


def _sync(rows: list, wanted: list, key: Callable, make: Callable) -> bool:
    """Make the child collection rows hold exactly wanted (by key), touching only differences."""
    keep = set(wanted)
    stale = [row for row in rows if key(row) not in keep]
    present = {key(row) for row in rows}
    for row in stale:
        rows.remove(row)
    missing = [value for value in wanted if value not in present]
    rows.extend(make(value) for value in missing)
    return bool(stale or missing)


def _sync_schedules(service: Service, entries: list[list]) -> bool:
    """Weekly hours from [weekday, "HH:MM", "HH:MM"] entries; True if any changed."""
    hours = [(day, time.fromisoformat(o), time.fromisoformat(c)) for day, o, c in entries]
    return _sync(
        service.schedules,
        hours,
        lambda r: (r.weekday, r.opens_at, r.closes_at),
        lambda h: Schedule(weekday=h[0], opens_at=h[1], closes_at=h[2]),
    )


def _same_closures(current: list[tuple], wanted: list[tuple]) -> bool:
    if len(current) != len(wanted):
        return False
    for (s1, e1, *notes1), (s2, e2, *notes2) in zip(sorted(current), sorted(wanted), strict=True):
        if notes1 != notes2 or abs(s1 - s2) > DATE_TOLERANCE or abs(e1 - e2) > DATE_TOLERANCE:
            return False
    return True
