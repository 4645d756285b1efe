"""Pure computations for the dashboard: months, people, medians and rates.

No database and no Flask here: every function takes plain values, so each figure can be checked
by hand. "Not applicable" (no denominator) and "no data" (nothing to count) are values of their
own (Missing), never None and never 0.
"""

from __future__ import annotations

import enum
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo


class Missing(enum.Enum):
    """Why a figure has no number."""

    NOT_APPLICABLE = "not_applicable"  # there is no denominator: e.g. a rate with 0 responses
    NO_DATA = "no_data"  # nothing to count at all: e.g. a sector without any referral


NOT_APPLICABLE = Missing.NOT_APPLICABLE
NO_DATA = Missing.NO_DATA

Figure = int | float | Missing


# --- Months --------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    @classmethod
    def parse(cls, text: str) -> Month:
        """'2026-04' → Month(2026, 4); ValueError otherwise."""
        year, _, month = text.strip().partition("-")
        if len(year) != 4 or not year.isdigit() or len(month) != 2 or not month.isdigit():
            raise ValueError(text)
        value = cls(int(year), int(month))
        if not 1 <= value.month <= 12 or value.year < 1900:
            raise ValueError(text)
        return value

    def plus(self, months: int) -> Month:
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    def start(self, zone: ZoneInfo) -> datetime:
        """Local midnight on the first day of the month."""
        return datetime(self.year, self.month, 1, tzinfo=zone)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def months_between(first: Month, last: Month) -> list[Month]:
    """Every month from first to last, both included."""
    months, current = [], first
    while current <= last:
        months.append(current)
        current = current.plus(1)
    return months


def local_month(moment: datetime, zone: ZoneInfo) -> Month:
    """The month moment falls in, on a calendar in zone (an aware datetime)."""
    return Month.of(moment.astimezone(zone).date())


def default_period(today: date, months: int = 12) -> tuple[Month, Month]:
    """The last `months` months, the current one included."""
    last = Month.of(today)
    return last.plus(1 - months), last


# --- People and activities -----------------------------------------------------------------------


@dataclass(frozen=True)
class Count:
    """Activities (referrals sent) and people (distinct person codes) in one group."""

    activities: int
    people: int


def count_groups(
    memberships: Iterable[tuple[object, int]], persons: Mapping[int, int]
) -> dict[object, Count]:
    """Count (group key, referral id) pairs: referrals and distinct people per key.

    persons maps each referral id to its person id.

    A referral may belong to several groups (several regions, several needs); each group counts
    it once.
    """
    referrals: dict[object, set[int]] = {}
    for key, referral_id in memberships:
        referrals.setdefault(key, set()).add(referral_id)
    return {key: Count(len(ids), len({persons[i] for i in ids})) for key, ids in referrals.items()}


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
    """What one group (a sector) shows: its referrals, answers, acceptance and response time."""

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
    responded = sum(1 for r in rows if r[0])
    # Among those that answered: the provider's yes is an answer (the rate's denominator).
    accepted = sum(1 for r in rows if r[0] and r[1])
    if not rows:
        return ResponseFigures(0, 0, 0, NO_DATA, NO_DATA)
    return ResponseFigures(
        activities=len(rows),
        responded=responded,
        accepted=accepted,
        acceptance_rate=rate(accepted, responded),
        median_hours=median(h for h in (r[2] for r in rows) if h is not None),
    )
