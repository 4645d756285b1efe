"""Writing validated HSDS batches with bulk statements: no ORM object graph, bounded memory.

Each batch upserts organisations, locations and services (matched by the id a platform export
carries: an external id, or a derived id naming the row's key), then replaces the batch's child
rows (terms, languages, areas, schedules, closures, service_at_location) with two statements per
table. Statements bypass the ORM unit of work, so the search outbox hears nothing: the caller
rebuilds the index once, after the commit. An existing organisation's vetting status is never
changed; a new one gets the status the caller chose.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Table, delete, insert, select, update

from ..extensions import Model, db
from .hsds import parse_derived_id
from .models import (
    Closure,
    Location,
    Organization,
    OrganizationStatus,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceAttribute,
    ServiceExclusion,
    ServiceExternalTerm,
    ServiceLanguage,
)

# Values a file may carry that are kept when absent (the column has a default).
_KEEP_WHEN_ABSENT = {"capacity_updated_at"}
_KIND = {Organization: "organization", Location: "location", Service: "service"}


@dataclass
class StatusPolicy:
    """What vetting status a new organisation gets: a fixed one, or the file's (from_file)."""

    status: OrganizationStatus | None = OrganizationStatus.SUBMITTED

    def for_new(self, values: dict) -> OrganizationStatus:
        return self.status or values.get("status") or OrganizationStatus.SUBMITTED


def write_batch(plan, report, policy: StatusPolicy) -> None:
    """Upsert one batch of a validated plan (organisations, locations, services, children)."""
    organizations = _upsert(
        Organization,
        {key: _organization_values(values) for key, values in plan.organizations.items()},
        report,
        "organizations",
        on_create=lambda values, key: values | {"status": policy.for_new(plan.organizations[key])},
    )
    locations = _upsert(
        Location,
        {
            key: {k: v for k, v in values.items() if k != "organization_external_id"}
            | {"organization_id": organizations[values["organization_external_id"]]}
            for key, values in plan.locations.items()
        },
        report,
        "locations",
    )
    services = _upsert(
        Service,
        {
            item.external_id: item.values | {"organization_id": organizations[item.organization_id]}
            for item in plan.services
        },
        report,
        "services",
    )
    _replace_children(plan.services, services, locations)


def _organization_values(values: dict) -> dict:
    # The vetting status belongs to the platform: it is set on creation only.
    return {k: v for k, v in values.items() if k not in ("status", "external_id")}


def _upsert(model, wanted: dict[str, dict], report, kind: str, on_create=None) -> dict[str, int]:
    """Row ids by file id: existing rows updated where a value differs, missing rows inserted."""
    if not wanted:
        return {}
    existing = _existing(model, list(wanted))
    columns = sorted({name for values in wanted.values() for name in values})
    current = {}
    if existing:
        query = select(model.id, *(getattr(model, name) for name in columns)).where(
            model.id.in_(list(existing.values()))
        )
        current = {row.id: row._asdict() for row in db.session.execute(query)}
    updates, inserts = [], []
    for key, values in wanted.items():
        values = {k: v for k, v in values.items() if v is not None or k not in _KEEP_WHEN_ABSENT}
        row_id = existing.get(key)
        if row_id is None:
            created = values | {"external_id": key}
            inserts.append(on_create(created, key) if on_create else created)
            report.created[kind] += 1
            continue
        report.updated[kind] += 1
        old = current[row_id]
        changed = {k: v for k, v in values.items() if old[k] != v}
        if changed:
            updates.append(changed | {"id": row_id})
    for rows in _same_keys(updates):
        db.session.execute(update(model), rows)
    for rows in _same_keys(inserts):
        # Core insert of the table: the ORM's per-row bookkeeping is not needed for new rows.
        db.session.execute(insert(model.__table__), rows)
    if inserts:
        existing.update(_existing(model, [row["external_id"] for row in inserts]))
    return existing


def _same_keys(rows: list[dict]) -> list[list[dict]]:
    """Rows grouped by their set of keys: one executemany per group."""
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(row)), []).append(row)
    return list(groups.values())


def _existing(model, keys: list[str]) -> dict[str, int]:
    """Ids of the rows named by file ids: derived ids by primary key, others by external id."""
    found: dict[str, int] = {}
    by_pk: dict[int, str] = {}
    for key in keys:
        derived = parse_derived_id(key)
        if derived is not None and derived[0] == _KIND[model]:
            by_pk[derived[1]] = key
    if by_pk:
        query = select(model.id).where(model.id.in_(list(by_pk)), model.external_id.is_(None))
        found.update((by_pk[row_id], row_id) for row_id in db.session.scalars(query))
    rest = [key for key in keys if key not in found]
    if rest:
        query = select(model.external_id, model.id).where(model.external_id.in_(rest))
        found.update((external_id, row_id) for external_id, row_id in db.session.execute(query))
    return found


def _replace_children(items: list, services: dict[str, int], locations: dict[str, int]) -> None:
    """Make the child rows of the batch's services exactly the plan's."""
    ids = [services[item.external_id] for item in items]
    rows: dict = {model: [] for model in _CHILD_ROWS}
    for item in items:
        service_id = services[item.external_id]
        for model, make in _CHILD_ROWS.items():
            rows[model].extend(
                {"service_id": service_id, **values} for values in make(item, locations)
            )
    for model in _CHILD_ROWS:
        table = _table(model)
        db.session.execute(delete(model).where(table.c.service_id.in_(ids)))
        if rows[model]:
            db.session.execute(insert(table), rows[model])


def _table(model: type[Model]) -> Table:
    """The one table a child model is mapped to."""
    table = model.__table__
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not mapped to a table")
    return table


def _unique(values: list) -> list:
    return list(dict.fromkeys(values))


_CHILD_ROWS = {
    ServiceAttribute: lambda item, _loc: [
        {"taxonomy_term_id": term_id} for term_id in _unique(item.term_ids)
    ],
    ServiceExclusion: lambda item, _loc: [
        {"taxonomy_term_id": term_id} for term_id in _unique(item.excluded_ids)
    ],
    ServiceLanguage: lambda item, _loc: [{"code": code} for code in _unique(item.languages)],
    ServiceArea: lambda item, _loc: [{"region_code": code} for code in _unique(item.regions)],
    Schedule: lambda item, _loc: [
        {"weekday": day, "opens_at": opens, "closes_at": closes}
        for day, opens, closes in _unique(item.schedules)
    ],
    Closure: lambda item, _loc: [
        {"starts_on": starts, "ends_on": ends, "note_fr": note, "note_en": note_en}
        for starts, ends, note, note_en in _unique(item.closures)
    ],
    ServiceExternalTerm: lambda item, _loc: [
        {"label": label} for label in _unique(item.external_terms)
    ],
    ServiceAtLocation: lambda item, locations: [
        {"location_id": locations[key]} for key in _unique(item.location_ids)
    ],
}
