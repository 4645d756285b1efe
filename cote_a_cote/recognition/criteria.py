"""The recognition criteria, measured by the platform from its own data, in batch.

For each provider organisation on a day: the share of active staff holding every required
training module (the 'trained' rule's own definition), months as a partner, referrals accepted
and completed, median time to first response, average welcome rating (only from
REFERRAL_RATINGS_MINIMUM ratings, as the ratings shown to intervenantes), services offered free or
at reduced cost, and months since the profile was last verified.

Every measure keeps "no data" (nothing to measure: no referral, no staff, never verified) apart
from "not applicable" (no denominator: referrals but none answered, fewer ratings than the
minimum). A required criterion is met only by a real value within its threshold.

Fair to the regions (issue 17 §3): two criteria are relative to the partner's region (its first
location's region, otherwise the region most of its services cover): the share of the region's
approved partners ahead of it by referrals accepted (0 % is first; "top quarter" is at most 25 %),
and its referrals accepted per 1,000 referrals sent to the region's partners. A small region's
partner is thus measured against its own region, not against Montréal. Engagement records
(awareness, in-kind help, informal partnerships, mentoring) count once confirmed, over the
last ENGAGEMENT_MONTHS months.
"""

from __future__ import annotations

import calendar
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import Row, case, func, select, true

from ..catalogue.models import (
    Location,
    Organization,
    OrganizationKind,
    OrganizationStatus,
    Service,
    ServiceArea,
    ServiceAttribute,
    TaxonomyTerm,
)
from ..config import settings
from ..extensions import db
from ..referrals.models import Referral, ReferralEvaluation, ReferralStatus
from ..training.rule import local_day, staff_completion
from .models import EngagementRecord, EngagementStatus, RecognitionLevel

REDUCED_COST_TERM = "access.free_or_reduced_cost"
ACCEPTED_STATUSES = (
    ReferralStatus.ACCEPTED,
    ReferralStatus.IN_PROGRESS,
    ReferralStatus.COMPLETED,
    ReferralStatus.NOT_COMPLETED,
)

# States of one measure, and of one criterion against a level.
VALUE = "value"
NO_DATA = "no_data"
NOT_APPLICABLE = "not_applicable"
MET = "met"
UNMET = "unmet"
NOT_REQUIRED = "not_required"


@dataclass(frozen=True)
class Criterion:
    """A criterion: its code, the level column holding its threshold, and its direction."""

    code: str
    threshold_attr: str
    at_least: bool  # True: value >= threshold; False: value <= threshold


CRITERIA = (
    Criterion("trained_share", "min_trained_share", True),
    Criterion("partner_months", "min_partner_months", True),
    Criterion("referrals_accepted", "min_referrals_accepted", True),
    Criterion("referrals_completed", "min_referrals_completed", True),
    Criterion("median_response_hours", "max_median_response_hours", False),
    Criterion("average_rating", "min_average_rating", True),
    Criterion("reduced_cost_services", "min_reduced_cost_services", True),
    Criterion("months_since_verified", "max_months_since_verified", False),
    Criterion("regional_rank_share", "max_regional_rank_share", False),
    Criterion("accepted_per_thousand_region", "min_accepted_per_thousand_region", True),
    Criterion("engagement_records", "min_engagement_records", True),
)
ENGAGEMENT_MONTHS = 12
CRITERIA_BY_CODE = {c.code: c for c in CRITERIA}


@dataclass(frozen=True)
class Measure:
    """A measured value, or why there is none (state NO_DATA or NOT_APPLICABLE)."""

    state: str
    value: float | int | None = None
    count: int | None = None  # how many things the value was computed from, when it helps


@dataclass(frozen=True)
class Result:
    """One criterion of one level for one organisation."""

    criterion: Criterion
    measure: Measure
    threshold: float | int | None
    state: str  # MET, UNMET or NOT_REQUIRED

    @property
    def met(self) -> bool:
        return self.state in (MET, NOT_REQUIRED)


@dataclass
class LevelCheck:
    level: RecognitionLevel
    results: list[Result]

    @property
    def met(self) -> bool:
        return all(r.met for r in self.results)

    @property
    def remaining(self) -> list[Result]:
        return [r for r in self.results if not r.met]


@dataclass
class Standing:
    """Where an organisation stands: the highest level met, and what the next one still needs."""

    measures: dict[str, Measure]
    checks: list[LevelCheck] = field(default_factory=list)

    @property
    def level(self) -> RecognitionLevel | None:
        met = [c.level for c in self.checks if c.met]
        return met[-1] if met else None

    @property
    def next_check(self) -> LevelCheck | None:
        current = self.level
        for check in self.checks:
            if (current is None or check.level.rank > current.rank) and not check.met:
                return check
        return None

    def check_for(self, level: RecognitionLevel) -> LevelCheck:
        for check in self.checks:
            if check.level.id == level.id:
                return check
        return evaluate(level, self.measures)


# --- Months ---------------------------------------------------------------------------------


def months_between(start: date, end: date) -> int:
    """Whole months from start to end (0 when end is before start's first monthly anniversary)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(months, 0)


# --- Measuring, in batch ----------------------------------------------------------------------


def measure_organizations(org_ids: Iterable[int] | None, today: date) -> dict[int, dict]:
    """{org id: {criterion code: Measure}} for provider organisations (all when org_ids is None).

    A fixed number of queries whatever the number of organisations.
    """
    wanted = None if org_ids is None else list(org_ids)
    if wanted is not None and not wanted:
        return {}
    rows = _provider_rows(wanted)
    ids = [row.id for row in rows]
    shares = _trained_shares(ids, today)
    referrals = _referral_counts(ids)
    responses = _response_hours(ids)
    ratings = _ratings(ids)
    services = _service_counts(ids)
    regional = _regional_measures(ids, referrals)
    engagements = _engagement_counts(ids, today)
    measures = {}
    for row in rows:
        sent, accepted, completed = referrals.get(row.id, (0, 0, 0))
        measures[row.id] = {
            "trained_share": shares.get(row.id, Measure(NOT_APPLICABLE)),
            "partner_months": _months_measure(row.partner_since, today),
            "referrals_accepted": Measure(VALUE, accepted) if sent else Measure(NO_DATA, 0),
            "referrals_completed": Measure(VALUE, completed) if sent else Measure(NO_DATA, 0),
            "median_response_hours": _median_measure(sent, responses.get(row.id, [])),
            "average_rating": ratings.get(row.id, Measure(NO_DATA)),
            "reduced_cost_services": services.get(row.id, Measure(NO_DATA)),
            "months_since_verified": _months_measure(
                local_day(row.last_verified_at) if row.last_verified_at else None,
                today,
                started=True,
            ),
            **regional[row.id],
            "engagement_records": Measure(VALUE, engagements.get(row.id, 0)),
        }
    return measures


def _provider_rows(org_ids: list[int] | None) -> Sequence[Row[int, date | None, datetime | None]]:
    """(id, partner_since, last_verified_at) of the providers in org_ids (all when None)."""
    orgs = select(Organization.id, Organization.partner_since, Organization.last_verified_at).where(
        Organization.kind == OrganizationKind.PROVIDER
    )
    if org_ids is not None:
        orgs = orgs.where(Organization.id.in_(org_ids))
    return db.session.execute(orgs).all()


def months_started(start: date, end: date) -> int:
    """Months from start to end, a month begun counting whole (for "at most" thresholds)."""
    whole = months_between(start, end)
    return whole + 1 if _add_months(start, whole) < end else whole


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def _months_measure(start: date | None, today: date, started: bool = False) -> Measure:
    """Whole months since start; with started, a begun month counts (so 6 months and a day is 7)."""
    if start is None:
        return Measure(NO_DATA)
    return Measure(VALUE, (months_started if started else months_between)(start, today))


def _median_measure(sent: int, hours: list[float]) -> Measure:
    if not sent:
        return Measure(NO_DATA)
    if not hours:
        return Measure(NOT_APPLICABLE)  # referrals, none answered yet
    return Measure(VALUE, round(statistics.median(hours), 1), len(hours))


def _trained_shares(ids: list[int], today: date) -> dict[int, Measure]:
    """Percent of active staff holding every active required module valid on today."""
    if not ids:
        return {}
    return {
        org_id: Measure(VALUE, round(100 * complete / staff, 1), staff)
        for org_id, (staff, complete) in staff_completion(ids, today).items()
        if staff  # an organisation without active staff: no denominator
    }


def _referral_counts(ids: list[int] | None) -> dict[int, tuple[int, int, int]]:
    """(sent, accepted, completed) per organisation (every one when ids is None); drafts never
    count."""
    accepted = func.sum(case((Referral.status.in_(ACCEPTED_STATUSES), 1), else_=0))
    completed = func.sum(case((Referral.status == ReferralStatus.COMPLETED, 1), else_=0))
    rows = db.session.execute(
        select(Referral.provider_organization_id, func.count(Referral.id), accepted, completed)
        .where(
            true() if ids is None else Referral.provider_organization_id.in_(ids),
            Referral.status != ReferralStatus.DRAFT,
            Referral.sent_at.is_not(None),
        )
        .group_by(Referral.provider_organization_id)
    )
    return {org_id: (int(n), int(a or 0), int(c or 0)) for org_id, n, a, c in rows}


def _response_hours(ids: list[int]) -> dict[int, list[float]]:
    rows = db.session.execute(
        select(Referral.provider_organization_id, Referral.sent_at, Referral.first_response_at)
        .where(
            Referral.provider_organization_id.in_(ids),
            Referral.sent_at.is_not(None),
            Referral.first_response_at.is_not(None),
        )
        .execution_options(yield_per=2000)
    )
    hours: dict[int, list[float]] = defaultdict(list)
    for org_id, sent_at, first_response_at in rows:
        if org_id is None or sent_at is None or first_response_at is None:
            continue  # never: the query leaves these out
        hours[org_id].append(max((first_response_at - sent_at).total_seconds(), 0) / 3600)
    return hours


def _ratings(ids: list[int]) -> dict[int, Measure]:
    """The mean of the three welcome scores (respect, no judgement, confidentiality).

    As for the ratings intervenantes see (referrals/ratings.py): under REFERRAL_RATINGS_MINIMUM
    ratings there is no average to show (not applicable).
    """
    minimum = settings().referral_ratings_minimum
    rows = db.session.execute(
        select(
            Referral.provider_organization_id,
            func.count(ReferralEvaluation.id),
            func.avg(ReferralEvaluation.respect),
            func.avg(ReferralEvaluation.no_judgement),
            func.avg(ReferralEvaluation.confidentiality),
        )
        .join(Referral, Referral.id == ReferralEvaluation.referral_id)
        .where(Referral.provider_organization_id.in_(ids))
        .group_by(Referral.provider_organization_id)
    )
    ratings = {}
    for org_id, count, respect, no_judgement, confidentiality in rows:
        if count < minimum:
            ratings[org_id] = Measure(NOT_APPLICABLE, None, int(count))
        else:
            mean = (float(respect) + float(no_judgement) + float(confidentiality)) / 3
            ratings[org_id] = Measure(VALUE, round(mean, 2), int(count))
    return ratings


def _service_counts(ids: list[int]) -> dict[int, Measure]:
    """Services offered free or at reduced cost, per organisation that has services at all."""
    reduced = (
        select(func.count())
        .select_from(ServiceAttribute)
        .join(TaxonomyTerm, TaxonomyTerm.id == ServiceAttribute.taxonomy_term_id)
        .where(ServiceAttribute.service_id == Service.id, TaxonomyTerm.code == REDUCED_COST_TERM)
        .correlate(Service)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(
            Service.organization_id,
            func.count(Service.id),
            func.sum(case((reduced > 0, 1), else_=0)),
        )
        .where(Service.organization_id.in_(ids))
        .group_by(Service.organization_id)
    )
    return {org_id: Measure(VALUE, int(n_reduced or 0), int(n)) for org_id, n, n_reduced in rows}


def partner_regions(ids: list[int] | None = None) -> dict[int, str]:
    """{provider id: region code}: its first location's region, otherwise the region most of its
    services cover (the lowest code on a tie). Two queries whatever the number of partners."""
    regions: dict[int, str] = {}
    located = (
        select(Location.organization_id, Location.region_code)
        .join(Organization, Organization.id == Location.organization_id)
        .where(Organization.kind == OrganizationKind.PROVIDER, Location.region_code.is_not(None))
        .order_by(Location.organization_id, Location.id)
    )
    if ids is not None:
        located = located.where(Location.organization_id.in_(ids))
    for org_id, code in db.session.execute(located):
        if org_id is not None and code is not None:  # always: the query leaves out the rest
            regions.setdefault(org_id, code)
    covered = (
        select(Service.organization_id, ServiceArea.region_code, func.count())
        .join(ServiceArea, ServiceArea.service_id == Service.id)
        .join(Organization, Organization.id == Service.organization_id)
        .where(Organization.kind == OrganizationKind.PROVIDER)
        .group_by(Service.organization_id, ServiceArea.region_code)
    )
    if ids is not None:
        covered = covered.where(Service.organization_id.in_(ids))
    best: dict[int, tuple[int, str]] = {}
    for org_id, code, n in db.session.execute(covered):
        if org_id in regions:
            continue
        if org_id not in best or (-n, code) < (-best[org_id][0], best[org_id][1]):
            best[org_id] = (n, code)
    regions.update({org_id: code for org_id, (_n, code) in best.items()})
    return regions


def _regional_measures(ids: list[int], referrals: dict) -> dict[int, dict[str, Measure]]:
    """The two region-relative measures of each organisation in ids."""
    regions = partner_regions()
    approved = _approved_provider_ids()
    accepted_in, sent_in = _regional_totals(regions, approved)
    result = {}
    for org_id in ids:
        region = regions.get(org_id)
        sent, accepted, _completed = referrals.get(org_id, (0, 0, 0))
        if region is None:
            no_region = Measure(NO_DATA, None, -1)  # count -1: no region known
            result[org_id] = {
                "regional_rank_share": no_region,
                "accepted_per_thousand_region": no_region,
            }
        elif not sent:
            result[org_id] = {
                "regional_rank_share": Measure(NO_DATA),
                "accepted_per_thousand_region": Measure(NO_DATA),
            }
        else:
            peers = accepted_in[region] if org_id in approved else [*accepted_in[region], accepted]
            result[org_id] = _regional_place(accepted, peers, sent_in[region])
    return result


def _approved_provider_ids() -> set[int]:
    return set(
        db.session.scalars(
            select(Organization.id).where(
                Organization.kind == OrganizationKind.PROVIDER,
                Organization.status == OrganizationStatus.APPROVED,
            )
        )
    )


def _regional_totals(
    regions: dict[int, str], approved: set[int]
) -> tuple[dict[str, list[int]], dict[str, int]]:
    """By region: the accepted counts of its approved partners, and the referrals sent to all."""
    everyone = _referral_counts(None)
    accepted_in: dict[str, list[int]] = defaultdict(list)  # the region's approved partners
    sent_in: dict[str, int] = defaultdict(int)  # every referral sent to the region's partners
    for org_id, code in regions.items():
        sent, accepted, _completed = everyone.get(org_id, (0, 0, 0))
        sent_in[code] += sent
        if org_id in approved:
            accepted_in[code].append(accepted)
    return accepted_in, sent_in


def _regional_place(accepted: int, peers: list[int], sent_in_region: int) -> dict[str, Measure]:
    """An organisation's rank among its region's peers, and its share of the region's referrals."""
    ahead = sum(1 for other in peers if other > accepted)
    rank = (
        Measure(VALUE, round(100 * ahead / len(peers), 1), len(peers))
        if accepted
        else Measure(NOT_APPLICABLE)  # nothing accepted yet: no place in the ranking
    )
    per_thousand = Measure(VALUE, round(1000 * accepted / sent_in_region), sent_in_region)
    return {"regional_rank_share": rank, "accepted_per_thousand_region": per_thousand}


def _engagement_counts(ids: list[int], today: date) -> dict[int, int]:
    """Confirmed engagement records per organisation, dated within the last 12 months."""
    since = today - timedelta(days=365 * ENGAGEMENT_MONTHS // 12)
    rows = db.session.execute(
        select(EngagementRecord.organization_id, func.count(EngagementRecord.id))
        .where(
            EngagementRecord.organization_id.in_(ids),
            EngagementRecord.status == EngagementStatus.CONFIRMED,
            EngagementRecord.occurred_on > since,
            EngagementRecord.occurred_on <= today,
        )
        .group_by(EngagementRecord.organization_id)
    )
    return {org_id: int(n) for org_id, n in rows}


# --- Judging against levels -----------------------------------------------------------------


def active_levels() -> list[RecognitionLevel]:
    return list(
        db.session.scalars(
            select(RecognitionLevel)
            .where(RecognitionLevel.active.is_(True))
            .order_by(RecognitionLevel.rank, RecognitionLevel.id)
        )
    )


def judge(criterion: Criterion, measure: Measure, threshold) -> str:
    if threshold is None:
        return NOT_REQUIRED
    if measure.state != VALUE or measure.value is None:
        return UNMET
    if criterion.at_least:
        return MET if measure.value >= threshold else UNMET
    return MET if measure.value <= threshold else UNMET


def evaluate(level: RecognitionLevel, measures: dict[str, Measure]) -> LevelCheck:
    results = []
    for criterion in CRITERIA:
        threshold = getattr(level, criterion.threshold_attr)
        measure = measures[criterion.code]
        results.append(Result(criterion, measure, threshold, judge(criterion, measure, threshold)))
    return LevelCheck(level, results)


def standings(
    org_ids: Iterable[int] | None, today: date, levels: list[RecognitionLevel] | None = None
) -> dict[int, Standing]:
    """Standing of many organisations at once (all providers when org_ids is None)."""
    levels = active_levels() if levels is None else levels
    return {
        org_id: Standing(measures, [evaluate(level, measures) for level in levels])
        for org_id, measures in measure_organizations(org_ids, today).items()
    }


def standing(organization: Organization, today: date) -> Standing:
    """Where one provider organisation stands on today."""
    found = standings([organization.id], today)
    if organization.id in found:
        return found[organization.id]
    empty = {c.code: Measure(NO_DATA) for c in CRITERIA}
    return Standing(empty, [evaluate(level, empty) for level in active_levels()])
