"""The pure computations behind the dashboard, on values worked out by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from cote_a_cote.stats.figures import (
    NO_DATA,
    NOT_APPLICABLE,
    Count,
    Month,
    count_groups,
    default_period,
    local_month,
    median,
    months_between,
    person_roots,
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


def test_person_roots_follow_a_chain_of_reroutes_to_its_first_referral():
    # 1 → re-routed to 2 → re-routed to 3; 5 re-routed from 4.
    roots = person_roots({2: 1, 3: 2, 5: 4})
    assert roots == {2: 1, 3: 1, 5: 4}


def test_person_roots_stop_on_a_cycle():
    assert person_roots({1: 2, 2: 1}) == {1: 2, 2: 1}


def test_count_groups_counts_referrals_and_people_per_group():
    roots = {3: 2}
    memberships = [("06", 1), ("06", 2), ("06", 3), ("13", 1), ("13", 1)]
    assert count_groups(memberships, roots) == {"06": Count(3, 2), "13": Count(1, 1)}


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
