"""The pure computations behind the dashboard, on values worked out by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from cote_a_cote.referrals.people import per_person
from cote_a_cote.stats.figures import Month, default_period, local_month, months_between
from cote_a_cote.stats.metrics import (
    NO_DATA,
    NOT_APPLICABLE,
    Count,
    count_groups,
    median,
    rate,
    response_figures,
)

MONTREAL = ZoneInfo("America/Toronto")


def test_rate_keeps_zero_apart_from_not_applicable():
    assert rate(1, 4) == 0.25
    assert rate(0, 4) == 0.0
    assert rate(0, 0) is NOT_APPLICABLE


def test_median_of_odd_and_even_counts_and_of_nothing():
    assert median([30, 6, 12]) == 12
    assert median([12, 30]) == 21
    assert median([]) is NOT_APPLICABLE


def test_response_figures_tell_no_data_from_not_applicable_from_zero():
    empty = response_figures([])
    assert (empty.activities, empty.acceptance_rate, empty.median_hours) == (0, NO_DATA, NO_DATA)
    unanswered = response_figures([(False, False, None), (False, False, None)])
    assert unanswered.activities == 2
    assert unanswered.acceptance_rate is NOT_APPLICABLE
    assert unanswered.median_hours is NOT_APPLICABLE
    refused = response_figures([(True, False, 5.0)])
    assert refused.acceptance_rate == 0.0
    assert refused.median_hours == 5.0


def test_accepted_without_a_recorded_answer_does_not_push_the_rate_above_one():
    figures = response_figures([(False, True, None), (True, True, 2.0)])
    assert (figures.responded, figures.accepted, figures.acceptance_rate) == (1, 1, 1.0)


def test_count_groups_counts_referrals_and_people_per_group():
    # Referrals 1 and 3 are for person 10, referral 2 for person 20.
    persons = {1: 10, 2: 20, 3: 10}
    memberships = [("06", 1), ("06", 2), ("06", 3), ("13", 1), ("13", 1)]
    assert count_groups(memberships, persons) == {"06": Count(3, 2), "13": Count(1, 1)}


def test_per_person_averages_referrals_and_distinct_needs_by_hand():
    # Person 10: referrals 1 (needs 7, 8) and 3 (need 7) → 2 referrals, 2 different needs.
    # Person 20: referral 2 (no need). Per person: (2 + 1) / 2 = 1.5 and (2 + 0) / 2 = 1.
    persons = {1: 10, 2: 20, 3: 10}
    figures = per_person([(1, [7, 8]), (2, []), (3, [7])], persons)
    assert (figures.people, figures.referrals) == (2, 3)
    assert figures.referrals_per_person == 1.5 and figures.needs_per_person == 1.0
    nobody = per_person([], {})
    assert nobody.referrals_per_person is None and nobody.needs_per_person is None


def test_months_parse_and_step_across_years():
    assert Month.parse("2026-04") == Month(2026, 4)
    assert Month(2026, 1).plus(-1) == Month(2025, 12)
    assert Month(2025, 12).plus(1) == Month(2026, 1)
    assert months_between(Month(2025, 11), Month(2026, 2)) == [
        Month(2025, 11),
        Month(2025, 12),
        Month(2026, 1),
        Month(2026, 2),
    ]
    assert default_period(date(2026, 3, 15)) == (Month(2025, 4), Month(2026, 3))


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "26-04", "2026/04", "avril", "", "2026-4"])
def test_month_parse_refuses_what_is_not_a_month(text):
    with pytest.raises(ValueError):
        Month.parse(text)


def test_local_month_uses_montreal_midnight_not_utc():
    # 04:30 UTC on 1 February is 23:30 on 31 January in Montréal (EST, UTC−5).
    assert local_month(datetime(2026, 2, 1, 4, 30, tzinfo=UTC), MONTREAL) == Month(2026, 1)
    assert local_month(datetime(2026, 2, 1, 5, 30, tzinfo=UTC), MONTREAL) == Month(2026, 2)
    # In daylight time (EDT, UTC−4) local midnight is 04:00 UTC.
    assert local_month(datetime(2025, 4, 1, 3, 30, tzinfo=UTC), MONTREAL) == Month(2025, 3)
    assert Month(2025, 4).start(MONTREAL) == datetime(2025, 4, 1, 4, 0, tzinfo=UTC)
