"""Every figure of the dashboard equals what conftest.py works out by hand."""

from __future__ import annotations

import re

import pytest

from cote_a_cote.roles import Role
from cote_a_cote.stats import services
from cote_a_cote.stats.figures import Month
from cote_a_cote.stats.metrics import NO_DATA, NOT_APPLICABLE, Count
from tests.conftest import shown
from tests.stats.pages import Tables, cell_counts

URL = "/admin/tableau-de-bord/"


@pytest.fixture
def page(client, world, frozen, login_as):
    login_as(Role.ADMIN)

    def open_page(query: str = "") -> str:
        response = client.get(URL + query)
        assert response.status_code == 200
        return response.get_data(as_text=True)

    return open_page


# --- Coverage ---------------------------------------------------------------------------------


def test_coverage_counts_only_active_trained_providers_accepting_referrals(app, world):
    coverage = services.coverage("fr")
    # alpha (two services, counted once) and beta (waiting list still accepts); gamma is
    # paused, delta untrained, epsilon not approved.
    assert coverage.count("06", "need.housing") == 2
    assert coverage.count("13", "need.housing") == 1  # alpha only
    # A sub-need (psychotherapy) counts under its need.
    assert coverage.count("06", "need.mental_health") == 1
    assert coverage.count("13", "need.mental_health") == 1
    assert coverage.count("06", "need.legal") == 0  # delta untrained, epsilon submitted
    assert sum(coverage.cells.values()) == 5
    assert coverage.size == 19 * 18  # every region × every top-level need
    assert coverage.gaps == coverage.size - 4


def test_matrix_on_the_page_marks_zero_cells_with_a_sign_and_text(app, page):
    html = page()
    cells = cell_counts(html)
    assert cells["06|need.housing"] == "2"
    assert cells["13|need.housing"] == "1"
    assert cells["06|need.mental_health"] == "1"
    assert cells["06|need.legal"] == "⚠ 0"
    assert re.search(r'<td class="coverage-gap" data-cell="06\|need.legal">', html)
    assert 'data-cell="06|need.housing"><a' in html  # a counted cell is not marked
    assert "need=need.legal" in html and "region=06" in html
    assert shown(app, "no provider") in html


def test_matrix_labels_follow_the_interface_language(page, client):
    french = page()
    assert '<th scope="col">Recherche de logement et logement à long terme</th>' in french
    assert '<th scope="col">Housing search and long-term housing</th>' not in french
    client.post("/langue", data={"locale": "en"})
    english = page()
    assert '<th scope="col">Housing search and long-term housing</th>' in english
    assert "Coverage gaps" in english


# --- Referrals --------------------------------------------------------------------------------


def test_activity_counts_people_apart_from_referrals(app, world, frozen):
    activity = services.activity(Month(2025, 4), Month(2026, 3), "fr")
    # r1 r2 r3 r4 r7 r8: r5 is a draft, r6 was sent on 31 March 2025 in Montréal.
    # People by code: r1 and r7 are one person, r2 and its re-route r3 another; r4, r8 alone.
    assert activity.total == Count(6, 4)
    # By hand: 6 referrals ÷ 4 people; needs (housing + lawyer) + (housing + psy) + 1 + 1 = 6.
    assert activity.referrals_per_person == 1.5 and activity.needs_per_person == 1.5
    status = {row.key: row.count for row in activity.by_status}
    assert status == {
        "sent": Count(1, 1),
        "received": Count(1, 1),
        "accepted": Count(1, 1),
        "waitlisted": Count(0, 0),
        "in_progress": Count(0, 0),
        "completed": Count(1, 1),
        "not_completed": Count(0, 0),
        "declined_provider": Count(1, 1),
        "declined_person": Count(0, 0),
        "withdrawn": Count(1, 1),
    }
    region = {row.key: row.count for row in activity.by_region}
    assert region["06"] == Count(6, 4)
    assert region["13"] == Count(3, 3)  # r1, r2, r8 through S1
    assert region["01"] == Count(0, 0)
    assert "unknown" not in region
    need = {row.key: row.count for row in activity.by_need}
    assert need["need.housing"] == Count(4, 3)  # r1, r2, r3, r4; r2 and r3 one person
    assert need["need.mental_health.psychotherapy"] == Count(2, 2)
    assert need["need.legal.lawyer"] == Count(1, 1)
    assert need["need.legal"] == Count(0, 0)


def test_months_are_buckets_of_montreal_local_time(app, world, frozen):
    activity = services.activity(Month(2025, 4), Month(2026, 3), "fr")
    months = {row.key: row.count for row in activity.by_month}
    assert len(months) == 12
    # r2 (04:30 UTC on 1 Feb) is still January in Montréal; r4 (05:30 UTC) is February.
    assert months["2026-01"] == Count(2, 2)  # r1, r2
    assert months["2026-02"] == Count(2, 2)  # r3 (person of r2, but not in this month), r4
    assert months["2026-03"] == Count(2, 2)  # r7, r8
    assert sum(c.activities for c in months.values()) == 6
    # r6: 03:30 UTC on 1 April 2025 is 31 March in Montréal.
    march = services.activity(Month(2025, 3), Month(2025, 3), "fr")
    assert march.total == Count(1, 1)
    assert services.activity(Month(2025, 4), Month(2025, 4), "fr").total == Count(0, 0)


def test_acceptance_and_median_by_sector(app, world, frozen):
    activity = services.activity(Month(2025, 4), Month(2026, 3), "fr")
    sectors = {row.key: row.figures for row in activity.by_sector}
    psy = sectors["sector.psychotherapy"]  # r1 (12 h, accepted), r2 (30 h, declined), r8
    assert (psy.activities, psy.responded, psy.accepted) == (3, 2, 1)
    assert psy.acceptance_rate == 0.5
    assert psy.median_hours == 21
    hotels = sectors["sector.hotels"]  # r3 (6 h, completed), r4 (no answer)
    assert (hotels.activities, hotels.responded, hotels.accepted) == (2, 1, 1)
    assert (hotels.acceptance_rate, hotels.median_hours) == (1.0, 6)
    lawyers = sectors["sector.lawyers"]  # r7: received, never answered
    assert (lawyers.activities, lawyers.responded) == (1, 0)
    assert lawyers.acceptance_rate is NOT_APPLICABLE
    assert lawyers.median_hours is NOT_APPLICABLE
    clinics = sectors["sector.medical_clinics"]  # no referral at all
    assert clinics.activities == 0
    assert clinics.acceptance_rate is NO_DATA
    assert clinics.median_hours is NO_DATA
    overall = activity.overall
    assert (overall.activities, overall.responded, overall.accepted) == (6, 3, 2)
    assert overall.acceptance_rate == pytest.approx(2 / 3)
    assert overall.median_hours == 12


def test_partner_figures(app, world, frozen):
    partners = services.partners(frozen)
    assert (partners.trained, partners.approved) == (3, 4)  # alpha, beta, gamma of four
    assert partners.trained_share == 0.75
    assert partners.expiring_training == 1  # 30 days away; the other is 90 days away
    assert partners.stale_profiles == 2  # beta never verified, gamma 200 days ago


def test_page_shows_the_figures_in_tables(app, page):
    html = page()
    tables = Tables(html)
    assert tables["table-status"]["accepted"][1:] == ["1", "1"]
    assert tables["table-region"]["06"][1:] == ["6", "4"]
    assert tables["table-need"]["need.housing"][1:] == ["4", "3"]
    assert tables["table-month"]["2026-01"][1:] == ["2", "2"]
    assert tables["table-sector"]["sector.psychotherapy"][1:] == ["3", "2", "1", "50 %", "21 h"]
    assert tables["table-sector"]["sector.hotels"][1:] == ["2", "1", "1", "100 %", "6 h"]
    not_applicable, no_data = shown(app, "Not applicable"), shown(app, "No data")
    assert tables["table-sector"]["sector.lawyers"][1:] == [
        "1",
        "0",
        "0",
        not_applicable,
        not_applicable,
    ]
    assert tables["table-sector"]["sector.medical_clinics"][1:] == ["0", "0", "0", no_data, no_data]
    assert tables["table-sector"]["total"][1:] == ["6", "3", "2", "66,7 %", "12 h"]
    stat = re.search(r'id="stat-trained">\s*<span class="stat__value">([^<]*)<', html)
    assert " ".join(stat.group(1).split()) == "75 %"
    assert re.search(r'id="stat-activities"><span class="stat__value">6<', html)
    assert re.search(r'id="stat-people"><span class="stat__value">4<', html)
    assert re.search(r'id="stat-referrals-per-person"><span class="stat__value">1,5<', html)
    assert re.search(r'id="stat-needs-per-person"><span class="stat__value">1,5<', html)
    assert re.search(r'id="stat-stale">\s*<a href="/admin/verification/profils-a-confirmer">', html)
    assert re.search(
        r'id="stat-expiring">\s*<a href="/admin/formation/echeances"><span class="stat__value">1<',
        html,
    )


def test_page_never_shows_a_referral_code(page, world):
    html = page("?start=2025-01&end=2026-03")
    for referral in vars(world.referrals).values():
        assert referral.code not in html


def test_each_chart_is_an_accessible_svg_followed_by_its_table(page):
    html = page()
    for name, table in [
        ("months", "table-month"),
        ("status", "table-status"),
        ("region", "table-region"),
        ("need", "table-need"),
        ("sector", "table-sector"),
    ]:
        svg = re.search(rf'<svg [^>]*id="chart-{name}"[^>]*>', html)
        assert svg, name
        assert 'role="img"' in svg.group(0)
        assert f'aria-labelledby="chart-{name}-title chart-{name}-desc"' in svg.group(0)
        assert f'<title id="chart-{name}-title">' in html
        after = html[svg.end() :]
        assert after.index("</svg>") < after.index(f'id="{table}"'), name
    assert "style=" not in html


# --- The period filter ----------------------------------------------------------------------


def test_default_period_is_the_last_twelve_months(page):
    html = page()
    assert 'value="2025-04"' in html and 'value="2026-03"' in html
    assert len(Tables(html)["table-month"]) == 12


def test_a_chosen_period_changes_the_figures(page):
    tables = Tables(page("?start=2026-02&end=2026-02"))
    assert list(tables["table-month"]) == ["2026-02"]
    assert tables["table-status"]["sent"][1:] == ["1", "1"]  # r4
    assert tables["table-status"]["accepted"][1:] == ["0", "0"]  # r1 is in January


@pytest.mark.parametrize(
    ("query", "message", "kept"),
    [
        (
            "?start=2026-13&end=2026-03",
            "Enter a month as year-month, for example 2026-04.",
            "2026-13",
        ),
        ("?start=avril&end=", "Enter a month as year-month, for example 2026-04.", "avril"),
        (
            "?start=2026-03&end=2025-04",
            "The last month cannot be before the first month.",
            "2025-04",
        ),
        ("?start=2020-01&end=2026-03", "Choose a period of at most %(num)s months.", "2020-01"),
    ],
)
def test_a_wrong_period_says_why_and_keeps_what_was_typed(app, page, query, message, kept):
    html = page(query)
    expected = shown(app, message, num=60) if "%(num)s" in message else shown(app, message)
    assert expected in html
    assert f'value="{kept}"' in html
    assert 'aria-invalid="true"' in html
    assert shown(app, "Correct the period to see the referral figures.") in html
    assert 'id="table-month"' not in html
    assert 'id="coverage-matrix"' in html  # coverage does not depend on the period


def test_a_year_out_of_range_is_refused_not_a_crash(app, page):
    html = page("?start=9999-12&end=9999-12")
    assert (
        shown(app, "Enter a month between %(first)s and %(last)s.", first=2000, last=2099) in html
    )


def test_the_figures_take_a_fixed_number_of_queries(app, world, frozen, make_service):
    """No query per referral, provider or cell: more data, the same statements."""
    from sqlalchemy import event

    from cote_a_cote.extensions import db

    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        services.dashboard((Month(2025, 4), Month(2026, 3)), frozen, "fr")
        before = len(statements)
        make_service(world.beta, "Encore un service", terms=("need.housing",), regions=("13",))
        statements.clear()
        services.dashboard((Month(2025, 4), Month(2026, 3)), frozen, "fr")
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert len(statements) == before
    assert before <= 15


def test_recognition_counts_each_partner_once_at_its_highest_level(app, page, world, make_org):
    from datetime import date

    from cote_a_cote.extensions import db
    from cote_a_cote.recognition.models import AwardStatus, RecognitionAward, RecognitionLevel
    from cote_a_cote.recognition.services import counts_by_level

    levels = {level.code: level for level in db.session.scalars(db.select(RecognitionLevel))}
    engage, allie = sorted(levels.values(), key=lambda level: level.rank)[:2]

    def give(org, level, valid_from, valid_until, status=AwardStatus.ACTIVE):
        db.session.add(
            RecognitionAward(
                organization_id=org.id,
                level_id=level.id,
                year=valid_from.year,
                valid_from=valid_from,
                valid_until=valid_until,
                rationale="Fictif",
                status=status,
                verification_code=f"code-{org.id}-{level.id}-{valid_from}",
            )
        )

    one, two, three, four = (make_org(name=f"Reconnu {n}") for n in range(4))
    give(one, engage, date(2025, 6, 1), date(2026, 5, 31))
    give(one, allie, date(2025, 9, 1), date(2026, 3, 31))  # one counts at its highest level
    give(two, engage, date(2025, 4, 1), date(2026, 3, 31))  # ends within 30 days
    give(three, engage, date(2024, 3, 1), date(2025, 2, 28))  # expired
    give(four, allie, date(2025, 6, 1), date(2026, 5, 31), AwardStatus.WITHDRAWN)
    db.session.commit()

    counts = dict(counts_by_level(date(2026, 3, 15), "fr"))
    assert counts[shown(app, "Partners at the %(level)s level", level=engage.name_fr)] == 1
    assert counts[shown(app, "Partners at the %(level)s level", level=allie.name_fr)] == 1
    ending = shown(app, "recognitions ending within %(days)d days, not renewed", days=30)
    assert counts[ending] == 2
    html = page()
    assert ending in html
