"""The catalogue in Open Referral HSDS 3.x shapes: identifiers and pure model -> dict mappings.

Identifiers. HSDS ids are strings. An organisation, service or location exposes its
``external_id`` when it has one (set by an import or by the demo seeds); otherwise a derived id
that embeds its integer key in a UUIDv8 (RFC 9562 "custom" version), for example
``c07eac07-0002-8000-8000-00000000002a`` for service 42. Derived ids are stable for as long as the
row lives, and the API resolves both forms. Taxonomies and terms use a UUIDv5 of their stable
code, so they are the same in every installation. Child objects (addresses, languages, areas,
schedules, phones, attributes, service_at_locations) get UUIDv5s of their parent's id and their
natural key. An import stores every incoming organisation, service and location id in
``external_id``: exporting and importing into an empty database therefore keeps every id.

Québec profile. Fields HSDS has no place for (region codes, capacity, training, last verified,
English translations, visibility, confidential flag) live under the ``quebec_profile`` key of the
object they describe; the OpenAPI document describes each of them.

Confidential locations (shelters) never carry their street address, postal code, name or
coordinates: only the municipality and the region, in quebec_profile (HSDS has no address
object without a street, so they have none).
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
import uuid
from datetime import date, datetime, time

from ..vocabulary.languages import language_name
from .hsds_records import (
    AreaRecord,
    ClosureRecord,
    HsdsRecord,
    LanguageRecord,
    LocationRecord,
    OrganizationRecord,
    RegionRecord,
    ScheduleRecord,
    ServiceRecord,
    TermRecord,
)
from .models import Taxonomy

HSDS_VERSION = "3.1"
PROFILE_KEY = "quebec_profile"
QUEBEC_REGION_CODES = frozenset(f"{n:02d}" for n in range(1, 18))
PROVINCE_WIDE = "QC"
OUTSIDE_QUEBEC = "HQ"
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # ISO weekday 1..7

# Fixed namespace for every UUIDv5 this module derives; changing it would change every child id.
ID_NAMESPACE = uuid.UUID("674743a5-b3de-5163-b75a-6f00c28260de")
_NAMESPACE_BYTES = ID_NAMESPACE.bytes
_DERIVED_KINDS = {"organization": 1, "service": 2, "location": 3}
_DERIVED_NAMES = {number: name for name, number in _DERIVED_KINDS.items()}
_DERIVED_RE = re.compile(r"^c07eac07-(?P<kind>[0-9a-f]{4})-8000-8000-(?P<pk>[0-9a-f]{12})$")


# --- Identifiers ---------------------------------------------------------------------------------


def derived_id(kind: str, pk: int) -> str:
    """The UUIDv8 standing for row pk of kind ('organization', 'service' or 'location')."""
    return f"c07eac07-{_DERIVED_KINDS[kind]:04x}-8000-8000-{pk:012x}"


def parse_derived_id(value: str) -> tuple[str, int] | None:
    """(kind, pk) when value is a derived id, else None."""
    match = _DERIVED_RE.match(value.strip().lower())
    if not match or int(match["kind"], 16) not in _DERIVED_NAMES:
        return None
    return _DERIVED_NAMES[int(match["kind"], 16)], int(match["pk"], 16)


def record_id(record: HsdsRecord) -> str:
    """The HSDS id of an organisation, service or location: external id, else derived id."""
    external = record.external_id
    if external:
        return external
    return derived_id(record.hsds_kind, record.id)


def child_id(*parts: object) -> str:
    """A stable UUIDv5 for an object identified by its parent and natural key.

    Computed as RFC 9562 section 5.5 says (SHA-1 of namespace and name, then the version
    nibble set to 5 and the variant bits to 10), on the hex digest and without building
    uuid.UUID objects: an export computes about twenty per service.
    """
    name = ":".join(map(str, parts)).encode("utf-8")
    h = hashlib.sha1(_NAMESPACE_BYTES + name, usedforsecurity=False).hexdigest()
    return f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:32]}"


# The variant's first hex digit: its two high bits forced to 10 (8, 9, a or b).
_VARIANT = {digit: "89ab"[int(digit, 16) & 3] for digit in "0123456789abcdef"}


@functools.lru_cache(maxsize=4096)
def term_id_for_code(code: str) -> str:
    return child_id("taxonomy_term", code)


@functools.lru_cache(maxsize=256)
def taxonomy_id_for_code(code: str) -> str:
    return child_id("taxonomy", code)


def parent_code(code: str) -> str | None:
    """need.physical_health.dental -> need.physical_health; top-level terms have no parent."""
    parts = code.split(".")
    return ".".join(parts[:-1]) if len(parts) > 2 else None


# --- Small helpers -------------------------------------------------------------------------------


def _clean(data: dict) -> dict:
    """Drop keys whose value is None: HSDS fields are typed, and absent means unknown."""
    return {key: value for key, value in data.items() if value is not None}


def _hour(moment: time | None) -> str | None:
    return moment.strftime("%H:%M") if moment is not None else None


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _hhmm(value: time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"  # strftime("%H:%M"), several times faster


def _service_phones(service: ServiceRecord, service_id: str) -> list[dict]:
    """The service's numbers as HSDS phones: its voice number, then its text (SMS) number."""
    phones = []
    if service.phone:
        phones.append(
            {
                "id": child_id("phone", service_id),
                "service_id": service_id,
                "number": service.phone,
                "type": "voice",
            }
        )
    if service.text_phone:
        phones.append(
            {
                "id": child_id("phone", service_id, "text"),
                "service_id": service_id,
                "number": service.text_phone,
                "type": "text",
            }
        )
    return phones


def _translations(**english: str | None) -> dict:
    present = _clean(english)
    return {"en": present} if present else {}


# --- Taxonomy ------------------------------------------------------------------------------------


def taxonomy_to_hsds(taxonomy: Taxonomy) -> dict:
    """HSDS taxonomy: French name and description, English under quebec_profile."""
    return {
        "id": taxonomy_id_for_code(taxonomy.code),
        "name": taxonomy.name_fr,
        "description": taxonomy.description_fr or "",
        PROFILE_KEY: {
            "code": taxonomy.code,
            "translations": _translations(
                name=taxonomy.name_en, description=taxonomy.description_en
            ),
        },
    }


def taxonomy_term_to_hsds(term: TermRecord) -> dict:
    """HSDS taxonomy_term; parent_id follows the dotted code hierarchy."""
    parent = parent_code(term.code)
    return _clean(
        {
            "id": term_id_for_code(term.code),
            "code": term.code,
            "name": term.name_fr,
            "description": term.description_fr or "",
            "parent_id": term_id_for_code(parent) if parent else None,
            "taxonomy": term.taxonomy.name_fr,
            "taxonomy_id": taxonomy_id_for_code(term.taxonomy.code),
            "language": "fr",
            PROFILE_KEY: {
                "taxonomy_code": term.taxonomy.code,
                "active": term.active,
                "translations": _translations(name=term.name_en, description=term.description_en),
            },
        }
    )


def term_body(term: TermRecord) -> dict:
    """The term's HSDS object; a term read for an export carries it, built once per export."""
    body = getattr(term, "hsds_body", None)
    return body if body is not None else taxonomy_term_to_hsds(term)


def attribute_to_hsds(term: TermRecord, link_entity: str, link_id: str) -> dict:
    """HSDS attribute linking an entity to a term; link_type is the term's taxonomy code."""
    return {
        "id": child_id("attribute", link_entity, link_id, term.code),
        "link_id": link_id,
        "link_entity": link_entity,
        "link_type": term.taxonomy.code,
        "taxonomy_term_id": term_id_for_code(term.code),
        "taxonomy_term": term_body(term),
    }


# --- Organisation and location -------------------------------------------------------------------


def organization_to_hsds(organization: OrganizationRecord) -> dict:
    """HSDS organization (flat: no locations nor services), with its profile fields."""
    org_id = record_id(organization)
    phones = []
    if organization.phone:
        phones.append(
            {
                "id": child_id("phone", org_id),
                "organization_id": org_id,
                "number": organization.phone,
                "type": "voice",
            }
        )
    attributes = []
    if organization.sector is not None:
        attributes.append(attribute_to_hsds(organization.sector, "organization", org_id))
    return _clean(
        {
            "id": org_id,
            "name": organization.name,
            "alternate_name": organization.alternate_name,
            "description": organization.description_fr or "",
            "email": organization.email,
            "website": organization.website,
            "phones": phones,
            "attributes": attributes,
            PROFILE_KEY: {
                "kind": organization.kind.value,
                "status": organization.status.value,
                "visibility": organization.visibility.value,
                "sector": organization.sector.code if organization.sector else None,
                "trained": organization.is_trained,
                "last_verified": _iso(organization.last_verified_at),
                "partner_since": _iso(organization.partner_since),
                "fictional": organization.is_fictional,
                "updated_at": _iso(organization.updated_at),
                "translations": _translations(description=organization.description_en),
            },
        }
    )


def _region_name(region: RegionRecord | None) -> str | None:
    return region.name_fr if region is not None else None


# HSDS 3 requires these of every address object (schema/address.json of the specification).
ADDRESS_REQUIRED = (
    "id",
    "address_1",
    "city",
    "state_province",
    "postal_code",
    "country",
    "address_type",
)


def location_to_hsds(location: LocationRecord, reveal_confidential: bool = False) -> dict:
    """HSDS location; its address only when complete, and never a confidential one's.

    An HSDS address must have a street and a postal code: a confidential location (a shelter),
    or one whose street or postal code is not known, has no address object at all. Its
    municipality is always in quebec_profile, with its region code, and the half of an
    incomplete (not confidential) address that is known.
    """
    loc_id = record_id(location)
    hidden = location.is_confidential and not reveal_confidential
    address = _address(location, loc_id, hidden)
    complete = all(address.get(key) for key in ADDRESS_REQUIRED)
    return _clean(
        {
            "id": loc_id,
            "location_type": "physical",
            "name": None if hidden else location.name,
            "latitude": None if hidden else location.latitude,
            "longitude": None if hidden else location.longitude,
            "addresses": [address] if complete else None,
            PROFILE_KEY: _location_profile(location, keep_address=not complete and not hidden),
        }
    )


def _address(location: LocationRecord, loc_id: str, hidden: bool) -> dict:
    """The location's HSDS address (maybe incomplete), without street nor postal code if hidden."""
    in_quebec = location.region_code != OUTSIDE_QUEBEC
    return _clean(
        {
            "id": child_id("address", loc_id),
            "location_id": loc_id,
            "address_1": None if hidden else location.address_1,
            "city": location.municipality,
            "region": _region_name(location.region),
            "state_province": "QC" if in_quebec else None,
            "postal_code": None if hidden else location.postal_code,
            "country": "CA" if in_quebec else None,
            "address_type": "physical",
        }
    )


def _location_profile(location: LocationRecord, keep_address: bool) -> dict:
    """The location's quebec_profile; keep_address adds the known half of an incomplete address."""
    profile = {
        "region_code": location.region_code,
        "municipality": location.municipality,
        "confidential": location.is_confidential,
    }
    if keep_address:
        # A street without a postal code (or the reverse) HSDS cannot hold: kept here.
        profile.update(
            _clean({"address_1": location.address_1, "postal_code": location.postal_code})
        )
    return profile


# --- Service -------------------------------------------------------------------------------------


def _schedule_to_hsds(schedule: ScheduleRecord, service_id: str) -> dict:
    day = WEEKDAYS[schedule.weekday - 1]
    opens, closes = _hhmm(schedule.opens_at), _hhmm(schedule.closes_at)
    return {
        "id": child_id("schedule", service_id, day, opens, closes),
        "service_id": service_id,
        "freq": "WEEKLY",
        "wkst": "MO",
        "byday": day,
        "opens_at": opens,
        "closes_at": closes,
    }


def service_to_hsds(
    service: ServiceRecord, reveal_confidential: bool = False, distance_km: float | None = None
) -> dict:
    """A fully nested HSDS service: organization, locations, languages, areas, schedules, terms."""
    service_id = record_id(service)
    organization = service.organization
    verified = organization.last_verified_at
    return _clean(
        {
            "id": service_id,
            "organization_id": record_id(organization),
            "name": service.name_fr,
            "description": service.description_fr,
            "url": service.url,
            "email": service.email,
            "status": "active",
            "eligibility_description": service.eligibility_fr,
            "minimum_age": service.minimum_age,
            "maximum_age": service.maximum_age,
            "fees_description": service.cost_fr,
            "assured_date": _iso(verified.date()) if verified else None,
            "phones": _service_phones(service, service_id),
            "schedules": [_schedule_to_hsds(s, service_id) for s in service.schedules],
            "service_areas": [_service_area_to_hsds(area, service_id) for area in service.areas],
            "service_at_locations": [
                service_at_location_to_hsds(service_id, location, reveal_confidential)
                for location in service.locations
            ],
            "languages": [_language_to_hsds(lang, service_id) for lang in service.languages],
            "organization": organization_to_hsds(organization),
            "attributes": [attribute_to_hsds(t, "service", service_id) for t in service.terms],
            PROFILE_KEY: _service_profile(service, distance_km),
        }
    )


def _service_area_to_hsds(area: AreaRecord, service_id: str) -> dict:
    return {
        "id": child_id("service_area", service_id, area.region_code),
        "service_id": service_id,
        "name": _region_name(area.region) or area.region_code,
        PROFILE_KEY: {"region_code": area.region_code},
    }


def _language_to_hsds(language: LanguageRecord, service_id: str) -> dict:
    return _clean(
        {
            "id": child_id("language", service_id, language.code),
            "service_id": service_id,
            "code": language.code,
            "name": language_name(language.code),
        }
    )


def _service_profile(service: ServiceRecord, distance_km: float | None) -> dict:
    """The service's quebec_profile; distance_km only when given and finite."""
    organization = service.organization
    profile = {
        "region_codes": [area.region_code for area in service.areas],
        "capacity": {
            "status": service.capacity.value,
            "waitlist_weeks": service.waitlist_weeks,
            "updated_at": _iso(service.capacity_updated_at),
        },
        "trained": organization.is_trained,
        "last_verified": _iso(organization.last_verified_at),
        "open_24_7": service.is_24_7,
        "remote": service.is_remote,
        # Free, reduced or fee (HSDS has only the free text of fees_description).
        "cost_kind": service.cost_kind,
        # Eligibility in our population terms: who the service turns away.
        "excluded_populations": [t.code for t in service.excluded_populations],
        "closures": [_closure_to_hsds(closure) for closure in service.closures],
        "updated_at": _iso(service.updated_at),
        "translations": _translations(
            name=service.name_en,
            description=service.description_en,
            eligibility_description=service.eligibility_en,
            fees_description=service.cost_en,
        ),
    }
    if distance_km is not None and math.isfinite(distance_km):
        profile["distance_km"] = round(distance_km, 1)
    return profile


def _closure_to_hsds(closure: ClosureRecord) -> dict:
    return _clean(
        {
            "starts_on": _iso(closure.starts_on),
            "ends_on": _iso(closure.ends_on),
            "closed_from": _hour(closure.closed_from),
            "closed_until": _hour(closure.closed_until),
            "note": closure.note_fr,
            "note_en": closure.note_en,
        }
    )


def service_at_location_id(service_id: str, location_id: str) -> str:
    """The HSDS id of a service's link to a location (both given by their HSDS ids)."""
    return child_id("service_at_location", service_id, location_id)


def service_at_location_to_hsds(
    service_id: str, location: LocationRecord, reveal_confidential: bool = False
) -> dict:
    """HSDS service_at_location: the link, with its location nested."""
    location_id = record_id(location)
    return {
        "id": service_at_location_id(service_id, location_id),
        "service_id": service_id,
        "location_id": location_id,
        "location": location_to_hsds(location, reveal_confidential),
    }


def compact_service(service: ServiceRecord) -> dict:
    """The one-to-one fields of a service, for an organisation's list of services."""
    return _clean(
        {
            "id": record_id(service),
            "organization_id": record_id(service.organization),
            "name": service.name_fr,
            "description": service.description_fr,
            "status": "active",
        }
    )


# --- Paged envelope ------------------------------------------------------------------------------


def page_envelope(contents: list[dict], total: int, page: int, per_page: int) -> dict:
    """The HSDS paged response; a page past the end is empty, total_pages is 0 for no results."""
    total_pages = math.ceil(total / per_page) if total else 0
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": not contents,
        "contents": contents,
    }
