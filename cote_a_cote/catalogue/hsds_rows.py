"""The plain rows export-hsds reads: the columns hsds.py maps, without the ORM's machinery.

Each row is built from one result row of a column query (its fields are the query's column
names), then given the rows it links to, so that it satisfies the protocol of hsds_records.py
that the models satisfy too. Fields set after construction are declared with init=False.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import ClassVar


@dataclass(slots=True)
class TaxonomyRow:
    id: int
    code: str
    name_fr: str
    name_en: str


@dataclass(slots=True)
class TermRow:
    id: int
    taxonomy_id: int
    code: str
    name_fr: str
    name_en: str
    description_fr: str | None
    description_en: str | None
    position: int
    active: bool
    taxonomy: TaxonomyRow = field(init=False)
    hsds_body: dict = field(init=False)  # built once per export, shared by every attribute


@dataclass(slots=True)
class RegionRow:
    code: str
    name_fr: str


@dataclass(slots=True)
class OrganizationRow:
    hsds_kind: ClassVar[str] = "organization"
    id: int
    external_id: str | None
    name: str
    alternate_name: str | None
    kind: enum.Enum
    status: enum.Enum
    visibility: enum.Enum
    sector_id: int | None
    description_fr: str | None
    description_en: str | None
    email: str | None
    website: str | None
    phone: str | None
    partner_since: date | None
    last_verified_at: datetime | None
    is_fictional: bool
    is_trained: bool
    updated_at: datetime
    sector: TermRow | None = field(init=False)


@dataclass(slots=True)
class LocationRow:
    """A location as one service links to it (a location several services share comes once
    for each)."""

    hsds_kind: ClassVar[str] = "location"
    service_id: int
    id: int
    external_id: str | None
    name: str | None
    address_1: str | None
    postal_code: str | None
    municipality: str
    region_code: str | None
    latitude: float | None
    longitude: float | None
    is_confidential: bool
    region: RegionRow | None = field(init=False)


@dataclass(slots=True)
class ScheduleRow:
    service_id: int
    weekday: int
    opens_at: time
    closes_at: time


@dataclass(slots=True)
class ClosureRow:
    service_id: int
    starts_on: date
    ends_on: date
    note_fr: str | None
    note_en: str | None
    closed_from: time | None
    closed_until: time | None


@dataclass(slots=True)
class LanguageRow:
    code: str


@dataclass(slots=True)
class AreaRow:
    region_code: str
    region: RegionRow | None


@dataclass(slots=True)
class ServiceRow:
    hsds_kind: ClassVar[str] = "service"
    id: int
    organization_id: int
    external_id: str | None
    name_fr: str
    name_en: str | None
    description_fr: str | None
    description_en: str | None
    eligibility_fr: str | None
    eligibility_en: str | None
    minimum_age: int | None
    maximum_age: int | None
    cost_fr: str | None
    cost_en: str | None
    capacity: enum.Enum
    waitlist_weeks: int | None
    capacity_updated_at: datetime
    email: str | None
    url: str | None
    phone: str | None
    text_phone: str | None
    cost_kind: str | None
    is_24_7: bool
    is_remote: bool
    updated_at: datetime
    organization: OrganizationRow = field(init=False)
    terms: list[TermRow] = field(init=False)
    excluded_populations: list[TermRow] = field(init=False)
    languages: list[LanguageRow] = field(init=False)
    areas: list[AreaRow] = field(init=False)
    schedules: list[ScheduleRow] = field(init=False)
    closures: list[ClosureRow] = field(init=False)
    locations: list[LocationRow] = field(init=False)
