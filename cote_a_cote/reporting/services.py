"""The annual report's figures, from the referral facts of stats.metrics (the dashboard's too).

Counts only: nothing here reads a referral's code or free text. Activities are sent referrals
(never drafts) whose sending falls in the reporting year; people are their distinct person codes
(all the referrals made under one code, re-routes included, are one person). Breakdowns hold
both, per row. Rates are shown in %, rates and medians rounded to one decimal.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..catalogue.models import (
    Organization,
    OrganizationKind,
    Region,
    Taxonomy,
    TaxonomyTerm,
)
from ..database import utcnow
from ..errors import UserError
from ..extensions import db
from ..referrals.models import Outcome, Referral
from ..stats import metrics
from ..stats.metrics import NOT_RECORDED, UNKNOWN, Count, Missing, ReferralFact, local_day
from .partners import NewPartner, new_partner_list, partner_figures
from .story import Story, compute_story
from .year import ReportingYear, year_of, year_of_day

# Outcome groups (metrics.outcome_group), in the order the report shows them.
OUTCOME_GROUPS = (
    "open",
    "completed",
    "not_completed",
    "declined_provider",
    "declined_person",
    "withdrawn",
    UNKNOWN,  # declined, by whom not recorded: shown only when it happens
)
# Reasons a referral was not completed (metrics.reason_key), then "not recorded".
REASONS = (*(o.value for o in Outcome), NOT_RECORDED)

Key = str | int  # a row's key: a code, a term id, or UNKNOWN
K = TypeVar("K", bound=str | int)


class YearError(UserError, ValueError):
    """A year that cannot be reported on; the message is shown to the user."""


@dataclass(frozen=True)
class Figure:
    """One row of a breakdown: a key (a code, a term id or UNKNOWN), its label, its counts."""

    key: Key
    label: str
    activities: int
    people: int


@dataclass(frozen=True)
class ProviderFigure:
    name: str
    sector: str | None
    activities: int
    people: int
    responded: int
    accepted: int
    acceptance_rate: float | Missing


@dataclass
class Figures:
    """Everything the annual report shows, before any suppression."""

    year: ReportingYear
    as_of: date  # the year's last day, or today while it runs
    complete: bool
    activities: int
    people: int
    referrals_per_person: float | Missing
    needs_per_person: float | Missing
    responded: int
    accepted: int
    acceptance_rate: float | Missing
    median_response_hours: float | Missing
    by_region: list[Figure]
    by_need: list[Figure]
    by_sector: list[Figure]
    by_outcome: list[Figure]
    by_reason: list[Figure]
    approved_partners: int
    trained_partners: int
    new_partners: int
    by_provider: list[ProviderFigure]
    new_partner_list: list[NewPartner]
    story: Story


# --- Years ---------------------------------------------------------------------------------------


def available_years(now: datetime | None = None) -> list[ReportingYear]:
    """Years that have data (sent referrals, new partners) and the current one, newest first."""
    now = now or utcnow()
    current = year_of(now)
    first_sent = db.session.scalar(select(func.min(Referral.sent_at)).where(metrics.is_sent()))
    first_partner = db.session.scalar(
        select(func.min(Organization.partner_since)).where(
            Organization.kind == OrganizationKind.PROVIDER
        )
    )
    starts = [current.start_year]
    if first_sent is not None:
        starts.append(year_of(first_sent).start_year)
    if first_partner is not None:
        starts.append(year_of_day(first_partner).start_year)
    first = max(min(starts), current.start_year - 50)
    return [ReportingYear(y) for y in range(current.start_year, first - 1, -1)]


def default_year(now: datetime | None = None) -> ReportingYear:
    """The last complete year when it is offered (it has data), otherwise the current one."""
    years = available_years(now)
    return years[1] if len(years) > 1 else years[0]


# "2025", "2025-2026" or "2025–2026" (ASCII digits only).
_YEAR = re.compile(r"([0-9]{4})(?:[-\u2013]([0-9]{4}))?")


def parse_year(raw: str | None, now: datetime | None = None) -> ReportingYear:
    """The year chosen in the form ('2025' or '2025-2026'), or YearError."""
    if raw is None or not raw.strip():
        return default_year(now)
    match = _YEAR.fullmatch(raw.strip())
    if not match or (match.group(2) and int(match.group(2)) != int(match.group(1)) + 1):
        raise YearError(_l("Choose a reporting year from the list (for example 2025–2026)."))
    year = ReportingYear(int(match.group(1)))
    if year not in available_years(now):
        raise YearError(
            _l("There is no report for %(year)s: choose a year from the list.", year=year.label)
        )
    return year


# --- Referral figures ----------------------------------------------------------------------------


def compute(year: ReportingYear, locale: str = "fr", now: datetime | None = None) -> Figures:
    """Every figure of the annual report for year, labels in locale."""
    now = now or utcnow()
    facts = metrics.referral_facts(year.starts_at, year.ends_at)
    total = metrics.total(facts)
    responses = metrics.responses(facts)
    averages = metrics.averages(facts)
    sector_terms = _terms("sector")
    return Figures(
        year=year,
        as_of=min(year.last_day, local_day(now)),
        complete=year.is_complete(now),
        activities=total.activities,
        people=total.people,
        referrals_per_person=_one_decimal(metrics.average(averages.referrals_per_person)),
        needs_per_person=_one_decimal(metrics.average(averages.needs_per_person)),
        responded=responses.responded,
        accepted=responses.accepted,
        acceptance_rate=_percent(responses.acceptance_rate),
        median_response_hours=_one_decimal(responses.median_hours),
        by_region=_region_figures(facts, locale),
        by_need=_need_figures(facts, locale),
        by_sector=_sector_figures(facts, sector_terms, locale),
        by_outcome=_outcome_figures(facts),
        by_reason=_reason_figures(facts),
        **partner_figures(year, now),
        by_provider=_provider_figures(facts, sector_terms, locale),
        new_partner_list=new_partner_list(year, sector_terms, locale),
        story=compute_story(year),
    )


def _one_decimal(value: float | Missing) -> float | Missing:
    return value if isinstance(value, Missing) else round(value, 1)


def _percent(value: float | Missing) -> float | Missing:
    """A rate (a fraction) in %, with one decimal."""
    return value if isinstance(value, Missing) else round(100 * value, 1)


def _figures(
    counts: Mapping[K, Count],
    rows: Iterable[tuple[K, str]],
    keep_zero: Callable[[K], bool] = lambda key: True,
) -> list[Figure]:
    """One Figure per (key, label) row, in order; a row counting nothing only when keep_zero."""
    result = []
    for key, label in rows:
        count = counts.get(key, Count(0, 0))
        if count.activities or keep_zero(key):
            result.append(Figure(key, label, count.activities, count.people))
    return result


def _is_known(key: Key) -> bool:
    return key != UNKNOWN


def _region_figures(facts: Sequence[ReferralFact], locale: str) -> list[Figure]:
    """Every region with its true zero, then the referrals whose service covers none."""
    regions = db.session.scalars(select(Region).order_by(Region.position, Region.code))
    rows = [(region.code, region.label(locale)) for region in regions]
    rows.append((UNKNOWN, _("Not known")))
    return _figures(metrics.by_region(facts), rows, _is_known)


def _need_figures(facts: Sequence[ReferralFact], locale: str) -> list[Figure]:
    """Every main need always shows (a true zero is a finding); sub-needs when used."""
    terms = _terms("need")
    main = {t.id for t in terms if t.active and t.code.count(".") == 1}
    rows: list[tuple[Key, str]] = [(t.id, t.label(locale)) for t in terms]
    rows.append((UNKNOWN, _("No need recorded")))
    return _figures(metrics.by_need(facts), rows, lambda key: key in main)


def _sector_figures(
    facts: Sequence[ReferralFact], sector_terms: list[TaxonomyTerm], locale: str
) -> list[Figure]:
    rows: list[tuple[Key, str]] = [(t.id, t.label(locale)) for t in sector_terms]
    rows.append((UNKNOWN, _("No sector recorded")))
    return _figures(metrics.by_sector(facts), rows, _is_known)


def _outcome_figures(facts: Sequence[ReferralFact]) -> list[Figure]:
    labels = outcome_row_labels()
    rows = [(k, str(labels[k])) for k in OUTCOME_GROUPS]
    return _figures(metrics.by_outcome(facts), rows, _is_known)


def _reason_figures(facts: Sequence[ReferralFact]) -> list[Figure]:
    labels = reason_row_labels()
    return _figures(metrics.by_reason(facts), [(k, str(labels[k])) for k in REASONS])


def _terms(taxonomy_code: str) -> list[TaxonomyTerm]:
    return list(
        db.session.scalars(
            select(TaxonomyTerm)
            .join(Taxonomy, Taxonomy.id == TaxonomyTerm.taxonomy_id)
            .where(Taxonomy.code == taxonomy_code)
            .order_by(TaxonomyTerm.position, TaxonomyTerm.id)
        )
    )


def outcome_row_labels() -> dict[str, str]:
    return {
        "open": _l("Open (sent, received, accepted, waitlisted or in progress)"),
        "completed": _l("Completed"),
        "not_completed": _l("Not completed"),
        "declined_provider": _l("Declined by the provider"),
        "declined_person": _l("Declined by the person"),
        "withdrawn": _l("Withdrawn"),
        UNKNOWN: _l("Declined, by whom not recorded"),
    }


def reason_row_labels() -> dict[str, str]:
    return {
        "no_show": _l("The person did not come"),
        "person_withdrew": _l("The person withdrew"),
        "provider_could_not_serve": _l("The provider could not serve the person"),
        "other": _l("Other reason"),
        NOT_RECORDED: _l("Reason not recorded"),
    }


def _provider_figures(
    facts: Sequence[ReferralFact], sector_terms: list[TaxonomyTerm], locale: str
) -> list[ProviderFigure]:
    """Each provider with referrals in the year, the busiest first."""
    sector_names = {t.id: t.label(locale) for t in sector_terms}
    by_provider = metrics.grouped(facts, lambda f: f.provider_id)
    providers = db.session.scalars(
        select(Organization).where(Organization.id.in_(list(by_provider)))
    )
    result = []
    for org in providers:
        own = by_provider[org.id]
        count, responses = metrics.total(own), metrics.responses(own)
        result.append(
            ProviderFigure(
                name=org.name,
                sector=sector_names.get(org.sector_id) if org.sector_id else None,
                activities=count.activities,
                people=count.people,
                responded=responses.responded,
                accepted=responses.accepted,
                acceptance_rate=_percent(responses.acceptance_rate),
            )
        )
    return sorted(result, key=lambda p: (-p.activities, p.name.casefold()))


# --- Audit ---------------------------------------------------------------------------------------


def record_export(actor, year: ReportingYear, view: str, fmt: str, remote_addr: str | None):
    """One audit event per download: which year, which view, which format; flushes."""
    from ..audit.services import record

    return record(
        actor, f"annual_report.export_{view}_{fmt}", "annual_report", year.start_year, remote_addr
    )
