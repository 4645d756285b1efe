"""The report that tells the story (issue 17 §4): highlights written by administrators, counts of
accompaniments, priority requests and confirmed engagement, and the optional gender and age
group, suppressed in every view. Everyone is fictional."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from cote_a_cote.extensions import db
from cote_a_cote.recognition.models import EngagementKind, EngagementRecord, EngagementStatus
from cote_a_cote.referrals.models import AGE_BANDS, GENDERS
from cote_a_cote.reporting.models import ReportHighlight
from cote_a_cote.reporting.story import NOT_ASKED, Story, gender_age_table
from cote_a_cote.reporting.suppression import Line, Mark, known_ranges

from .conftest import fr, local, pdf_line, plain
from .test_exports import pdf_text, read_csv, row_after

Q1 = "Un corridor d’accueil rapide s’ouvre avec trois cliniques (fictif)."
Q3 = "Première formation donnée en Gaspésie à des commerces partenaires (fictif)."
C = EngagementStatus.CONFIRMED


def _story_data(year):
    """r1 and r3 accompanied, r1 and r4 fast track (and 'before', out of the year); engagement
    confirmed in the year: 1 awareness, 1 informal partnership; others pending or another year."""
    refs = year.referrals
    refs["r1"].accompanied = refs["r1"].fast_track = True
    refs["r3"].accompanied = True
    refs["r4"].fast_track = True
    refs["before"].accompanied = refs["before"].fast_track = True
    for kind, when, status in (
        (EngagementKind.AWARENESS, date(2025, 5, 1), C),
        (EngagementKind.INFORMAL_PARTNERSHIP, date(2025, 11, 1), C),
        (EngagementKind.INFORMAL_PARTNERSHIP, date(2026, 4, 10), C),  # the next year
        (EngagementKind.AWARENESS, date(2025, 6, 1), EngagementStatus.SUBMITTED),
        (EngagementKind.AWARENESS, date(2025, 7, 1), EngagementStatus.DECLINED),
    ):
        db.session.add(
            EngagementRecord(
                organization_id=year.alpha.id,
                kind=kind,
                occurred_on=when,
                description="Atelier fictif",
                status=status,
            )
        )
    db.session.commit()


def _write_highlights(client):
    response = client.post(
        "/admin/rapport-annuel/faits-saillants?annee=2025", data={"q1": Q1, "q3": Q3, "q2": ""}
    )
    assert response.status_code == 302
    return response


def test_highlights_are_written_per_quarter_and_shown_on_the_report(app, client, year, admin):
    page = client.get("/admin/rapport-annuel/faits-saillants?annee=2025")
    assert page.status_code == 200
    _write_highlights(client)
    rows = db.session.scalars(select(ReportHighlight).order_by(ReportHighlight.quarter)).all()
    assert [(h.start_year, h.quarter, h.text) for h in rows] == [(2025, 1, Q1), (2025, 3, Q3)]
    html = client.get("/admin/rapport-annuel/?annee=2025").get_data(as_text=True)
    assert Q1 in html
    # Emptying a quarter removes it; too long a text is refused, the typed text kept.
    client.post("/admin/rapport-annuel/faits-saillants?annee=2025", data={"q1": "", "q3": Q3})
    assert db.session.scalars(select(ReportHighlight.quarter)).all() == [3]
    long = "x" * 1501
    response = client.post(
        "/admin/rapport-annuel/faits-saillants?annee=2025", data={"q3": Q3, "q4": long}
    )
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert long in body and plain(app, "Keep each highlight under 1500 characters.") in body


def test_highlights_are_for_administrators_only(client, year, login_as):
    from cote_a_cote.roles import Role

    login_as(Role.INTERVENANTE)
    response = client.post("/admin/rapport-annuel/faits-saillants?annee=2025", data={"q1": Q1})
    assert response.status_code in (403, 404)
    assert db.session.scalar(select(ReportHighlight.id)) is None


def test_the_csv_holds_the_highlights_and_the_new_counts(app, client, year, admin):
    _story_data(year)
    _write_highlights(client)
    rows = read_csv(client.get("/admin/rapport-annuel/export.csv?annee=2025"))
    assert [plain(app, "Highlights of the year")] in rows
    assert row_after(rows, plain(app, "April to June")) == [Q1]
    assert row_after(rows, plain(app, "October to December")) == [Q3]
    assert row_after(rows, plain(app, "Accompaniments (the intervenante went along)")) == ["2"]
    assert row_after(rows, plain(app, "Fast-track (priority) requests")) == ["2"]
    assert row_after(rows, plain(app, "Awareness activities")) == ["1"]
    assert row_after(rows, plain(app, "Informal partnerships")) == ["1"]
    # The funder file: the same story, small counts hidden.
    funder = read_csv(client.get("/admin/rapport-annuel/export.csv?annee=2025&vue=bailleur"))
    assert row_after(funder, plain(app, "April to June")) == [Q1]
    assert row_after(funder, plain(app, "Accompaniments (the intervenante went along)")) == [
        plain(app, "< 5")
    ]


def test_the_pdf_holds_the_highlights_and_the_new_counts(app, client, year, admin):
    _story_data(year)
    _write_highlights(client)
    text = pdf_text(client.get("/admin/rapport-annuel/export.pdf?annee=2025"))
    assert pdf_line(app, "Highlights of the year") in text
    assert "corridor d’accueil rapide" in text and "Première formation donnée" in text
    assert pdf_line(app, "Fast-track (priority) requests") + " 2" in text
    assert pdf_line(app, "Informal partnerships") + " 1" in text
    assert pdf_line(app, "Referrals by gender and age group") in text


def test_the_gender_table_counts_referrals_and_hides_small_counts_in_every_view(
    app, client, year, admin
):
    refs = year.referrals
    for name, gender, age in (
        ("r1", "woman", "25_34"),
        ("r2", "woman", "25_34"),
        ("r3", "non_binary", "18_24"),
        ("r4", "prefer_not", "prefer_not"),
    ):
        refs[name].gender, refs[name].age_band = gender, age
    db.session.commit()
    for view in ("complet", "bailleur"):
        rows = read_csv(client.get(f"/admin/rapport-annuel/export.csv?annee=2025&vue={view}"))
        small = plain(app, "< 5")
        # 2 women aged 25 to 34: never shown as 2, in the full view either.
        woman = row_after(rows, plain(app, "Woman"))
        assert woman[AGE_BANDS.index("25_34")] == small
        assert "2" not in woman and "1" not in woman
        assert row_after(rows, plain(app, "Non-binary person"))[-1] == small
        # The year's total (shown in the totals table) stays.
        label = plain(app, "All referrals of the year")
        totals = [row[1:] for row in rows if row and row[0] == label]
        assert any(t[-1] == "6" for t in totals)


def _lines(genders, ages):
    rows = [([("cell", g, a) for a in ages], ("row", g)) for g in genders]
    columns = [([("cell", g, a) for g in genders], ("col", a)) for a in ages]
    margins = [
        ([("row", g) for g in genders], "all"),
        ([("col", a) for a in ages], "all"),
    ]
    return rows + columns + margins


def test_no_hidden_cell_of_the_gender_table_can_be_recovered_by_any_sum(app):
    """A table with small counts: each is hidden, and so are enough others that no sum of the
    shown cells gives one back."""
    counts = {
        ("woman", "25_34"): 12,
        ("woman", "18_24"): 3,
        ("man", "25_34"): 7,
        ("man", "18_24"): 6,
        ("non_binary", "18_24"): 2,
        ("prefer_not", "prefer_not"): 5,
        (NOT_ASKED, NOT_ASKED): 9,
    }
    total = sum(counts.values())
    with app.test_request_context():
        table = gender_age_table(Story([], 0, 0, {}, 0, 0.0, counts), total)
    genders = [*GENDERS, NOT_ASKED]
    ages = [*AGE_BANDS, NOT_ASKED]
    cells = {}
    for g, row in zip(genders, table.rows, strict=True):
        for a, cell in zip(ages, row.cells[:-1], strict=True):
            cells["cell", g, a] = cell
        cells["row", g] = row.cells[-1]
    for a, cell in zip(ages, table.total.cells[:-1], strict=True):
        cells["col", a] = cell
    cells["all"] = table.total.cells[-1]
    assert cells["all"] == total
    # Primary suppression: every count from 1 to 4 is hidden, zeros and large counts shown.
    assert cells["cell", "woman", "18_24"] is Mark.SUPPRESSED
    assert cells["cell", "non_binary", "18_24"] is Mark.SUPPRESSED
    assert cells["cell", "man", "50_plus"] == 0
    assert any(v >= 5 for k, v in cells.items() if k[0] == "cell" and not isinstance(v, Mark))
    # Complementary: no line has a single hidden cell, and narrowing every hidden cell through
    # all the row and column sums together never pins one to a single value.
    lines = [Line(members, total_key) for members, total_key in _lines(genders, ages)]
    for line in lines:
        hidden = [k for k in [*line.cells, line.total] if isinstance(cells[k], Mark)]
        assert len(hidden) != 1, (line, hidden)
    ranges = known_ranges(cells, lines)
    assert ranges and all(low < high for low, high in ranges.values()), ranges


def _sessions(year, make_user):
    """In the year: a 3-hour session with 2 people present and 1 absent (6 hours), a session where
    nobody was marked present; and a session of the year before, attended."""
    from cote_a_cote.roles import Role
    from cote_a_cote.training.models import (
        EnrolmentStatus,
        SessionEnrolment,
        TrainingModule,
        TrainingSession,
    )

    module = db.session.scalars(select(TrainingModule)).first()
    staff = [make_user(role=Role.PROVIDER, organization=year.alpha) for _ in range(3)]
    plan = (
        (local(2025, 6, 10, 9), local(2025, 6, 10, 12), ["attended", "attended", "absent"]),
        (local(2025, 9, 1, 13), local(2025, 9, 1, 15), ["enrolled", "waiting"]),
        (local(2025, 3, 3, 9), local(2025, 3, 3, 16), ["attended"]),
    )
    for starts, ends, statuses in plan:
        session = TrainingSession(module=module, starts_at=starts, ends_at=ends, seats=10)
        db.session.add(session)
        for person, status in zip(staff, statuses, strict=False):
            db.session.add(
                SessionEnrolment(session=session, user_id=person.id, status=EnrolmentStatus(status))
            )
    db.session.commit()


def test_the_report_counts_the_training_delivered_in_the_year(app, client, year, admin, make_user):
    _sessions(year, make_user)
    rows = read_csv(client.get("/admin/rapport-annuel/export.csv?annee=2025"))
    assert row_after(rows, plain(app, "Training sessions held")) == ["1"]
    hours = plain(app, "Hours of training delivered (hours × people present)")
    assert row_after(rows, hours) == ["6,0"]
    page = client.get("/admin/rapport-annuel/?annee=2025").get_data(as_text=True)
    assert fr(app, "Training delivered") in page  # its glossary entry
