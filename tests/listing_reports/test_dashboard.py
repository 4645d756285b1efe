"""The dashboard counts reports by the provider's sector and by the service's regions."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import select

from cote_a_cote.catalogue.models import TaxonomyTerm
from cote_a_cote.extensions import db
from cote_a_cote.listing_reports import services
from cote_a_cote.listing_reports.models import ReportKind, ReportStatus
from cote_a_cote.roles import Role
from tests.conftest import login

JUNE = datetime(2025, 6, 10, 16, 0, tzinfo=UTC)
MAY = datetime(2025, 5, 10, 16, 0, tzinfo=UTC)
K = ReportKind


def _sector(code: str) -> TaxonomyTerm:
    return db.session.scalar(select(TaxonomyTerm).where(TaxonomyTerm.code == code))


def _row(html: str, table_id: str, key: str) -> list[str]:
    """The cells of one row of a table on the page, as text."""
    table = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    row = table.split(f'data-key="{key}"', 1)[1].split("</tr>", 1)[0]
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", row)]


def test_reports_are_counted_by_sector_and_region(client, make_org, make_service, listing):
    listing.org.sector_id = _sector("sector.psychotherapy").id
    lawyers = make_org(name="Avocats fictifs", sector_id=_sector("sector.lawyers").id)
    two_regions = make_service(organization=lawyers, regions=("06", "13"))
    no_sector = make_service(organization=make_org(name="Sans secteur"), regions=("13",))
    for service, kind, when in [
        (listing.service, K.WRONG_INFORMATION, JUNE),
        (listing.service, K.POOR_WELCOME, JUNE),
        (two_regions, K.CLOSED_OR_MOVED, JUNE),
        (two_regions, K.OTHER, JUNE),
        (no_sector, K.POOR_WELCOME, JUNE),
        (listing.service, K.WRONG_INFORMATION, MAY),  # outside the period
    ]:
        services.file_report(service, kind, "Note", None, now=when)
    fixed = services.file_report(two_regions, K.WRONG_INFORMATION, "Note", None, now=JUNE)
    services.change_status(fixed, ReportStatus.FIXED, None, listing.admin, now=JUNE)
    db.session.commit()

    counts = services.counts_by_sector_and_region(
        datetime(2025, 6, 1, 4, tzinfo=UTC), datetime(2025, 7, 1, 4, tzinfo=UTC), "fr"
    )
    assert counts.total.total == 6
    sectors = {
        r.key: (r.total, r.information, r.poor_welcome, r.other, r.open) for r in counts.by_sector
    }
    assert sectors == {
        "sector.psychotherapy": (2, 1, 1, 0, 2),
        "sector.lawyers": (3, 2, 0, 1, 2),
        "unknown": (1, 0, 1, 0, 1),
    }
    regions = {r.key: r.total for r in counts.by_region}
    assert regions == {"06": 5, "13": 4}  # a service in two regions counts in both

    login(client, listing.admin)
    html = client.get("/admin/tableau-de-bord/?start=2025-06&end=2025-06").get_data(as_text=True)
    assert _row(html, "table-reports-sector", "sector.lawyers") == ["3", "2", "0", "1", "2"]
    assert _row(html, "table-reports-region", "13") == ["4", "2", "1", "1", "3"]
    assert 'data-key="14"' not in html.split('id="table-reports-region"', 1)[1].split("</table>")[0]


def test_an_invalid_period_shows_no_report_figures(app, client, login_as, reference):
    login_as(Role.ADMIN)
    html = client.get("/admin/tableau-de-bord/?start=2025-13").get_data(as_text=True)
    assert 'id="stats-reports"' in html and 'id="table-reports-sector"' not in html
