"""The reporting year: April 1 00:00 to March 31 end of day, in Québec local time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ..stats.metrics import local_day, local_midnight

# A year before the platform existed is never offered (and keeps dates sane).
FIRST_YEAR = 2000


@dataclass(frozen=True)
class ReportingYear:
    """Year Y runs from April 1 Y 00:00 local to April 1 Y+1 00:00 local (exclusive)."""

    start_year: int

    @property
    def label(self) -> str:
        """'2025–2026' (en dash, as in the reports partners already write)."""
        return f"{self.start_year}\u2013{self.start_year + 1}"

    @property
    def first_day(self) -> date:
        return date(self.start_year, 4, 1)

    @property
    def last_day(self) -> date:
        return date(self.start_year + 1, 3, 31)

    @property
    def starts_at(self) -> datetime:
        """The first instant of the year, in UTC (inclusive)."""
        return local_midnight(self.first_day)

    @property
    def ends_at(self) -> datetime:
        """The first instant after the year, in UTC (exclusive)."""
        return local_midnight(date(self.start_year + 1, 4, 1))

    def contains_day(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day

    def is_complete(self, now: datetime) -> bool:
        return now >= self.ends_at


def year_of_day(day: date) -> ReportingYear:
    """The reporting year a local calendar day falls in."""
    return ReportingYear(day.year if day.month >= 4 else day.year - 1)


def year_of(moment: datetime) -> ReportingYear:
    """The reporting year an instant falls in (bucketed in local time)."""
    return year_of_day(local_day(moment))
