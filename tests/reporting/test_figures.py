"""Every figure of the annual report equals what was counted by hand on the fixture (conftest)."""

from __future__ import annotations

import pytest

from cote_a_cote.reporting import services
from cote_a_cote.reporting.suppression import Mark
from cote_a_cote.reporting.year import ReportingYear, year_of
from cote_a_cote.stats.metrics import Missing

from .conftest import NOW, fr, local


@pytest.fixture
def figures(app, year):
    with app.test_request_context():
        return services.compute(ReportingYear(2025), "fr", NOW)


def rows(breakdown) -> dict[str, tuple[int, int]]:
    return {f.label: (f.activities, f.people) for f in breakdown if f.activities or f.people}


def test_the_year_runs_from_april_first_to_march_31_in_montreal_time():
    year = ReportingYear(2025)
    assert year.label == "2025–2026"
    assert year.starts_at == local(2025, 4, 1, 0, 0)
    assert year.ends_at == local(2026, 4, 1, 0, 0)
    assert year_of(local(2026, 3, 31, 23, 30)) == year  # 03:30 UTC on April 1
    assert year_of(local(2026, 4, 1, 0, 30)).start_year == 2026
    assert year_of(local(2025, 3, 31, 23, 30)).start_year == 2024


def test_totals_count_activities_and_people_apart(figures):
    # r1..r6; r3 re-routes r2, so 6 activities for 5 people. The draft and the referrals sent
    # just before and just after the year are left out.
    assert (figures.activities, figures.people) == (6, 5)
    assert (figures.responded, figures.accepted) == (4, 3)  # r1-r4; r1, r3, r4
    assert figures.acceptance_rate == 75.0
    assert figures.median_response_hours == 3.0  # median of 1, 2, 4 and 10 hours
    assert figures.complete and figures.as_of.isoformat() == "2026-03-31"


def test_the_boundaries_fall_on_the_right_side(app, year):
    with app.test_request_context():
        before = services.compute(ReportingYear(2024), "fr", NOW)
        after = services.compute(ReportingYear(2026), "fr", NOW)
    assert (before.activities, after.activities) == (1, 1)
    assert after.complete is False
    assert after.as_of.isoformat() == "2026-05-15"


def test_by_region_counts_each_region_a_service_covers(figures):
    assert rows(figures.by_region) == {
        "Capitale-Nationale": (2, 2),  # r3, r4 at Boréal; r3 is r2's person
        "Montréal": (4, 4),  # r1, r2 (Alpha covers 06 and 13), r5, r6
        "Laval": (2, 2),  # r1, r2
    }
    # Every region is listed, with its true zero.
    assert len(figures.by_region) == 19


def test_by_need_counts_a_person_once_per_row(app, figures):
    assert rows(figures.by_need) == {
        "Sécurité et hébergement d'urgence": (2, 1),  # r2 and its re-route r3: one person
        "Recherche de logement et logement à long terme": (2, 2),
        "Juridique et sociojudiciaire": (1, 1),
        fr(app, "No need recorded"): (2, 2),  # r5, r6
    }


def test_by_sector_and_by_outcome(app, figures):
    assert rows(figures.by_sector) == {
        "Cliniques médicales (urgence, imagerie, avortement, dentisterie)": (2, 2),
        "Avocates et avocats": (2, 2),
        fr(app, "No sector recorded"): (2, 2),
    }
    outcomes = {f.key: (f.activities, f.people) for f in figures.by_outcome}
    assert outcomes == {
        "open": (2, 2),  # r3 accepted, r5 sent
        "completed": (1, 1),
        "not_completed": (1, 1),
        "declined_provider": (1, 1),
        "declined_person": (0, 0),
        "withdrawn": (1, 1),
    }
    assert sum(a for a, _p in outcomes.values()) == figures.activities
    reasons = {f.key: f.activities for f in figures.by_reason}
    assert reasons == {
        "no_show": 1,
        "person_withdrew": 0,
        "provider_could_not_serve": 0,
        "other": 0,
        "not_recorded": 0,
    }


def test_partners_at_the_end_of_the_year(figures):
    # Alpha, Boréal (no history, partner since April 1, 2025) and Doré (suspended after the
    # year); not Cèdre (partner since April 1, 2026), Étoile (approved in April 2026) nor Fané
    # (suspended in February 2026).
    assert figures.approved_partners == 3
    assert figures.trained_partners == 1  # Alpha only
    assert figures.new_partners == 1  # Boréal, on the first day of the year
    assert [p.name for p in figures.new_partner_list] == ["Cabinet Fictif Boréal"]


def test_per_provider_rates_say_not_applicable_without_a_response(figures):
    by_name = {p.name: p for p in figures.by_provider}
    assert by_name["Cabinet Fictif Boréal"].acceptance_rate == 100.0
    assert by_name["Clinique Fictive Alpha"].acceptance_rate == 50.0
    assert by_name["Services Fictifs Cèdre"].acceptance_rate is Missing.NOT_APPLICABLE


def test_a_year_without_referrals_says_no_data_not_zero(app, reference):
    with app.test_request_context():
        empty = services.compute(ReportingYear(2026), "fr", NOW)
    assert (empty.activities, empty.people) == (0, 0)
    assert empty.acceptance_rate is Missing.NO_DATA
    assert empty.median_response_hours is Missing.NO_DATA


def test_people_are_distinct_codes_with_averages_per_person(app, year):
    from cote_a_cote.extensions import db
    from cote_a_cote.referrals.models import Referral, ReferralStatus

    # One more referral of the year under r1's code (the same person, another service).
    r1 = year.referrals["r1"]
    r4 = year.referrals["r4"]
    extra = Referral(
        person=r1.person,
        service_id=r4.service_id,
        provider_organization_id=r4.provider_organization_id,
        referring_user_id=r1.referring_user_id,
        referring_organization_id=r1.referring_organization_id,
        status=ReferralStatus.SENT,
        sent_at=local(2025, 10, 1, 10),
        created_at=local(2025, 10, 1, 9),
    )
    extra.needs = list(r4.needs)  # legal
    db.session.add(extra)
    db.session.commit()
    with app.test_request_context():
        figures = services.compute(ReportingYear(2025), "fr", NOW)
    # By hand: 7 referrals for 5 codes: r1 + extra, r2 + r3, r4, r5, r6.
    assert (figures.activities, figures.people) == (7, 5)
    assert figures.referrals_per_person == 1.4
    # Different needs: r1's person housing + legal = 2; r2's housing + safety = 2; r4's legal = 1;
    # r5 and r6 none: 5 ÷ 5 people.
    assert figures.needs_per_person == 1.0
    # The legal row counts two referrals (r4, extra) for two people.
    legal = next(f for f in figures.by_need if f.key == r4.needs[0].id)
    assert (legal.activities, legal.people) == (2, 2)


def test_the_averages_of_the_fixture_year(figures):
    # 6 referrals for 5 codes; needs 1 (r1) + 2 (r2, r3) + 1 (r4) + 0 + 0 = 4 over 5 people.
    assert figures.referrals_per_person == 1.2
    assert figures.needs_per_person == 0.8


def test_the_funder_view_shows_the_averages_only_from_five_people(figures):
    from dataclasses import replace

    from cote_a_cote.reporting.tables import FULL, FUNDER, report_tables

    def totals(figures, view):
        table = report_tables(figures, view)[0]
        return {row.term: row.cells[0] for row in table.rows}

    assert totals(figures, FUNDER)["referrals-per-person"] == 1.2  # 5 people: shown
    fewer = replace(figures, people=4)
    assert totals(fewer, FUNDER)["referrals-per-person"] is Mark.TOO_FEW
    assert totals(fewer, FUNDER)["needs-per-person"] is Mark.TOO_FEW
    assert totals(fewer, FULL)["needs-per-person"] == 0.8
