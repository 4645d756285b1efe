"""Reading and writing HSDS 3.x JSON files: a list of services, each fully nested.

Import reads the file record by record (hsds_reader), checks each one against the official HSDS
3.1 schema (hsds_validation), then against the Québec profile's rules, and reports each problem
with the record's index, its id and the field; records are written in batches by bulk statements
(hsds_bulk) inside the caller's single transaction, which commits only a file without problems.
Records are matched by id: an external id, or the derived id a platform export gives a row
without one; importing a file twice, or re-importing an export, therefore changes nothing.
Coordinates must be valid degrees, and when the location's region is one of Québec's 01-17
they must also fall in a generous box around Québec and its neighbours
(latitude 42..64, longitude -82..-52), which catches swapped or unsigned values. When several
records nest the same organisation or location, the last one wins.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from flask_babel import gettext as _

from ..extensions import db
from .hsds import PROFILE_KEY
from .hsds_bulk import StatusPolicy, write_batch
from .hsds_checks import Checker, Reference
from .hsds_validation import schema_problems
from .models import (
    OrganizationKind,
    OrganizationStatus,
    Visibility,
)


class ImportFailed(Exception):
    """The file cannot be imported: every problem, and the terms that could not be mapped."""

    def __init__(
        self, problems: list[str], unmapped_terms: list[str] | None = None, not_listed: int = 0
    ):
        super().__init__("\n".join(problems))
        self.problems = problems
        self.unmapped_terms = unmapped_terms or []
        self.not_listed = not_listed  # problems found beyond those listed


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
    external_terms: list[str] = field(default_factory=list)  # kept by --unmapped keep


@dataclass
class ImportPlan:
    organizations: dict[str, dict] = field(default_factory=dict)
    locations: dict[str, dict] = field(default_factory=dict)
    services: list[ServicePlan] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


_KINDS = ("organizations", "locations", "services")


@dataclass
class ImportReport:
    created: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_KINDS, 0))
    updated: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_KINDS, 0))


# --- Validation ----------------------------------------------------------------------------------


def check_record(
    index: int, record, reference: Reference, plan: ImportPlan, problems: list, seen: dict
) -> None:
    """Check one record: add its organisation, locations and service to plan, or its problems."""
    check = Checker(index, record, reference, problems)
    if not isinstance(record, dict):
        check.problem("", _("a service must be a JSON object"))
        return
    service_id = check.identifier(record, "id")
    if service_id is not None:
        if service_id in seen:
            check.problem(
                "id", _("the same id is used by record %(other)d", other=seen[service_id])
            )
        seen[service_id] = index
    # The official schema first; the Québec profile's rules only read records that meet it.
    official = schema_problems(record)
    for path, message in official:
        check.problem(path, message)
    if official:
        return
    status = record.get("status", "active")
    if status != "active":
        plan.skipped.append(service_id or str(index))
        return
    organization = _organization(check, record)
    service = _service(check, record)
    locations = _locations(check, record)
    if service_id is None or organization is None or service is None or locations is None:
        return
    plan.organizations[organization["external_id"]] = organization
    for location in locations:
        location["organization_external_id"] = organization["external_id"]
        plan.locations[location["external_id"]] = location
    service.external_id = service_id
    service.organization_id = organization["external_id"]
    service.location_ids = [location["external_id"] for location in locations]
    plan.services.append(service)


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
    values = _service_values(check, record, profile)
    kept_before = len(check.kept_terms)
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
    # The service's own attributes only, not those its organisation's sector was sought in.
    plan.external_terms = check.kept_terms[kept_before:]
    return plan if len(check.problems) == before else None


def _service_values(check: Checker, record: dict, profile: dict) -> dict:
    """The service's own columns, checked (problems go to check)."""
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
    return values


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


# --- Streaming import ----------------------------------------------------------------------------


BATCH = 1000
MAX_PROBLEMS = 500  # problems listed; the rest are only counted


@dataclass
class StreamReport(ImportReport):
    read: int = 0
    written: int = 0
    skipped: list[str] = field(default_factory=list)
    problems_not_listed: int = 0


def import_records(
    records: Iterable[tuple[int, object]],
    reference: Reference,
    policy: StatusPolicy,
    dry_run: bool = False,
    progress: Callable[[StreamReport], None] | None = None,
) -> StreamReport:
    """Check records as they are read and write them in batches; raise ImportFailed at the end.

    Batches are flushed, never committed: the caller commits once (all or nothing) or rolls
    back. Once a problem is found nothing more is written, but every record is still checked.
    """
    report = StreamReport()
    problems: list[str] = []
    seen: dict[str, int] = {}
    plan = ImportPlan()
    for index, record in records:
        check_record(index, record, reference, plan, problems, seen)
        report.read += 1
        if len(problems) > MAX_PROBLEMS:
            report.problems_not_listed += len(problems) - MAX_PROBLEMS
            del problems[MAX_PROBLEMS:]
        if len(plan.services) >= BATCH:
            plan = _write(plan, report, policy, dry_run or bool(problems))
        if progress is not None:
            progress(report)
    _write(plan, report, policy, dry_run or bool(problems))
    if problems:
        raise ImportFailed(problems, sorted(reference.unmapped), report.problems_not_listed)
    return report


def _write(plan: ImportPlan, report: StreamReport, policy: StatusPolicy, check_only: bool):
    """Write one batch unless only checking; return the next, empty plan."""
    report.skipped.extend(plan.skipped)
    if not check_only and plan.services:
        write_batch(plan, report, policy)
        db.session.flush()
        report.written += len(plan.services)
    return ImportPlan()
