"""The dashboard's calendar: months of a period, bucketed on Québec's calendar (stats.metrics).

No database and no Flask here: every function takes plain values, so each can be checked by hand.
The figures themselves (counts, rates, medians, missing values) are defined in stats.metrics.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo


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
