"""Business days skip Québec's public holidays (issue 15): the overdue rule and its deadline."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from cote_a_cote.referrals.upkeep import add_business_days, is_business_day

MTL = ZoneInfo("America/Toronto")


def local(*args) -> datetime:
    return datetime(*args, tzinfo=MTL)


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # Friday 20 June 2025; Tuesday 24 June is the Fête nationale: Mon, Wed, Thu.
        (local(2025, 6, 20, 15, 0), 3, local(2025, 6, 26, 15, 0)),
        # Thursday before Good Friday (18 April 2025): Mon 21, Tue 22.
        (local(2025, 4, 17, 11, 0), 2, local(2025, 4, 22, 11, 0)),
        # Sent on Christmas Day 2025 (a Thursday): counting starts Friday 26 at midnight.
        (local(2025, 12, 25, 10, 0), 1, local(2025, 12, 29, 0, 0)),
        # Across New Year's Day 2026 (a Thursday): Tue 30, Wed 31, Fri 2.
        (local(2025, 12, 29, 9, 0), 3, local(2026, 1, 2, 9, 0)),
    ],
)
def test_business_days_skip_quebec_public_holidays(app, start, days, expected):
    assert add_business_days(start.astimezone(UTC), days) == expected


def test_which_days_are_working_days():
    assert not is_business_day(datetime(2025, 6, 24).date())  # Fête nationale
    assert not is_business_day(datetime(2025, 7, 1).date())  # Canada Day
    assert not is_business_day(datetime(2025, 9, 1).date())  # Labour Day
    assert is_business_day(datetime(2025, 3, 17).date())  # Saint Patrick's: not a holiday here
    assert not is_business_day(datetime(2025, 6, 21).date())  # a Saturday
