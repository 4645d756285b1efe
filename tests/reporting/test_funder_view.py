"""The funder view: totals only, counts 1 to 4 hidden, and hidden counts cannot be recovered."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from cote_a_cote.extensions import db
from cote_a_cote.referrals.models import Referral, ReferralStatus
from cote_a_cote.reporting.services import compute
from cote_a_cote.reporting.suppression import Mark, suppress_column
from cote_a_cote.reporting.tables import FUNDER, report_tables
from cote_a_cote.reporting.year import ReportingYear

from .conftest import NOW, fr, local, provider_names

S, H = Mark.SUPPRESSED, Mark.HIDDEN


@pytest.mark.parametrize(
    ("values", "total", "cells", "total_cell"),
    [
        # 1 to 4 hidden, a true zero kept, 5 and more shown.
        ([0, 1, 4, 5], None, [0, S, S, 5], None),
        # The only small count in the column: the smallest shown count above zero goes too.
        ([3, 10, 6, 0], 19, [S, 10, H, 0], 19),
        # Two small counts that can only be 1 and 1: a third cell goes with them.
        ([1, 1, 10, 20], 32, [S, S, H, 20], 32),
        # Two small counts already protect each other.
        ([3, 2, 10], 15, [S, S, 10], 15),
        # A small total is hidden like any count.
        ([3, 0], 3, [S, 0], S),
        # Nothing else to hide: the total goes instead.
        ([2, 0], 9, [S, 0], H),
    ],
)
def test_the_rule(values, total, cells, total_cell):
    assert suppress_column(values, total) == (cells, total_cell)


def cells_of(html: str, table_key: str) -> dict[str, list[str]]:
    """{row label: [cells]} of one table of the page."""
    block = html.split(f'id="table-{table_key}"')[1].split("</table>")[0]
    found = {}
    for row in re.findall(r"<tr>(.*?)</tr>", block, re.S):
        label = re.search(r'<th scope="row">(?:<a [^>]*>)?(.*?)(?:</a>)?</th>', row, re.S)
        if label:
            found[label.group(1).strip()] = [
                c.strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
            ]
    return found


def test_the_funder_view_hides_small_counts_and_names_no_one(app, client, year, admin):
    response = client.get("/admin/rapport-annuel/bailleur?annee=2025")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    totals = cells_of(html, "totals")
    assert totals[fr(app, "Referrals (activities)")] == ["6"]
    assert totals[fr(app, "People")] == ["5"]
    assert totals[fr(app, "Referrals with a response")] == ["&lt; 5"]
    assert totals[fr(app, "Acceptance rate (%)")] == [fr(app, "Not shown (fewer than 5)")]
    regions = cells_of(html, "region")
    assert regions["Montréal"] == ["&lt; 5", "&lt; 5"]
    assert regions["Estrie"] == ["0", "0"]  # a true zero stays 0
    partners = cells_of(html, "partners")
    assert partners[fr(app, "Approved partners at the end of the year")] == ["&lt; 5"]
    for name in provider_names():
        assert name not in html
    assert 'id="table-providers"' not in html
    assert 'id="table-new-partners"' not in html
    assert 'id="def-suppression"' in html
    for referral in year.referrals.values():
        assert referral.code not in html


def test_a_lone_small_count_takes_the_next_smallest_with_it(app, client, year, admin):
    # Five more referrals to Alpha (06 and 13) and five to Cèdre (06): Montréal 14, Laval 7,
    # Capitale-Nationale 2, the only small count of its column. Laval, the smallest count shown,
    # is hidden too, so that no subtraction from the total gives the 2 back.
    first = year.referrals["r1"]
    cedre_service = year.referrals["r5"].service
    for index in range(10):
        service = first.service if index < 5 else cedre_service
        db.session.add(
            Referral(
                code=f"MORE-{index:04d}",
                service_id=service.id,
                provider_organization_id=service.organization_id,
                referring_user_id=first.referring_user_id,
                referring_organization_id=first.referring_organization_id,
                status=ReferralStatus.SENT,
                sent_at=local(2025, 10, 1 + index, 10),
                created_at=local(2025, 10, 1 + index, 9),
            )
        )
    db.session.commit()
    html = client.get("/admin/rapport-annuel/bailleur?annee=2025").get_data(as_text=True)
    regions = cells_of(html, "region")
    assert regions["Capitale-Nationale"][0] == "&lt; 5"
    assert regions["Laval"][0] == "x"  # 7, the smallest shown count
    assert regions["Montréal"][0] == "14"
    sectors = cells_of(html, "sector")
    # Clinics 7, lawyers 2 (hidden), no sector 7: one of the 7 goes with it.
    lawyers = sectors["Avocates et avocats"][0]
    clinics = sectors["Cliniques médicales (urgence, imagerie, avortement, dentisterie)"][0]
    assert (lawyers, clinics, sectors[fr(app, "No sector recorded")][0]) == ("&lt; 5", "x", "7")
    assert sectors[fr(app, "All referrals of the year")][0] == "16"


def test_the_not_completed_figure_is_hidden_in_both_tables_at_once(app, year):
    with app.test_request_context():
        figures = compute(ReportingYear(2025), "fr", NOW)
    # Declined by the provider (2) is the only small count of the outcomes: not completed (6),
    # the smallest shown, is hidden with it, and so is the reasons' total, which is the same 6.
    counts = {"open": 20, "completed": 10, "not_completed": 6, "declined_provider": 2}
    outcomes = [replace(f, activities=counts.get(f.key, 0)) for f in figures.by_outcome]
    reasons = [
        replace(f, activities={"no_show": 5, "other": 1}.get(f.key, 0)) for f in figures.by_reason
    ]
    figures = replace(figures, activities=38, by_outcome=outcomes, by_reason=reasons)
    with app.test_request_context():
        tables = {t.key: t for t in report_tables(figures, FUNDER)}
    by_key = dict(zip([f.key for f in outcomes], tables["outcome"].rows, strict=True))
    assert by_key["declined_provider"].cells[0] is Mark.SUPPRESSED
    assert by_key["not_completed"].cells[0] is Mark.HIDDEN
    assert by_key["open"].cells[0] == 20
    assert tables["reason"].total.cells[0] is Mark.HIDDEN
    reason_cells = [row.cells[0] for row in tables["reason"].rows]
    # No show 5, other 1: with their total hidden, 5 + "< 5" = "x" and 20 + 10 + "x" + "< 5" = 38
    # leave "other" at 1 or 2 and "not completed" at 6 or 7: nothing more needs hiding.
    assert reason_cells == [5, 0, 0, Mark.SUPPRESSED, 0]
