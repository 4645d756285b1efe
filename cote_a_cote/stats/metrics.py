"""Referral facts, defined once: the dashboard (stats) and the annual report (reporting) read them.

- Time: a referral's date is the day of its sending on Québec's calendar (config.LOCAL_ZONE);
  a period is the instants from one local midnight to another, the end left out.
- Sent: a referral counts (is an activity) when it is not a draft and has a sending time.
- People: distinct person codes. A re-route is made under the code of the referral it re-routes,
  so every referral of a re-route chain counts its root's person once (referrals.people).
- Groups: a referral's regions are its service's areas, its needs its need terms, its sector its
  provider's; UNKNOWN holds what was not recorded. A decline is split by who declined, and a
  decline with no "declined by" is UNKNOWN: it is never guessed to be the provider's.
- Rates are fractions from 0 to 1, medians are in hours. A figure with no number is a Missing:
  NOT_APPLICABLE when there is nothing to divide by, NO_DATA when there is nothing to count.

Only counts, dates, statuses and ids leave this module: never a referral's code or text.
"""

from __future__ import annotations

import enum
import statistics
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import TypeVar

from sqlalchemy import ColumnElement, and_, select

from ..catalogue.models import Organization, ServiceArea
from ..config import LOCAL_ZONE
from ..extensions import db
from ..referrals.models import (
    OPEN_STATUSES,
    DeclinedBy,
    Outcome,
    Referral,
    ReferralNeed,
    ReferralStatus,
)
from ..referrals.people import PerPerson, per_person

K = TypeVar("K", bound=Hashable)

UNKNOWN = "unknown"  # the key of what was not recorded (no region, need, sector or decliner)
NOT_RECORDED = "not_recorded"  # the reason key of a referral not completed for no reason given


# --- Time ----------------------------------------------------------------------------------------

ZONE = LOCAL_ZONE  # the one calendar of every figure: Québec's


def local_day(moment: datetime) -> date:
    """The calendar day in Québec at moment (an aware datetime)."""
    return moment.astimezone(ZONE).date()


def local_midnight(day: date) -> datetime:
    """The first instant of day in Québec, in UTC."""
    return datetime.combine(day, time.min, tzinfo=ZONE).astimezone(UTC)


# --- Missing figures -----------------------------------------------------------------------------


class Missing(enum.Enum):
    """Why a figure has no number."""

    NOT_APPLICABLE = "not_applicable"  # there is no denominator: e.g. a rate with 0 responses
    NO_DATA = "no_data"  # nothing to count at all: e.g. a sector without any referral


NOT_APPLICABLE = Missing.NOT_APPLICABLE
NO_DATA = Missing.NO_DATA


# --- Sent referrals ------------------------------------------------------------------------------


def is_sent() -> ColumnElement[bool]:
    """SQL: the referral was sent (drafts never count)."""
    return and_(Referral.status != ReferralStatus.DRAFT, Referral.sent_at.is_not(None))


def sent_between(start: datetime, end: datetime) -> ColumnElement[bool]:
    """SQL: the referral was sent in [start, end)."""
    return and_(is_sent(), Referral.sent_at >= start, Referral.sent_at < end)


@dataclass(frozen=True)
class ReferralFact:
    """One referral sent in a period: what the figures need, nothing that identifies."""

    id: int
    person_id: int
    status: ReferralStatus
    declined_by: DeclinedBy | None
    outcome: Outcome | None
    sent_at: datetime
    first_response_at: datetime | None
    provider_id: int
    sector_id: int | None
    regions: tuple[str, ...]
    need_ids: tuple[int, ...]


def referral_facts(start: datetime, end: datetime) -> list[ReferralFact]:
    """Referrals sent in [start, end) with their regions and needs: three queries in all."""
    period = sent_between(start, end)
    regions_of = _regions_of(period)
    needs_of = _needs_of(period)
    rows = db.session.execute(
        select(
            Referral.id,
            Referral.person_id,
            Referral.status,
            Referral.declined_by,
            Referral.outcome,
            Referral.sent_at,
            Referral.first_response_at,
            Referral.provider_organization_id,
            Organization.sector_id,
        )
        .join(Organization, Organization.id == Referral.provider_organization_id)
        .where(period)
        .order_by(Referral.sent_at, Referral.id)
    )
    return [
        _fact(
            *row,
            regions=tuple(regions_of.get(row.id, ())),
            need_ids=tuple(needs_of.get(row.id, ())),
        )
        for row in rows
    ]


def _fact(
    referral_id: int,
    person_id: int,
    status: ReferralStatus,
    declined_by: DeclinedBy | None,
    outcome: Outcome | None,
    sent_at: datetime | None,
    first_response_at: datetime | None,
    provider_id: int,
    sector_id: int | None,
    regions: tuple[str, ...],
    need_ids: tuple[int, ...],
) -> ReferralFact:
    assert sent_at is not None  # referral_facts reads sent referrals only
    return ReferralFact(
        referral_id,
        person_id,
        status,
        declined_by,
        outcome,
        sent_at,
        first_response_at,
        provider_id,
        sector_id,
        regions,
        need_ids,
    )


def _regions_of(period: ColumnElement[bool]) -> dict[int, list[str]]:
    regions_of: dict[int, list[str]] = {}
    for referral_id, region in db.session.execute(
        select(Referral.id, ServiceArea.region_code)
        .join(ServiceArea, ServiceArea.service_id == Referral.service_id)
        .where(period)
        .order_by(ServiceArea.region_code)
    ):
        regions_of.setdefault(referral_id, []).append(region)
    return regions_of


def _needs_of(period: ColumnElement[bool]) -> dict[int, list[int]]:
    needs_of: dict[int, list[int]] = {}
    for referral_id, term_id in db.session.execute(
        select(ReferralNeed.referral_id, ReferralNeed.taxonomy_term_id)
        .join(Referral, Referral.id == ReferralNeed.referral_id)
        .where(period)
    ):
        needs_of.setdefault(referral_id, []).append(term_id)
    return needs_of


# --- Groups --------------------------------------------------------------------------------------

S = ReferralStatus
# Accepted by the provider at some point: the yes of the acceptance rate.
ACCEPTED = frozenset({S.ACCEPTED, S.IN_PROGRESS, S.COMPLETED, S.NOT_COMPLETED})


def status_key(status: ReferralStatus, declined_by: DeclinedBy | None) -> str:
    """The status row of a referral: its status, a decline split by who declined."""
    if status is S.DECLINED:
        if declined_by is None:
            return UNKNOWN
        return "declined_person" if declined_by is DeclinedBy.PERSON else "declined_provider"
    return status.value


def outcome_group(status: ReferralStatus, declined_by: DeclinedBy | None) -> str:
    """The status row, the open statuses taken together as "open"."""
    return "open" if status in OPEN_STATUSES else status_key(status, declined_by)


def reason_key(outcome: Outcome | None) -> str:
    """Why a referral was not completed, NOT_RECORDED when no reason was given."""
    return outcome.value if outcome else NOT_RECORDED


def region_keys(fact: ReferralFact) -> tuple[str, ...]:
    """Its service's regions, UNKNOWN when the service was deleted or covers none."""
    return fact.regions or (UNKNOWN,)


def need_keys(fact: ReferralFact) -> tuple[int | str, ...]:
    return fact.need_ids or (UNKNOWN,)


def sector_key(fact: ReferralFact) -> int | str:
    return UNKNOWN if fact.sector_id is None else fact.sector_id


# --- Activities and people -----------------------------------------------------------------------


@dataclass(frozen=True)
class Count:
    """Activities (referrals sent) and people (distinct person codes) in one group."""

    activities: int
    people: int


def count_groups(
    memberships: Iterable[tuple[K, int]], persons: Mapping[int, int]
) -> dict[K, Count]:
    """Count (group key, referral id) pairs: referrals and distinct people per key.

    persons maps each referral id to its person id. A referral may belong to several groups
    (several regions, several needs); each group counts it once.
    """
    referrals: dict[K, set[int]] = {}
    for key, referral_id in memberships:
        referrals.setdefault(key, set()).add(referral_id)
    return {key: Count(len(ids), len({persons[i] for i in ids})) for key, ids in referrals.items()}


def persons_of(facts: Iterable[ReferralFact]) -> dict[int, int]:
    """Referral id → person id."""
    return {f.id: f.person_id for f in facts}


def total(facts: Sequence[ReferralFact]) -> Count:
    return Count(len(facts), len({f.person_id for f in facts}))


def counts_by(
    facts: Sequence[ReferralFact], keys: Callable[[ReferralFact], Iterable[K]]
) -> dict[K, Count]:
    """Activities and people under each key; keys(fact) names every group a referral is in."""
    return count_groups(((key, f.id) for f in facts for key in keys(f)), persons_of(facts))


def by_status(facts: Sequence[ReferralFact]) -> dict[str, Count]:
    return counts_by(facts, lambda f: (status_key(f.status, f.declined_by),))


def by_outcome(facts: Sequence[ReferralFact]) -> dict[str, Count]:
    return counts_by(facts, lambda f: (outcome_group(f.status, f.declined_by),))


def by_reason(facts: Sequence[ReferralFact]) -> dict[str, Count]:
    """The referrals not completed, by reason."""
    not_completed = [f for f in facts if f.status is S.NOT_COMPLETED]
    return counts_by(not_completed, lambda f: (reason_key(f.outcome),))


def by_region(facts: Sequence[ReferralFact]) -> dict[str, Count]:
    return counts_by(facts, region_keys)


def by_need(facts: Sequence[ReferralFact]) -> dict[int | str, Count]:
    return counts_by(facts, need_keys)


def by_sector(facts: Sequence[ReferralFact]) -> dict[int | str, Count]:
    return counts_by(facts, lambda f: (sector_key(f),))


def grouped(
    facts: Iterable[ReferralFact], key: Callable[[ReferralFact], K]
) -> dict[K, list[ReferralFact]]:
    """The facts under each key, in their order."""
    groups: dict[K, list[ReferralFact]] = {}
    for fact in facts:
        groups.setdefault(key(fact), []).append(fact)
    return groups


def averages(facts: Sequence[ReferralFact]) -> PerPerson:
    """Referrals and different needs per person."""
    return per_person(((f.id, f.need_ids) for f in facts), persons_of(facts))


def average(value: float | None) -> float | Missing:
    """An average of PerPerson, NO_DATA when there was nobody."""
    return NO_DATA if value is None else value


# --- Rates and medians ---------------------------------------------------------------------------


def rate(part: int, whole: int) -> float | Missing:
    """part ÷ whole, or NOT_APPLICABLE when whole is 0 (a real 0 % stays 0.0)."""
    if whole < 0 or part < 0 or part > whole:
        raise ValueError((part, whole))
    return NOT_APPLICABLE if whole == 0 else part / whole


def median(values: Iterable[float]) -> float | Missing:
    """The median of values, or NOT_APPLICABLE when there is none."""
    values = list(values)
    return statistics.median(values) if values else NOT_APPLICABLE


def hours_between(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 3600


@dataclass(frozen=True)
class ResponseFigures:
    """What one group shows: its referrals, answers, acceptance and response time."""

    activities: int
    responded: int
    accepted: int
    acceptance_rate: float | Missing
    median_hours: float | Missing


def response_figures(
    rows: Iterable[tuple[bool, bool, float | None]],
) -> ResponseFigures:
    """rows: (responded, accepted, hours to first response or None) for each referral sent.

    No referral at all → NO_DATA for the rate and the median; referrals but no response →
    NOT_APPLICABLE for both.
    """
    rows = list(rows)
    if not rows:
        return ResponseFigures(0, 0, 0, NO_DATA, NO_DATA)
    responded = sum(1 for r in rows if r[0])
    # Among those that answered: the provider's yes is an answer (the rate's denominator), so
    # the rate is never above 100 %.
    accepted = sum(1 for r in rows if r[0] and r[1])
    return ResponseFigures(
        activities=len(rows),
        responded=responded,
        accepted=accepted,
        acceptance_rate=rate(accepted, responded),
        median_hours=median(h for h in (r[2] for r in rows) if h is not None),
    )


def responses(facts: Iterable[ReferralFact]) -> ResponseFigures:
    """The response figures of facts: answered, accepted among the answered, hours to answer."""
    return response_figures(
        (
            f.first_response_at is not None,
            f.status in ACCEPTED,
            hours_between(f.sent_at, f.first_response_at) if f.first_response_at else None,
        )
        for f in facts
    )
