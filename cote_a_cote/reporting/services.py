"""The annual report's figures, computed from the shared definitions of issue 6.

Counts only: nothing here reads a referral's code or free text. Activities are sent referrals
(never drafts) whose sent_at falls in the reporting year; people are their distinct person codes
(referrals.people: all the referrals made under one code, re-routes included, are one person).
Breakdowns hold both, per row.
"""

from __future__ import annotations

import re
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select

from ..catalogue.models import (
    Organization,
    OrganizationKind,
    Region,
    ServiceArea,
    Taxonomy,
    TaxonomyTerm,
)
from ..database import utcnow
from ..errors import UserError
from ..extensions import db
from ..referrals.models import (
    OPEN_STATUSES,
    DeclinedBy,
    Outcome,
    Referral,
    ReferralNeed,
    ReferralStatus,
)
from ..referrals.people import per_person, person_of
from ..stats.services import UNKNOWN as NOT_RECORDED
from ..stats.services import status_key
from .partners import NewPartner, new_partner_list, partner_figures
from .story import Story, compute_story
from .suppression import Mark
from .year import ReportingYear, local_day, year_of, year_of_day

S = ReferralStatus
ACCEPTED_STATUSES = frozenset({S.ACCEPTED, S.IN_PROGRESS, S.COMPLETED, S.NOT_COMPLETED})

# Outcome groups, in the order the report shows them.
OUTCOME_GROUPS = (
    "open",
    "completed",
    "not_completed",
    "declined_provider",
    "declined_person",
    "withdrawn",
    NOT_RECORDED,  # declined, by whom not recorded: shown only when it happens
)
# Reasons a referral was not completed, then "not recorded".
REASONS = tuple(o.value for o in Outcome) + ("not_recorded",)
UNKNOWN = None  # the key of a "not known" row (no region, no sector, no need)


class YearError(UserError, ValueError):
    """A year that cannot be reported on; the message is shown to the user."""


@dataclass
class Counted:
    """Referral ids per row key; activities and people are derived from them."""

    ids: dict = field(default_factory=lambda: defaultdict(set))

    def add(self, key, referral_id: int) -> None:
        self.ids[key].add(referral_id)


@dataclass(frozen=True)
class Figure:
    """One row of a breakdown: a key (a code, or None for "not known"), its label, its counts."""

    key: str | None
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
    acceptance_rate: float | Mark


@dataclass
class Figures:
    """Everything the annual report shows, before any suppression."""

    year: ReportingYear
    as_of: date  # the year's last day, or today while it runs
    complete: bool
    activities: int
    people: int
    referrals_per_person: float | Mark
    needs_per_person: float | Mark
    responded: int
    accepted: int
    acceptance_rate: float | Mark
    median_response_hours: float | Mark
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
    first_sent = db.session.scalar(
        select(func.min(Referral.sent_at)).where(
            Referral.status != S.DRAFT, Referral.sent_at.is_not(None)
        )
    )
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
    from flask_babel import lazy_gettext as _l

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


def _in_year(year: ReportingYear):
    return (
        Referral.status != S.DRAFT,
        Referral.sent_at.is_not(None),
        Referral.sent_at >= year.starts_at,
        Referral.sent_at < year.ends_at,
    )


def outcome_group(status: ReferralStatus, declined_by: DeclinedBy | None) -> str:
    """The dashboard's status rows (stats.services.status_key), the open ones taken together."""
    return "open" if status in OPEN_STATUSES else status_key(status, declined_by)


def _figures(
    counted: Counted, root, rows: Iterable[tuple[str | None, str]], keep_zero=lambda key: True
) -> list[Figure]:
    result = []
    for key, label in rows:
        ids = counted.ids.get(key, set())
        if ids or keep_zero(key):
            result.append(Figure(key, label, len(ids), len({root(i) for i in ids})))
    return result


def _average(value: float | None) -> float | Mark:
    return Mark.NO_DATA if value is None else round(value, 1)


def _rate(numerator: int, denominator: int) -> float | Mark:
    if denominator == 0:
        return Mark.NOT_APPLICABLE
    return round(100 * numerator / denominator, 1)


def compute(year: ReportingYear, locale: str = "fr", now: datetime | None = None) -> Figures:
    """Every figure of the annual report for year, labels in locale."""
    from flask_babel import gettext as _

    now = now or utcnow()
    rows = db.session.execute(
        select(
            Referral.id,
            Referral.status,
            Referral.declined_by,
            Referral.outcome,
            Referral.sent_at,
            Referral.first_response_at,
            Referral.provider_organization_id,
        ).where(*_in_year(year))
    ).all()
    persons = person_of(_in_year(year))

    def root(referral_id: int) -> int:
        return persons[referral_id]

    ids = {r.id for r in rows}
    responded = [r for r in rows if r.first_response_at is not None]
    # Among the referrals with a response, as the dashboard counts them: a rate never above 100 %.
    accepted = [r for r in responded if r.status in ACCEPTED_STATUSES]
    hours = [(r.first_response_at - r.sent_at).total_seconds() / 3600 for r in responded]
    median = round(statistics.median(hours), 1) if hours else Mark.NOT_APPLICABLE
    if not rows:
        median = Mark.NO_DATA

    outcomes, reasons = Counted(), Counted()
    for r in rows:
        group = outcome_group(r.status, r.declined_by)
        outcomes.add(group, r.id)
        if group == "not_completed":
            reasons.add(r.outcome.value if r.outcome else "not_recorded", r.id)

    regions = Counted()
    for referral_id, code in db.session.execute(
        select(Referral.id, ServiceArea.region_code)
        .join(ServiceArea, ServiceArea.service_id == Referral.service_id)
        .where(*_in_year(year))
    ):
        regions.add(code, referral_id)
    for referral_id in ids - set().union(*regions.ids.values()):
        regions.add(UNKNOWN, referral_id)  # the service was deleted or covers no region

    needs = Counted()
    needs_of: dict[int, list[int]] = defaultdict(list)
    for referral_id, term_id in db.session.execute(
        select(ReferralNeed.referral_id, ReferralNeed.taxonomy_term_id)
        .join(Referral, Referral.id == ReferralNeed.referral_id)
        .where(*_in_year(year))
    ):
        needs.add(term_id, referral_id)
        needs_of[referral_id].append(term_id)
    for referral_id in ids - set().union(*needs.ids.values()):
        needs.add(UNKNOWN, referral_id)

    providers = {
        org.id: org
        for org in db.session.scalars(
            select(Organization).where(
                Organization.id.in_(
                    select(Referral.provider_organization_id).where(*_in_year(year))
                )
            )
        )
    }
    sectors = Counted()
    per_provider = Counted()
    for r in rows:
        org = providers.get(r.provider_organization_id)
        sectors.add(org.sector_id if org else UNKNOWN, r.id)
        per_provider.add(r.provider_organization_id, r.id)

    region_rows = [
        (region.code, region.label(locale))
        for region in db.session.scalars(select(Region).order_by(Region.position, Region.code))
    ]
    not_known = _("Not known")
    need_terms = _terms("need")
    sector_terms = _terms("sector")
    outcome_labels = outcome_row_labels()
    reason_labels = reason_row_labels()
    averages = per_person(((i, needs_of.get(i, ())) for i in ids), persons)

    return Figures(
        year=year,
        as_of=min(year.last_day, local_day(now)),
        complete=year.is_complete(now),
        activities=len(rows),
        people=len({root(i) for i in ids}),
        referrals_per_person=_average(averages.referrals_per_person),
        needs_per_person=_average(averages.needs_per_person),
        responded=len(responded),
        accepted=len(accepted),
        acceptance_rate=_rate(len(accepted), len(responded)) if rows else Mark.NO_DATA,
        median_response_hours=median,
        by_region=_figures(
            regions, root, [*region_rows, (UNKNOWN, not_known)], lambda key: key is not UNKNOWN
        ),
        by_need=_figures(
            needs,
            root,
            [*((t.id, t.label(locale)) for t in need_terms), (UNKNOWN, _("No need recorded"))],
            # Every main need always shows (a true zero is a finding); sub-needs when used.
            lambda key: key is not UNKNOWN and _is_main(need_terms, key),
        ),
        by_sector=_figures(
            sectors,
            root,
            [*((t.id, t.label(locale)) for t in sector_terms), (UNKNOWN, _("No sector recorded"))],
            lambda key: key is not UNKNOWN,
        ),
        by_outcome=_figures(
            outcomes,
            root,
            [(k, str(outcome_labels[k])) for k in OUTCOME_GROUPS],
            lambda key: key != NOT_RECORDED,
        ),
        by_reason=_figures(reasons, root, [(k, str(reason_labels[k])) for k in REASONS]),
        **partner_figures(year, now),
        by_provider=_provider_figures(providers, per_provider, rows, root, sector_terms, locale),
        new_partner_list=new_partner_list(year, sector_terms, locale),
        story=compute_story(year),
    )


def _terms(taxonomy_code: str) -> list[TaxonomyTerm]:
    return list(
        db.session.scalars(
            select(TaxonomyTerm)
            .join(Taxonomy, Taxonomy.id == TaxonomyTerm.taxonomy_id)
            .where(Taxonomy.code == taxonomy_code)
            .order_by(TaxonomyTerm.position, TaxonomyTerm.id)
        )
    )


def _is_main(terms: list[TaxonomyTerm], term_id) -> bool:
    """A top-level active term (need.housing, not need.housing.search)."""
    term = next((t for t in terms if t.id == term_id), None)
    return term is not None and term.active and term.code.count(".") == 1


def outcome_row_labels() -> dict:
    from flask_babel import lazy_gettext as _l

    return {
        "open": _l("Open (sent, received, accepted, waitlisted or in progress)"),
        "completed": _l("Completed"),
        "not_completed": _l("Not completed"),
        "declined_provider": _l("Declined by the provider"),
        "declined_person": _l("Declined by the person"),
        "withdrawn": _l("Withdrawn"),
        NOT_RECORDED: _l("Declined, by whom not recorded"),
    }


def reason_row_labels() -> dict:
    from flask_babel import lazy_gettext as _l

    return {
        "no_show": _l("The person did not come"),
        "person_withdrew": _l("The person withdrew"),
        "provider_could_not_serve": _l("The provider could not serve the person"),
        "other": _l("Other reason"),
        "not_recorded": _l("Reason not recorded"),
    }


def _provider_figures(providers, per_provider, rows, root, sector_terms, locale):
    sector_names = {t.id: t.label(locale) for t in sector_terms}
    by_org = defaultdict(list)
    for r in rows:
        by_org[r.provider_organization_id].append(r)
    result = []
    for org_id, ids in per_provider.ids.items():
        org = providers.get(org_id)
        own = by_org[org_id]
        responded = sum(1 for r in own if r.first_response_at is not None)
        accepted = sum(
            1 for r in own if r.first_response_at is not None and r.status in ACCEPTED_STATUSES
        )
        result.append(
            ProviderFigure(
                name=org.name if org else "",
                sector=sector_names.get(org.sector_id) if org else None,
                activities=len(ids),
                people=len({root(i) for i in ids}),
                responded=responded,
                accepted=accepted,
                acceptance_rate=_rate(accepted, responded),
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
