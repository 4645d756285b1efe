"""What happens to a report on a listing: filed, queued, moved through its statuses, counted.

Rules written once here:
- Anyone who can see a listed service may report a problem on it; the public is rate-limited by
  the route. The note is short (NOTE_MAX) and nothing identifying is asked.
- The reporter's account is kept for the coordinators; the provider never learns who reported.
- Information problems (wrong information, closed or moved) are passed on to the provider's staff
  at once: a notification and a line in their portal with the kind, the date and the note. A poor
  welcome and "other" stay with the coordinators: the provider is neither told nor shown them.
- Statuses move only along TRANSITIONS; dismissing needs a note saying why. Every change writes an
  event (with the coordinator's note) and an audit record (identifiers only). Services flush.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from flask import abort
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select

from ..accounts.models import User
from ..audit.services import record
from ..catalogue.models import Organization, Region, Service, ServiceArea
from ..catalogue.services import listed_services_query, taxonomy_terms
from ..database import utcnow
from ..errors import UserError
from ..extensions import db
from ..notifications.services import notify_admins, notify_organization
from .models import (
    INFORMATION_KINDS,
    OPEN_STATUSES,
    ListingReport,
    ListingReportEvent,
    ReportKind,
    ReportStatus,
)

NOTE_MAX = 1000
MAX_ID = 2**31 - 1  # INTEGER columns: a larger number would make PostgreSQL fail
S = ReportStatus

# The only place the workflow is written: from each status, the statuses it may move to.
TRANSITIONS: dict[ReportStatus, frozenset[ReportStatus]] = {
    S.NEW: frozenset({S.IN_PROGRESS, S.FIXED, S.DISMISSED}),
    S.IN_PROGRESS: frozenset({S.FIXED, S.DISMISSED}),
    # A closed report may be taken up again when the problem turns out not to be settled.
    S.FIXED: frozenset({S.IN_PROGRESS}),
    S.DISMISSED: frozenset({S.IN_PROGRESS}),
}
NOTE_REQUIRED = frozenset({S.DISMISSED})


class ReportError(UserError, ValueError):
    """A refused report or change, with a message for the person and the field it concerns."""


# --- Loaders --------------------------------------------------------------------------------------


def _bounded(object_id: int) -> int:
    if not 1 <= object_id <= MAX_ID:
        abort(404)
    return object_id


def reportable_service(viewer, service_id: int) -> Service:
    """A service the catalogue lists for viewer, else 404 (hidden or unknown alike)."""
    service = db.session.scalar(
        listed_services_query(viewer).where(Service.id == _bounded(service_id))
    )
    if service is None:
        abort(404)
    return service


def report_or_404(report_id: int) -> ListingReport:
    return db.get_or_404(ListingReport, _bounded(report_id))


def report_for_provider(user: User, report_id: int) -> ListingReport:
    """An information report about the user's own organisation; 404 for anything else."""
    report = db.session.get(ListingReport, _bounded(report_id))
    if (
        report is None
        or user.organization_id is None
        or report.organization_id != user.organization_id
        or report.kind not in INFORMATION_KINDS
    ):
        abort(404)
    return report


# --- Filing ---------------------------------------------------------------------------------------


def check_note(note: str | None) -> str:
    """The note trimmed, or ReportError: required, at most NOTE_MAX, no control characters."""
    text = (note or "").strip()
    if not text:
        raise ReportError(_l("Describe the problem in a few words."), "note")
    if len(text) > NOTE_MAX:
        raise ReportError(_l("Keep the note to %(max)d characters or fewer.", max=NOTE_MAX), "note")
    if has_control_characters(text):
        raise ReportError(
            _l("The note contains invisible control characters; remove them and try again."),
            "note",
        )
    return text


def has_control_characters(text: str) -> bool:
    """True for NUL and other C0/C1 controls; line breaks and tabs are ordinary typing."""
    return any((ord(ch) < 32 and ch not in "\t\n\r") or 127 <= ord(ch) < 160 for ch in text)


def file_report(
    service: Service,
    kind: ReportKind,
    note: str | None,
    reporter: User | None,
    now: datetime | None = None,
) -> ListingReport:
    """Record a report, tell the coordinators and, for information problems, the provider."""
    if not isinstance(kind, ReportKind):
        raise ReportError(_l("Choose what kind of problem it is."), "kind")
    now = now or utcnow()
    report = ListingReport(
        service_id=service.id,
        organization_id=service.organization_id,
        service_name=service.name_fr[:200],
        kind=kind,
        note=check_note(note),
        status=S.NEW,
        reporter_id=reporter.id if reporter is not None else None,
        created_at=now,
        status_changed_at=now,
    )
    db.session.add(report)
    db.session.flush()
    record(reporter, "listing_report.create", "listing_report", report.id, now=now)
    notify_admins(
        "listing_report_new",
        endpoint="listing_reports.admin_detail",
        endpoint_args={"report_id": report.id},
        organization=service.organization.name,
    )
    if kind in INFORMATION_KINDS:
        _tell_provider(report, service)
        report.provider_told_at = now
    db.session.flush()
    return report


def _tell_provider(report: ListingReport, service: Service) -> None:
    """The service and the kind of problem: never who reported, never the note (e-mails too)."""
    notify_organization(
        service.organization_id,
        f"listing_report_{report.kind.value}",
        endpoint="listing_reports.provider_detail",
        endpoint_args={"report_id": report.id},
        organization=service.organization.name,
    )


# --- The coordinators' queue ----------------------------------------------------------------------


def allowed_targets(report: ListingReport) -> list[ReportStatus]:
    """The statuses the report may move to now, in workflow order."""
    allowed = TRANSITIONS.get(report.status, frozenset())
    return [status for status in ReportStatus if status in allowed]


def change_status(
    report: ListingReport,
    target: ReportStatus,
    note: str | None,
    actor: User,
    now: datetime | None = None,
) -> ListingReportEvent:
    """Move the report along TRANSITIONS, keep the coordinator's note, audit, flush."""
    if target not in TRANSITIONS.get(report.status, frozenset()):
        raise ReportError(_l("This report cannot move to that status from where it is."), "status")
    text = (note or "").strip() or None
    if text is not None and len(text) > NOTE_MAX:
        raise ReportError(_l("Keep the note to %(max)d characters or fewer.", max=NOTE_MAX), "note")
    if text is not None and has_control_characters(text):
        raise ReportError(
            _l("The note contains invisible control characters; remove them and try again."),
            "note",
        )
    if target in NOTE_REQUIRED and text is None:
        raise ReportError(_l("Say in a note why the report is dismissed."), "note")
    now = now or utcnow()
    event = ListingReportEvent(
        report=report,
        from_status=report.status,
        to_status=target,
        note=text,
        actor_id=actor.id,
        created_at=now,
    )
    db.session.add(event)
    report.status = target
    report.status_changed_at = now
    db.session.flush()
    record(actor, f"listing_report.{target.value}", "listing_report", report.id, now=now)
    return event


def queue_query(status: ReportStatus | None = None) -> Select:
    """select(ListingReport), newest first, of one status or of all."""
    query = select(ListingReport)
    if status is not None:
        query = query.where(ListingReport.status == status)
    return query.order_by(ListingReport.created_at.desc(), ListingReport.id.desc())


def status_counts() -> dict[ReportStatus, int]:
    rows = db.session.execute(
        select(ListingReport.status, func.count(ListingReport.id)).group_by(ListingReport.status)
    )
    counts = dict.fromkeys(ReportStatus, 0)
    counts.update({status: count for status, count in rows})
    return counts


def for_organization(organization_id: int) -> list[ListingReport]:
    """Every report about an organisation's services, newest first (its history)."""
    return list(
        db.session.scalars(
            select(ListingReport)
            .where(ListingReport.organization_id == organization_id)
            .order_by(ListingReport.created_at.desc(), ListingReport.id.desc())
        )
    )


def open_information_reports(organization_id: int) -> list[ListingReport]:
    """What the provider's staff see: open information problems about their services."""
    return list(
        db.session.scalars(
            select(ListingReport)
            .where(
                ListingReport.organization_id == organization_id,
                ListingReport.kind.in_(INFORMATION_KINDS),
                ListingReport.status.in_(OPEN_STATUSES),
            )
            .order_by(ListingReport.created_at.desc(), ListingReport.id.desc())
        )
    )


# --- The dashboard's counts -----------------------------------------------------------------------


@dataclass(frozen=True)
class ReportRow:
    key: str
    label: str
    total: int
    information: int
    poor_welcome: int
    other: int
    open: int


@dataclass(frozen=True)
class ReportCounts:
    total: ReportRow
    by_sector: list[ReportRow]
    by_region: list[ReportRow]


UNKNOWN = "unknown"


def counts_by_sector_and_region(start: datetime, end: datetime, locale: str) -> ReportCounts:
    """Reports filed from start (inclusive) to end (exclusive) by the provider's sector and by
    each region the service covers (a service in two regions counts in both); rows with none are
    left out."""
    reports = db.session.execute(
        select(ListingReport.id, ListingReport.kind, ListingReport.status, Organization.sector_id)
        .join(Organization, Organization.id == ListingReport.organization_id)
        .where(ListingReport.created_at >= start, ListingReport.created_at < end)
    ).all()
    regions_of = _regions_of([r.id for r in reports])
    by_sector: dict[int | None, list] = {}
    by_region: dict[str, list] = {}
    for r in reports:
        by_sector.setdefault(r.sector_id, []).append(r)
        for code in regions_of.get(r.id) or [UNKNOWN]:
            by_region.setdefault(code, []).append(r)
    return ReportCounts(
        total=_report_row("total", "", list(reports)),
        by_sector=_sector_rows(by_sector, locale),
        by_region=_region_rows(by_region, locale),
    )


def _regions_of(report_ids: list[int]) -> dict[int, list[str]]:
    """{report id: codes of the regions its service covers}; reports without any are left out."""
    regions_of: dict[int, list[str]] = {}
    if report_ids:
        for report_id, code in db.session.execute(
            select(ListingReport.id, ServiceArea.region_code)
            .join(ServiceArea, ServiceArea.service_id == ListingReport.service_id)
            .where(ListingReport.id.in_(report_ids))
        ):
            regions_of.setdefault(report_id, []).append(code)
    return regions_of


def _report_row(key: str, label: str, group: list) -> ReportRow:
    """The counts, by kind and open, of a group of report rows (with kind and status)."""
    kinds = Counter(r.kind for r in group)
    return ReportRow(
        key=key,
        label=label,
        total=len(group),
        information=sum(kinds[k] for k in INFORMATION_KINDS),
        poor_welcome=kinds[ReportKind.POOR_WELCOME],
        other=kinds[ReportKind.OTHER],
        open=sum(1 for r in group if r.status in OPEN_STATUSES),
    )


def _sector_rows(by_sector: dict[int | None, list], locale: str) -> list[ReportRow]:
    """A row per sector with reports, in the taxonomy's order; reports of no sector last."""
    rows = [
        _report_row(t.code, t.label(locale), by_sector[t.id])
        for t in taxonomy_terms("sector", active_only=False)
        if t.id in by_sector
    ]
    if None in by_sector:
        rows.append(_report_row(UNKNOWN, str(_l("Sector not set")), by_sector[None]))
    return rows


def _region_rows(by_region: dict[str, list], locale: str) -> list[ReportRow]:
    """A row per region with reports, in the regions' order; reports of no known region last."""
    rows = [
        _report_row(region.code, region.label(locale), by_region[region.code])
        for region in db.session.scalars(select(Region).order_by(Region.position, Region.code))
        if region.code in by_region
    ]
    if UNKNOWN in by_region:
        rows.append(
            _report_row(UNKNOWN, str(_l("Region not known (service removed)")), by_region[UNKNOWN])
        )
    return rows
