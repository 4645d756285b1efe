"""The criteria on fixed data and a fixed day: each met and unmet, no data apart from n/a."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import event

from cote_a_cote.catalogue.models import OrganizationKind
from cote_a_cote.extensions import db
from cote_a_cote.recognition import criteria
from cote_a_cote.recognition.criteria import MET, NO_DATA, NOT_APPLICABLE, NOT_REQUIRED, UNMET
from cote_a_cote.referrals.models import ReferralStatus

from .conftest import NOW, TODAY


def result(org, level, code):
    check = criteria.standing(org, TODAY).check_for(level)
    return next(r for r in check.results if r.criterion.code == code)


def test_an_organisation_with_nothing_has_no_data_and_not_applicable_apart(make_org, levels):
    org = make_org()
    measures = criteria.standing(org, TODAY).measures
    assert measures["trained_share"].state == NOT_APPLICABLE  # no staff: no denominator
    for code in (
        "partner_months",
        "referrals_accepted",
        "referrals_completed",
        "median_response_hours",
        "average_rating",
        "reduced_cost_services",
        "months_since_verified",
    ):
        assert measures[code].state == NO_DATA, code


def test_trained_share_counts_staff_holding_every_required_module(make_org, staff, level_with):
    level = level_with(min_trained_share=75)
    org = make_org()
    staff(org, count=3, trained=True)
    staff(org, count=1, trained=False)
    r = result(org, level, "trained_share")
    assert (r.measure.value, r.state) == (75.0, MET)
    staff(org, count=1, trained=False)
    r = result(org, level, "trained_share")
    assert (r.measure.value, r.state) == (60.0, UNMET)


def test_an_expired_training_no_longer_counts(make_org, staff, level_with):
    level = level_with(min_trained_share=100)
    org = make_org()
    staff(org, count=1, trained=True, expires_on=TODAY)  # expires on the day: not valid
    assert result(org, level, "trained_share").state == UNMET


def test_months_as_partner(make_org, level_with):
    level = level_with(min_partner_months=12)
    assert result(make_org(partner_since=date(2024, 6, 10)), level, "partner_months").state == MET
    r = result(make_org(partner_since=date(2024, 6, 11)), level, "partner_months")
    assert (r.measure.value, r.state) == (11, UNMET)
    assert result(make_org(), level, "partner_months").measure.state == NO_DATA


def test_referrals_accepted_and_completed(make_org, referrals, level_with):
    level = level_with(min_referrals_accepted=3, min_referrals_completed=2)
    org = make_org()
    referrals(org, ReferralStatus.COMPLETED, count=1, hours=2)
    referrals(org, ReferralStatus.NOT_COMPLETED, count=1, hours=2)
    referrals(org, ReferralStatus.IN_PROGRESS, count=1, hours=2)
    referrals(org, ReferralStatus.DECLINED, count=2, hours=2)
    referrals(org, ReferralStatus.DRAFT, count=3)  # drafts never count
    accepted = result(org, level, "referrals_accepted")
    completed = result(org, level, "referrals_completed")
    assert (accepted.measure.value, accepted.state) == (3, MET)
    assert (completed.measure.value, completed.state) == (1, UNMET)


def test_a_real_zero_is_not_no_data(make_org, referrals, level_with):
    level = level_with(min_referrals_accepted=1)
    org = make_org()
    referrals(org, ReferralStatus.DECLINED, count=1, hours=1)
    r = result(org, level, "referrals_accepted")
    assert (r.measure.state, r.measure.value, r.state) == ("value", 0, UNMET)


def test_median_response_time(make_org, referrals, level_with):
    level = level_with(max_median_response_hours=48)
    fast, slow, silent = make_org(), make_org(), make_org()
    referrals(fast, ReferralStatus.ACCEPTED, hours=10)
    referrals(fast, ReferralStatus.ACCEPTED, hours=30)
    referrals(fast, ReferralStatus.ACCEPTED, hours=100)
    referrals(slow, ReferralStatus.ACCEPTED, count=2, hours=72)
    referrals(silent, ReferralStatus.SENT)  # sent, never answered
    r = result(fast, level, "median_response_hours")
    assert (r.measure.value, r.state) == (30.0, MET)
    assert result(slow, level, "median_response_hours").state == UNMET
    r = result(silent, level, "median_response_hours")
    assert (r.measure.state, r.state) == (NOT_APPLICABLE, UNMET)


def test_welcome_rating_counts_only_from_five_ratings(make_org, referrals, level_with):
    level = level_with(min_average_rating=4.0)
    few, enough, low = make_org(), make_org(), make_org()
    referrals(few, count=4, hours=1, rating=5)
    referrals(enough, count=5, hours=1, rating=4)
    referrals(low, count=5, hours=1, rating=3)
    r = result(few, level, "average_rating")
    assert (r.measure.state, r.measure.count, r.state) == (NOT_APPLICABLE, 4, UNMET)
    r = result(enough, level, "average_rating")
    assert (r.measure.value, r.state) == (4.0, MET)
    assert result(low, level, "average_rating").state == UNMET


def test_free_or_reduced_cost_services(make_org, make_service, level_with):
    level = level_with(min_reduced_cost_services=2)
    org = make_org()
    make_service(organization=org, terms=("access.free_or_reduced_cost",))
    make_service(organization=org, terms=("access.mobile",))
    r = result(org, level, "reduced_cost_services")
    assert (r.measure.value, r.measure.count, r.state) == (1, 2, UNMET)
    make_service(organization=org, terms=("access.free_or_reduced_cost", "access.mobile"))
    assert result(org, level, "reduced_cost_services").state == MET


def test_profile_verified_recently(make_org, level_with):
    level = level_with(max_months_since_verified=6)
    recent = make_org(last_verified_at=NOW - timedelta(days=100))
    r = result(recent, level, "months_since_verified")
    assert (r.measure.value, r.state) == (4, MET)  # 3 months and 9 days: the 4th month begun
    just = make_org(last_verified_at=datetime(2024, 12, 10, 16, 0, tzinfo=NOW.tzinfo))
    assert result(just, level, "months_since_verified").state == MET  # exactly six months
    stale = make_org(last_verified_at=datetime(2024, 12, 9, 16, 0, tzinfo=NOW.tzinfo))
    r = result(stale, level, "months_since_verified")
    assert (r.measure.value, r.state) == (7, UNMET)  # six months and a day
    assert result(make_org(), level, "months_since_verified").measure.state == NO_DATA


def test_an_empty_threshold_is_not_required(make_org, level_with):
    level = level_with()
    check = criteria.standing(make_org(), TODAY).check_for(level)
    assert {r.state for r in check.results} == {NOT_REQUIRED}
    assert check.met


def test_standing_names_the_highest_level_met_and_what_remains(
    make_org, staff, levels, make_service
):
    org = make_org(partner_since=date(2024, 1, 1), last_verified_at=NOW - timedelta(days=10))
    staff(org, count=1, trained=True)
    make_service(organization=org, terms=("access.free_or_reduced_cost",))
    found = criteria.standing(org, TODAY)
    assert found.level.code == "engage"
    assert found.next_check.level.code == "allie"
    remaining = {r.criterion.code for r in found.next_check.remaining}
    # Since issue 17 §3 the Ally level ranks the partner within its region, not by a fixed count.
    assert remaining == {"regional_rank_share", "referrals_completed", "median_response_hours"}


def test_standing_of_a_referring_organisation_has_no_level(make_org, levels):
    org = make_org(kind=OrganizationKind.REFERRER)
    assert criteria.standing(org, TODAY).level is None


def test_many_organisations_take_as_many_queries_as_one(make_org, staff, referrals, levels):
    def queries_for(ids):
        count = 0

        def counter(*args):
            nonlocal count
            count += 1

        event.listen(db.engine, "before_cursor_execute", counter)
        try:
            criteria.standings(ids, TODAY)
        finally:
            event.remove(db.engine, "before_cursor_execute", counter)
        return count

    orgs = [make_org() for _ in range(6)]
    for org in orgs:
        staff(org, count=2)
        referrals(org, ReferralStatus.COMPLETED, count=2, hours=5, rating=5)
    assert queries_for([orgs[0].id]) == queries_for([o.id for o in orgs])
    # And the batch answers what one-by-one does.
    batch = criteria.standings([o.id for o in orgs], TODAY)
    assert batch[orgs[3].id].measures == criteria.standing(orgs[3], TODAY).measures


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (date(2024, 1, 31), date(2024, 2, 29), 0),
        (date(2024, 1, 31), date(2024, 3, 31), 2),
        (date(2024, 6, 10), date(2025, 6, 10), 12),
        (date(2025, 7, 1), date(2025, 6, 10), 0),
    ],
)
def test_months_between(start, end, months):
    assert criteria.months_between(start, end) == months
