"""The annual report and the dashboard read one definition of a referral's outcome."""

from __future__ import annotations

from cote_a_cote.extensions import db
from cote_a_cote.referrals.models import DeclinedBy, ReferralStatus
from cote_a_cote.reporting.services import compute
from cote_a_cote.reporting.year import ReportingYear
from cote_a_cote.stats import services as dashboard
from cote_a_cote.stats.figures import Month
from cote_a_cote.stats.metrics import Count

from .conftest import NOW, fr

OPEN = ("sent", "received", "accepted", "waitlisted", "in_progress")


def test_a_decline_with_no_one_recorded_reads_the_same_in_the_report_and_on_the_dashboard(
    app, year
):
    # r2 declined with no "declined by" (an import, an old row); r6 declined by the person.
    year.referrals["r2"].declined_by = None
    year.referrals["r6"].status = ReferralStatus.DECLINED
    year.referrals["r6"].declined_by = DeclinedBy.PERSON
    db.session.commit()
    with app.test_request_context():
        report = {
            f.key: Count(f.activities, f.people)
            for f in compute(ReportingYear(2025), "fr", NOW).by_outcome
        }
        labels = {f.key: f.label for f in compute(ReportingYear(2025), "fr", NOW).by_outcome}
        # The reporting year 2025–2026 is the dashboard's April 2025 to March 2026.
        rows = dashboard.activity(Month(2025, 4), Month(2026, 3), "fr").by_status
    shown = {row.key: row.count for row in rows}
    assert report["unknown"] == shown["unknown"] == Count(1, 1)
    assert labels["unknown"] == fr(app, "Declined, by whom not recorded")
    for key in ("completed", "not_completed", "declined_provider", "declined_person", "withdrawn"):
        assert report[key] == shown.get(key, Count(0, 0)), key
    assert report["declined_provider"] == Count(0, 0)
    assert report["declined_person"] == Count(1, 1)
    assert report["open"].activities == sum(shown[k].activities for k in OPEN)


def test_the_not_recorded_row_shows_only_when_it_happens(app, year):
    with app.test_request_context():
        keys = [f.key for f in compute(ReportingYear(2025), "fr", NOW).by_outcome]
    assert "unknown" not in keys
