"""Reading and writing HSDS 3.x JSON files: a list of services, each fully nested.

Import checks every record before writing anything and reports each problem with the record's
index, its id and the field; only a file without problems is written, in the caller's single
transaction. Records are matched by id (stored in ``external_id``), so importing a file twice
changes nothing. Coordinates must be valid degrees, and when the location's region is one of
Québec's 01-17 they must also fall in a generous box around Québec and its neighbours
(latitude 42..64, longitude -82..-52), which catches swapped or unsigned values. When several
records nest the same organisation or location, the last one wins.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from .hsds import PROFILE_KEY, service_to_hsds
from .hsds_checks import Checker, Reference
from .models import (
    Closure,
    Location,
    Organization,
    OrganizationKind,
    OrganizationStatus,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceLanguage,
    TaxonomyTerm,
    Visibility,
)

EXPORT_SCOPES = ("public", "listed", "all")


class ImportFailed(Exception):
    """The file cannot be imported: every problem, and the terms that could not be mapped."""

    def __init__(self, problems: list[str], unmapped_terms: list[str] | None = None):
        super().__init__("\n".join(problems))
        self.problems = problems
        self.unmapped_terms = unmapped_terms or []


@dataclass
class ServicePlan:
    external_id: str
    organization_id: str
    values: dict
    term_ids: list[int]
    languages: list[str]
    regions: list[str]
    schedules: list[tuple]
    closures: list[tuple]
    location_ids: list[str]
    excluded_ids: list[int] = field(default_factory=list)  # populations not served


@dataclass
class ImportPlan:
    organizations: dict[str, dict] = field(default_factory=dict)
    locations: dict[str, dict] = field(default_factory=dict)
    services: list[ServicePlan] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    created: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_KINDS, 0))
    updated: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_KINDS, 0))


_KINDS = ("organizations", "locations", "services")


# --- Reading -------------------------------------------------------------------------------------


def parse_records(text: str) -> list:
    """The list of service records in an HSDS JSON text (a list, or a page with contents)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFailed(
            [
                _(
                    "Malformed JSON at line %(line)d, column %(column)d: %(reason)s",
                    line=error.lineno,
                    column=error.colno,
                    reason=error.msg,
                )
            ]
        ) from None
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        data = data["contents"]
    if not isinstance(data, list):
        raise ImportFailed([_("The file must hold a JSON list of HSDS services.")])
    return data


# --- Validation ----------------------------------------------------------------------------------


def validate(records: list) -> ImportPlan:
    """Check every record and build the plan; raise ImportFailed listing all problems."""
    reference = Reference.load()
    plan = ImportPlan()
    problems: list[str] = []
    seen: dict[str, int] = {}
    for index, record in enumerate(records):
        check = Checker(index, record, reference, problems)
        if not isinstance(record, dict):
            check.problem("", _("a service must be a JSON object"))
            continue
        service_id = check.identifier(record, "id")
        if service_id is not None:
            if service_id in seen:
                check.problem(
                    "id", _("the same id is used by record %(other)d", other=seen[service_id])
                )
            seen[service_id] = index
        status = record.get("status", "active")
        if status != "active":
            plan.skipped.append(service_id or str(index))
            continue
        organization = _organization(check, record)
        service = _service(check, record)
        locations = _locations(check, record)
        if service_id is None or organization is None or service is None or locations is None:
            continue
        plan.organizations[organization["external_id"]] = organization
        for location in locations:
            location["organization_external_id"] = organization["external_id"]
            plan.locations[location["external_id"]] = location
        service.external_id = service_id
        service.organization_id = organization["external_id"]
        service.location_ids = [location["external_id"] for location in locations]
        plan.services.append(service)
    if problems:
        raise ImportFailed(problems, sorted(reference.unmapped))
    return plan


def _organization(check: Checker, record: dict) -> dict | None:
    data = record.get("organization")
    if not isinstance(data, dict):
        check.problem("organization", _("missing: every service needs its nested organization"))
        return None
    external_id = check.identifier(data, "id", "organization.id")
    profile = check.profile(data, "organization")
    prefix = f"organization.{PROFILE_KEY}"
    name = check.text(data, "name", 200, "organization.name", required=True)
    values = {
        "name": name,
        "alternate_name": check.text(data, "alternate_name", 200, "organization.alternate_name"),
        "description_fr": check.text(data, "description", None, "organization.description"),
        "description_en": check.translation(profile, "description", None, "organization"),
        "email": check.text(data, "email", 254, "organization.email"),
        "website": check.text(data, "website", 300, "organization.website"),
        "phone": check.phone(data, "organization"),
        "kind": OrganizationKind.PROVIDER,
        "status": check.choice(
            profile, "status", OrganizationStatus, OrganizationStatus.APPROVED, prefix
        ),
        "visibility": check.choice(profile, "visibility", Visibility, Visibility.PUBLIC, prefix),
        "sector_id": check.sector(data, profile),
        "is_trained": check.boolean(profile, "trained", False, prefix),
        "last_verified_at": check.moment(profile, "last_verified", prefix),
        "partner_since": check.day(profile, "partner_since", prefix),
        "is_fictional": check.boolean(profile, "fictional", False, prefix),
    }
    kind = profile.get("kind", "provider")
    if kind != "provider":
        check.problem(
            f"organization.{PROFILE_KEY}.kind", _("only provider organisations can be imported")
        )
        return None
    if external_id is None or name is None:
        return None
    return values | {"external_id": external_id}


def _service(check: Checker, record: dict) -> ServicePlan | None:
    profile = check.profile(record, "")
    before = len(check.problems)
    capacity = profile.get("capacity") or {}
    if not isinstance(capacity, dict):
        check.problem(f"{PROFILE_KEY}.capacity", _("must be an object"))
        capacity = {}
    values = {
        "name_fr": check.text(record, "name", 200, "name", required=True),
        "name_en": check.translation(profile, "name", 200, ""),
        "description_fr": check.text(record, "description", None, "description"),
        "description_en": check.translation(profile, "description", None, ""),
        "eligibility_fr": check.text(
            record, "eligibility_description", None, "eligibility_description"
        ),
        "eligibility_en": check.translation(profile, "eligibility_description", None, ""),
        "cost_fr": check.text(record, "fees_description", None, "fees_description"),
        "cost_en": check.translation(profile, "fees_description", None, ""),
        "minimum_age": check.age(record, "minimum_age"),
        "maximum_age": check.age(record, "maximum_age"),
        "email": check.text(record, "email", 254, "email"),
        "url": check.text(record, "url", 300, "url"),
        "phone": check.phone(record, ""),
        "text_phone": check.phone(record, "", text=True),
        "cost_kind": check.cost_kind(profile),
        "is_24_7": check.boolean(profile, "open_24_7", False, PROFILE_KEY),
        "is_remote": check.boolean(profile, "remote", False, PROFILE_KEY),
    }
    values.update(check.capacity(capacity))
    low, high = values["minimum_age"], values["maximum_age"]
    if low is not None and high is not None and low > high:
        check.problem("minimum_age", _("is above maximum_age"))
    plan = ServicePlan(
        external_id="",
        organization_id="",
        values=values,
        term_ids=check.terms(record),
        excluded_ids=check.excluded_populations(profile),
        languages=check.languages(record),
        regions=check.areas(record),
        schedules=check.schedules(record),
        closures=check.closures(profile),
        location_ids=[],
    )
    return plan if len(check.problems) == before else None


def _locations(check: Checker, record: dict) -> list[dict] | None:
    links = record.get("service_at_locations") or []
    if not isinstance(links, list):
        check.problem("service_at_locations", _("must be a list"))
        return None
    before = len(check.problems)
    found = []
    for position, link in enumerate(links):
        path = f"service_at_locations[{position}].location"
        location = link.get("location") if isinstance(link, dict) else None
        if not isinstance(location, dict):
            check.problem(path, _("missing: each service_at_location needs its nested location"))
            continue
        values = check.location(location, path)
        if values is not None:
            found.append(values)
    return found if len(check.problems) == before else None


# --- Writing -------------------------------------------------------------------------------------


BATCH = 500


def apply_plan(plan: ImportPlan, progress: Callable[[int], None] | None = None) -> ImportReport:
    """Write a validated plan: upsert by external id, replace each service's links; flush only.

    progress, when given, is called with the number of services written after each batch.
    """
    report = ImportReport()
    organizations = _upsert_all(Organization, plan.organizations, report, "organizations")
    located = {}
    for key, values in plan.locations.items():
        values = dict(values)
        owner = organizations[values.pop("organization_external_id")]
        located[key] = values | {"organization": owner}
    locations = _upsert_all(Location, located, report, "locations")
    db.session.flush()
    terms = {term.id: term for term in db.session.scalars(select(TaxonomyTerm))}
    for start in range(0, len(plan.services), BATCH):
        batch = plan.services[start : start + BATCH]
        rows = _upsert_all(
            Service,
            {
                item.external_id: item.values
                | {"organization": organizations[item.organization_id]}
                for item in batch
            },
            report,
            "services",
        )
        for item in batch:
            _replace_collections(rows[item.external_id], item, terms)
        db.session.flush()
        _link_locations([(rows[item.external_id], item) for item in batch], locations)
        db.session.flush()
        if progress is not None:
            progress(len(batch))
    return report


def _upsert_all(model, wanted: dict[str, dict], report: ImportReport, kind: str) -> dict:
    """Rows of model by external id, created or updated from wanted's values."""
    existing = {}
    keys = list(wanted)
    for start in range(0, len(keys), BATCH):
        query = select(model).where(model.external_id.in_(keys[start : start + BATCH]))
        if model is Service:
            query = query.options(
                selectinload(Service.terms),
                selectinload(Service.excluded_populations),
                selectinload(Service.languages),
                selectinload(Service.areas),
                selectinload(Service.schedules),
                selectinload(Service.closures),
            )
        existing.update((row.external_id, row) for row in db.session.scalars(query))
    rows = {}
    for key, values in wanted.items():
        row = existing.get(key)
        if row is None:
            row = model(external_id=key)
            db.session.add(row)
            report.created[kind] += 1
        else:
            report.updated[kind] += 1
        for name, value in values.items():
            keep = value is None and name in _KEEP_WHEN_ABSENT
            if not keep and getattr(row, name) != value:
                setattr(row, name, value)
        rows[key] = row
    return rows


# Columns that are not nullable: an absent value keeps the current one (or the column default).
_KEEP_WHEN_ABSENT = {"capacity_updated_at"}


def _replace_collections(service: Service, item: ServicePlan, terms: dict) -> None:
    """Make the service's terms, languages, areas, schedules and closures the plan's."""
    if {t.id for t in service.terms} != set(item.term_ids):
        service.terms = [terms[term_id] for term_id in item.term_ids]
    if {t.id for t in service.excluded_populations} != set(item.excluded_ids):
        service.excluded_populations = [terms[term_id] for term_id in item.excluded_ids]
    # Change rows in place: deleting and re-adding the same code in one flush would break the
    # (service, code) unique constraints, since the unit of work inserts before it deletes.
    _sync(
        service.languages,
        item.languages,
        lambda row: row.code,
        lambda code: ServiceLanguage(code=code),
    )
    _sync(
        service.areas,
        item.regions,
        lambda row: row.region_code,
        lambda code: ServiceArea(region_code=code),
    )
    _sync(
        service.schedules,
        item.schedules,
        lambda row: (row.weekday, row.opens_at, row.closes_at),
        lambda key: Schedule(weekday=key[0], opens_at=key[1], closes_at=key[2]),
    )
    _sync(
        service.closures,
        item.closures,
        lambda row: (row.starts_on, row.ends_on, row.note_fr, row.note_en),
        lambda key: Closure(starts_on=key[0], ends_on=key[1], note_fr=key[2], note_en=key[3]),
    )


def _link_locations(pairs: list[tuple[Service, ServicePlan]], locations: dict) -> None:
    """Make the service_at_location rows of a batch of (flushed) services the plan's."""
    current = {}
    query = select(ServiceAtLocation).where(
        ServiceAtLocation.service_id.in_([service.id for service, _item in pairs])
    )
    for link in db.session.scalars(query):
        current[(link.service_id, link.location_id)] = link
    wanted = {
        (service.id, locations[key].id) for service, item in pairs for key in item.location_ids
    }
    for key, link in current.items():
        if key not in wanted:
            db.session.delete(link)
    for service_id, location_id in wanted - current.keys():
        db.session.add(ServiceAtLocation(service_id=service_id, location_id=location_id))
    for service, _item in pairs:
        db.session.expire(service, ["locations"])


def _sync(rows: list, wanted: list, key: Callable, make: Callable) -> None:
    wanted_keys = list(dict.fromkeys(wanted))
    for row in list(rows):
        if key(row) not in wanted_keys:
            rows.remove(row)
    present = {key(row) for row in rows}
    for item in wanted_keys:
        if item not in present:
            rows.append(make(item))


# --- Export --------------------------------------------------------------------------------------


def services_for_export(scope: str = "listed") -> list[Service]:
    """Provider services to export: public ones, listed (approved) ones, or all of them."""
    query = (
        select(Service)
        .join(Service.organization)
        .where(Organization.kind == OrganizationKind.PROVIDER)
        .order_by(Service.id)
        .options(
            selectinload(Service.organization).selectinload(Organization.sector),
            selectinload(Service.terms).selectinload(TaxonomyTerm.taxonomy),
            selectinload(Service.excluded_populations),
            selectinload(Service.languages),
            selectinload(Service.areas),
            selectinload(Service.schedules),
            selectinload(Service.closures),
            selectinload(Service.locations),
        )
    )
    if scope in ("public", "listed"):
        query = query.where(Organization.status == OrganizationStatus.APPROVED)
    if scope == "public":
        query = query.where(Organization.visibility == Visibility.PUBLIC)
    return list(db.session.scalars(query))


def export_records(scope: str = "listed", reveal_confidential: bool = False) -> list[dict]:
    """The HSDS records export-hsds writes (confidential addresses only when asked)."""
    return [
        service_to_hsds(service, reveal_confidential=reveal_confidential)
        for service in services_for_export(scope)
    ]
