"""The dashboard's figures: facts from the database turned into labelled rows by pure functions.

Every referral figure is defined in stats.metrics, which the annual report reads too: an activity
is a referral sent; people are distinct person codes; a referral's date is its sending in Québec
time; its regions are its service's areas; its needs are its need terms; its sector is the
provider's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from ..catalogue.models import CapacityStatus, Region, TaxonomyTerm
from ..catalogue.services import PROVINCE_WIDE
from . import facts, metrics
from .figures import Month, local_month, months_between
from .metrics import UNKNOWN, Count, Missing, ReferralFact, ResponseFigures, rate

EXPIRING_DAYS = 60

# Status rows in workflow order (metrics.status_key); a refusal is split by who declined.
STATUS_ROWS = (
    ("sent", _l("Sent, not yet opened")),
    ("received", _l("Opened by the provider")),
    ("accepted", _l("Accepted")),
    ("waitlisted", _l("On the waiting list")),
    ("in_progress", _l("In progress")),
    ("completed", _l("Completed")),
    ("not_completed", _l("Not completed")),
    ("declined_provider", _l("Declined by the provider")),
    ("declined_person", _l("Declined by the person")),
    ("withdrawn", _l("Withdrawn")),
)


def zone() -> ZoneInfo:
    return metrics.ZONE


def local_today(now: datetime) -> date:
    return metrics.local_day(now)


# --- Shapes the pages read -----------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One labelled row of a grouped table: activities and people."""

    key: str
    label: str
    count: Count
    sub: bool = False  # a sub-need, shown indented after its parent


@dataclass(frozen=True)
class SectorRow:
    key: str
    label: str
    figures: ResponseFigures


@dataclass(frozen=True)
class Activity:
    """Referral figures for a period of months."""

    first: Month
    last: Month
    total: Count
    by_status: list[Row]
    by_region: list[Row]
    by_need: list[Row]
    by_month: list[Row]
    by_sector: list[SectorRow]
    overall: ResponseFigures
    referrals_per_person: float | Missing
    needs_per_person: float | Missing


@dataclass(frozen=True)
class Coverage:
    """Region × top-level need: how many counted providers each cell has."""

    regions: list[tuple[str, str]]
    needs: list[tuple[str, str]]
    cells: dict[tuple[str, str], int]

    def count(self, region: str, need: str) -> int:
        return self.cells.get((region, need), 0)

    @property
    def gaps(self) -> int:
        return sum(1 for r, _ in self.regions for n, _ in self.needs if not self.count(r, n))

    @property
    def province_wide_label(self) -> str:
        return dict(self.regions).get(PROVINCE_WIDE, PROVINCE_WIDE)

    @property
    def size(self) -> int:
        return len(self.regions) * len(self.needs)


@dataclass(frozen=True)
class Partners:
    trained: int
    approved: int
    trained_share: float | Missing
    expiring_training: int
    expiring_days: int
    stale_profiles: int


@dataclass(frozen=True)
class Dashboard:
    activity: Activity | None  # None while the period filter is invalid
    coverage: Coverage
    partners: Partners
    # Recognition counts are wired by the recognition feature: (label, count) pairs, or None.
    recognition: Sequence[tuple[str, int]] | None = None


# --- Building -----------------------------------------------------------------------------------


def dashboard(
    period: tuple[Month, Month] | None,
    now: datetime,
    locale: str,
    recognition: Sequence[tuple[str, int]] | None = None,
) -> Dashboard:
    """Every figure of the dashboard; period None leaves the referral figures out."""
    return Dashboard(
        activity=activity(*period, locale=locale) if period else None,
        coverage=coverage(locale),
        partners=partners(now),
        recognition=recognition,
    )


def coverage(locale: str) -> Coverage:
    need_terms = facts.terms(facts.NEED_TAXONOMY)
    tops = [t for t in need_terms if t.code == facts.top_level_code(t.code)]
    return Coverage(
        regions=[(r.code, r.label(locale)) for r in facts.regions()],
        needs=[(t.code, t.label(locale)) for t in tops],
        cells=facts.coverage_counts(need_terms),
    )


def partners(now: datetime) -> Partners:
    trained, approved = facts.trained_partner_counts()
    return Partners(
        trained=trained,
        approved=approved,
        trained_share=rate(trained, approved),
        expiring_training=facts.expiring_training_count(local_today(now), EXPIRING_DAYS),
        expiring_days=EXPIRING_DAYS,
        stale_profiles=facts.stale_profile_count(now),
    )


def activity(first: Month, last: Month, locale: str) -> Activity:
    """Referrals sent from the first day of first to the last day of last (Québec time)."""
    tz = zone()
    referrals = metrics.referral_facts(first.start(tz), last.plus(1).start(tz))
    by_sector, overall = _sector_rows(referrals, locale)
    people = metrics.averages(referrals)
    return Activity(
        first=first,
        last=last,
        total=metrics.total(referrals),
        by_status=_status_rows(referrals),
        by_region=_region_rows(referrals, locale),
        by_need=_need_rows(referrals, locale),
        by_month=_month_rows(referrals, first, last),
        by_sector=by_sector,
        overall=overall,
        referrals_per_person=metrics.average(people.referrals_per_person),
        needs_per_person=metrics.average(people.needs_per_person),
    )


def month_label(month: Month) -> str:
    """'avr. 2026' in French, 'Apr 2026' in English."""
    return format_date(month.first_day, "MMM yyyy")


def _unknown_row(count: Count | None, label: object) -> list[Row]:
    """The row of what was not recorded, only when there is something in it."""
    return [Row(UNKNOWN, str(label), count)] if count else []


def _status_rows(referrals: Sequence[ReferralFact]) -> list[Row]:
    statuses = metrics.by_status(referrals)
    rows = [Row(key, str(label), statuses.get(key, Count(0, 0))) for key, label in STATUS_ROWS]
    return rows + _unknown_row(statuses.get(UNKNOWN), _l("Declined, by whom not recorded"))


def _region_rows(referrals: Sequence[ReferralFact], locale: str) -> list[Row]:
    """Every region, then the referrals whose service covers none (only when there are)."""
    regions = metrics.by_region(referrals)
    rows = [Row(r.code, r.label(locale), regions.get(r.code, Count(0, 0))) for r in facts.regions()]
    return rows + _unknown_row(regions.get(UNKNOWN), _l("Region not known (service removed)"))


def _month_rows(referrals: Sequence[ReferralFact], first: Month, last: Month) -> list[Row]:
    months = metrics.counts_by(referrals, lambda r: (local_month(r.sent_at, zone()),))
    return [
        Row(str(m), month_label(m), months.get(m, Count(0, 0))) for m in months_between(first, last)
    ]


def _need_rows(referrals: Sequence[ReferralFact], locale: str) -> list[Row]:
    """Every active need term (and any inactive one still counted), sub-needs after parents."""
    needs = metrics.by_need(referrals)
    terms = facts.terms(facts.NEED_TAXONOMY, active_only=False)
    rows = [
        Row(t.code, t.label(locale), needs.get(t.id, Count(0, 0)), sub=t.code.count(".") > 1)
        for t in terms
        if t.active or t.id in needs
    ]
    return rows + _unknown_row(needs.get(UNKNOWN), _l("No need recorded"))


def _sector_rows(
    referrals: Sequence[ReferralFact], locale: str
) -> tuple[list[SectorRow], ResponseFigures]:
    """Every active sector (and any inactive one with referrals), then "sector not set"."""
    by_sector = metrics.grouped(referrals, metrics.sector_key)
    sectors: list[TaxonomyTerm] = facts.terms(facts.SECTOR_TAXONOMY, active_only=False)
    rows = [
        SectorRow(t.code, t.label(locale), metrics.responses(by_sector.get(t.id, [])))
        for t in sectors
        if t.active or t.id in by_sector
    ]
    if UNKNOWN in by_sector:
        rows.append(
            SectorRow(UNKNOWN, str(_l("Sector not set")), metrics.responses(by_sector[UNKNOWN]))
        )
    return rows, metrics.responses(referrals)


# --- Drill-down ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellProvider:
    """A provider with services in a cell: counted, or a lead with the reasons it is not."""

    organization_id: int
    name: str
    is_trained: bool
    services: list[tuple[int, str, CapacityStatus]]

    @property
    def accepting(self) -> bool:
        return any(capacity is not CapacityStatus.PAUSED for _, _, capacity in self.services)

    @property
    def counted(self) -> bool:
        return self.is_trained and self.accepting


@dataclass(frozen=True)
class Cell:
    region: Region
    need: TaxonomyTerm
    counted: list[CellProvider]
    leads: list[CellProvider]


def cell(region: Region, need: TaxonomyTerm, locale: str) -> Cell:
    """The approved providers of a matrix cell, split into counted ones and leads."""
    providers: dict[int, CellProvider] = {}
    for s in facts.cell_services(region.code, need.code):
        provider = providers.setdefault(
            s.organization_id,
            CellProvider(s.organization_id, s.organization_name, s.is_trained, []),
        )
        provider.services.append((s.service_id, s.service_name, s.capacity))
    listed = list(providers.values())
    return Cell(
        region=region,
        need=need,
        counted=[p for p in listed if p.counted],
        leads=[p for p in listed if not p.counted],
    )
