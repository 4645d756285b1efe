"""The dashboard and the annual report count the same referrals the same way (stats.metrics).

One hand-built set of referrals; the reporting year 2025–2026 is the dashboard's April 2025 to
March 2026. Montréal is on standard time (UTC-5) around New Year: 23:30 on 31 December is 04:30
UTC on 1 January, so a figure bucketed in UTC would move it to the wrong month. Everyone is
fictional.

  Alpha (clinics, regions 06 + 13), Boréal (lawyers, region 03), Cèdre (no sector, region 06)
  q1  Alpha   31 Dec 2025 23:30 local  housing          completed                   answer 2 h
  q2  Alpha    1 Jan 2026 00:30 local  housing + safety declined, by whom not noted answer 10 h
  q3  Boréal   2 Jan 2026 10:00 local  safety           accepted (re-route of q2)   answer 4 h
  q4  Boréal  31 Dec 2025 12:00 local  legal + housing  declined by the provider    answer 1 h
  q5  Cèdre    1 Jan 2026 12:00 local  safety           sent                        no answer
  q6  Cèdre   15 Jun 2025 10:00 local  legal            not completed, no reason    answer 6 h
      q6 is made under q1's code, q3 under q2's (a re-route): 6 referrals for 4 people
      (P1: q1 q6, P2: q2 q3, P4: q4, P5: q5).
  Not counted: a draft, 31 Mar 2025 23:30 local (the year before) and 1 Apr 2026 00:30 local
  (the year after).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from cote_a_cote.catalogue.models import TaxonomyTerm
from cote_a_cote.extensions import db
from cote_a_cote.referrals.models import DeclinedBy, Referral, ReferralStatus
from cote_a_cote.reporting.services import Figures, compute
from cote_a_cote.reporting.year import ReportingYear
from cote_a_cote.roles import Role
from cote_a_cote.stats import services as dashboard
from cote_a_cote.stats.figures import Month
from cote_a_cote.stats.metrics import UNKNOWN, Count
from cote_a_cote.stats.services import Activity

from .conftest import MONTREAL, NOW, referral_adder

S = ReferralStatus
OPEN = ("sent", "received", "accepted", "waitlisted", "in_progress")
CLINICS, LAWYERS = "sector.medical_clinics", "sector.lawyers"
HOUSING, SAFETY, LEGAL = "need.housing", "need.safety_shelter", "need.legal"


def local(*args) -> datetime:
    return datetime(*args, tzinfo=MONTREAL).astimezone(UTC)


def _term(code: str) -> TaxonomyTerm:
    return db.session.scalars(select(TaxonomyTerm).where(TaxonomyTerm.code == code)).one()


@dataclass
class Both:
    report: Figures
    board: Activity


@pytest.fixture
def both(app, reference, make_org, make_user, make_service) -> Both:
    alpha = make_org(name="Clinique Fictive Alpha", sector_id=_term(CLINICS).id)
    boreal = make_org(name="Cabinet Fictif Boréal", sector_id=_term(LAWYERS).id)
    cedre = make_org(name="Services Fictifs Cèdre")
    service_a = make_service(alpha, name_fr="Soins Alpha", regions=("06", "13"))
    service_b = make_service(boreal, name_fr="Conseils Boréal", regions=("03",))
    service_c = make_service(cedre, name_fr="Aide Cèdre", regions=("06",))
    intervenante = make_user(Role.INTERVENANTE, email="intervenante@example.org")
    made: dict[str, Referral] = {}
    adder = referral_adder(intervenante, made, "ONE")

    def add(name, service, sent, status, needs=(), hours=None, person=None, **fields):
        terms = [_term(code) for code in needs]
        adder(name, service, sent, status, terms, hours, person, **fields)

    add("q1", service_a, local(2025, 12, 31, 23, 30), S.COMPLETED, [HOUSING], 2)
    add("q2", service_a, local(2026, 1, 1, 0, 30), S.DECLINED, [HOUSING, SAFETY], 10)
    add(
        "q3",
        service_b,
        local(2026, 1, 2, 10),
        S.ACCEPTED,
        [SAFETY],
        4,
        person=made["q2"].person,
        rerouted_from_id=made["q2"].id,
    )
    add(
        "q4",
        service_b,
        local(2025, 12, 31, 12),
        S.DECLINED,
        [LEGAL, HOUSING],
        1,
        declined_by=DeclinedBy.PROVIDER,
    )
    add("q5", service_c, local(2026, 1, 1, 12), S.SENT, [SAFETY])
    add("q6", service_c, local(2025, 6, 15, 10), S.NOT_COMPLETED, [LEGAL], 6, made["q1"].person)
    add("draft", service_a, None, S.DRAFT, [HOUSING])
    add("before", service_a, local(2025, 3, 31, 23, 30), S.COMPLETED, [HOUSING], 3)
    add("after", service_a, local(2026, 4, 1, 0, 30), S.SENT, [HOUSING])
    db.session.commit()
    with app.test_request_context():
        return Both(
            report=compute(ReportingYear(2025), "fr", NOW),
            board=dashboard.activity(Month(2025, 4), Month(2026, 3), "fr"),
        )


def test_the_totals_and_averages_agree(both):
    report, board = both.report, both.board
    # q1..q6: 6 referrals for 4 people (P1, P2, P4, P5).
    assert Count(report.activities, report.people) == board.total == Count(6, 4)
    # 6 ÷ 4 people; different needs: P1 housing + legal, P2 housing + safety, P4 legal +
    # housing, P5 safety: 7 ÷ 4 = 1.75, which the report shows to one decimal.
    assert report.referrals_per_person == board.referrals_per_person == 1.5
    assert board.needs_per_person == 1.75
    assert report.needs_per_person == round(board.needs_per_person, 1) == 1.8


def test_the_responses_agree(both):
    report, overall = both.report, both.board.overall
    # Answered: q1, q2, q3, q4, q6; accepted among them: q1 (completed), q3, q6 (not completed).
    assert (report.responded, report.accepted) == (overall.responded, overall.accepted) == (5, 3)
    assert overall.acceptance_rate == 0.6
    assert report.acceptance_rate == 100 * overall.acceptance_rate == 60.0
    # Hours to the first answer: 1, 2, 4, 6, 10.
    assert report.median_response_hours == overall.median_hours == 4.0


def test_a_decline_with_no_one_recorded_is_unknown_in_both(both):
    outcomes = {f.key: Count(f.activities, f.people) for f in both.report.by_outcome}
    statuses = {row.key: row.count for row in both.board.by_status}
    assert outcomes[UNKNOWN] == statuses[UNKNOWN] == Count(1, 1)  # q2
    assert outcomes["declined_provider"] == statuses["declined_provider"] == Count(1, 1)  # q4
    for key in ("completed", "not_completed", "declined_person", "withdrawn"):
        assert outcomes[key] == statuses[key], key
    assert outcomes["completed"] == outcomes["not_completed"] == Count(1, 1)  # q1; q6
    # Open: q3 accepted, q5 sent.
    assert outcomes["open"] == Count(2, 2)
    assert outcomes["open"].activities == sum(statuses[key].activities for key in OPEN)
    reasons = {f.key: f.activities for f in both.report.by_reason}
    assert reasons["not_recorded"] == 1  # q6


def test_regions_needs_and_sectors_agree(both):
    report, board = both.report, both.board
    regions = {f.key: Count(f.activities, f.people) for f in report.by_region}
    assert regions == {row.key: row.count for row in board.by_region}
    # 06: q1 q2 (Alpha) q5 q6 (Cèdre), P1 twice; 13: q1 q2; 03: q3 q4 (P2, P4).
    assert (regions["06"], regions["13"], regions["03"]) == (Count(4, 3), Count(2, 2), Count(2, 2))

    need_counts = {row.key: row.count for row in board.by_need}
    needs = {code: need_counts[code] for code in (HOUSING, SAFETY, LEGAL)}
    for code, count in needs.items():
        figure = next(f for f in report.by_need if f.key == _term(code).id)
        assert Count(figure.activities, figure.people) == count, code
    # Housing: q1 q2 q4; safety: q2 q3 (one person) q5; legal: q4 q6.
    assert needs == {HOUSING: Count(3, 3), SAFETY: Count(3, 2), LEGAL: Count(2, 2)}

    sectors = {row.key: row.figures for row in board.by_sector}
    report_sectors = {f.key: f for f in report.by_sector}
    for code in (CLINICS, LAWYERS):
        figure = report_sectors[_term(code).id]
        assert (figure.activities, figure.people) == (sectors[code].activities, 2), code
    assert report_sectors[UNKNOWN].activities == sectors[UNKNOWN].activities == 2  # q5, q6


def test_each_provider_rate_is_its_sectors_rate(both):
    # One provider per sector here: Alpha (q1 yes, q2 no), Boréal (q3 yes, q4 no), Cèdre
    # (q6 yes; q5 unanswered).
    sectors = {row.key: row.figures.acceptance_rate for row in both.board.by_sector}
    providers = {p.name: p.acceptance_rate for p in both.report.by_provider}
    assert providers["Clinique Fictive Alpha"] == 100 * sectors[CLINICS] == 50.0
    assert providers["Cabinet Fictif Boréal"] == 100 * sectors[LAWYERS] == 50.0
    assert providers["Services Fictifs Cèdre"] == 100 * sectors[UNKNOWN] == 100.0


def test_months_follow_the_calendar_in_montreal_at_new_year(both):
    months = {row.key: row.count for row in both.board.by_month}
    # December: q1 (23:30 on the 31st, already January in UTC) and q4. January: q2 (00:30 on the
    # 1st), q3 and q5, P2 twice. June: q6.
    assert months["2025-12"] == Count(2, 2)
    assert months["2026-01"] == Count(3, 2)
    assert months["2025-06"] == Count(1, 1)
    assert sum(count.activities for count in months.values()) == both.report.activities
