"""CSV and PDF exports: the same figures, safe in a spreadsheet, audited, named with the year."""

from __future__ import annotations

import csv
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from cote_a_cote.audit.models import AuditEvent
from cote_a_cote.catalogue.models import TaxonomyTerm
from cote_a_cote.extensions import db
from cote_a_cote.reporting.exports import neutralise

from .conftest import pdf_line, plain, provider_names

INJECTIONS = ('=HYPERLINK("http://exemple.invalid","clic")', "+1 Services", "-2 Soins", "@SUM(A1)")


def read_csv(response) -> list[list[str]]:
    body = response.data
    assert body.startswith("\ufeff".encode())  # the byte order mark Excel needs for UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def pdf_text(response) -> str:
    """The PDF's text, spaces normalised (the PDF keeps no-break spaces)."""
    pages = PdfReader(io.BytesIO(response.data)).pages
    return "\n".join(page.extract_text() for page in pages).replace("\u00a0", " ")


def row_after(rows: list[list[str]], label: str) -> list[str]:
    """The cells after the label of the first row that has it."""
    return next(row[1:] for row in rows if row and row[0] == label)


def test_the_full_csv_holds_the_figures_as_numbers(app, client, year, admin):
    response = client.get("/admin/rapport-annuel/export.csv?annee=2025")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    name = f"{plain(app, 'annual-report')}-2025-2026-{plain(app, 'full')}.csv"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{name}"'
    rows = read_csv(response)
    assert rows[0] == [plain(app, "Côte-à-Côte — Annual report %(year)s", year="2025–2026")]
    assert row_after(rows, plain(app, "People")) == ["5"]
    assert row_after(rows, "Montréal") == ["4", "4"]
    assert "\r\nMontréal;4;4\r\n" in response.data.decode("utf-8-sig")  # unquoted numbers
    assert row_after(rows, "Sécurité et hébergement d'urgence") == ["2", "1"]
    assert row_after(rows, plain(app, "Acceptance rate (%)")) == ["75,0"]  # decimal comma
    assert row_after(rows, "Cabinet Fictif Boréal")[1:] == ["2", "2", "2", "2", "100,0"]
    assert [plain(app, "Glossary")] in rows
    # Nothing of a referral: no code.
    text = response.data.decode("utf-8-sig")
    for referral in year.referrals.values():
        assert referral.code not in text


def test_the_csv_neutralises_formulas_in_names_and_labels(client, year, admin):
    year.alpha.name, year.boreal.name, year.cedre.name = INJECTIONS[:3]
    term = db.session.scalars(select(TaxonomyTerm).where(TaxonomyTerm.code == "need.legal")).one()
    term.name_fr = INJECTIONS[3]
    db.session.commit()
    rows = read_csv(client.get("/admin/rapport-annuel/export.csv?annee=2025"))
    cells = [cell for row in rows for cell in row]
    for dangerous in INJECTIONS:
        assert "'" + dangerous in cells
        assert dangerous not in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    # The figures beside them are still plain numbers.
    assert row_after(rows, "'" + INJECTIONS[1])[1:3] == ["2", "2"]
    assert row_after(rows, "'" + INJECTIONS[3]) == ["1", "1"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("=1+1", "'=1+1"), ("\tx", "'\tx"), ("\rx", "'\rx"), ("Alpha", "Alpha"), ("", "")],
)
def test_neutralise(text, expected):
    assert neutralise(text) == expected


def test_the_funder_csv_hides_small_counts_and_names_no_one(app, client, year, admin):
    response = client.get("/admin/rapport-annuel/export.csv?annee=2025&vue=bailleur")
    assert response.headers["Content-Disposition"].endswith(
        f'-2025-2026-{plain(app, "funder")}.csv"'
    )
    rows = read_csv(response)
    assert row_after(rows, plain(app, "Referrals (activities)")) == ["6"]
    assert row_after(rows, "Montréal") == ["< 5", "< 5"]
    assert row_after(rows, "Estrie") == ["0", "0"]
    text = response.data.decode("utf-8-sig")
    for name in provider_names():
        assert name not in text


def test_the_pdf_holds_the_year_the_figures_and_the_glossary(app, client, year, admin):
    response = client.get("/admin/rapport-annuel/export.pdf?annee=2025")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    name = f"{plain(app, 'annual-report')}-2025-2026-{plain(app, 'full')}.pdf"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{name}"'
    text = pdf_text(response)
    assert pdf_line(app, "Côte-à-Côte — Annual report %(year)s", year="2025–2026") in text
    assert "Montréal 4 4" in text
    assert "Sécurité et hébergement d'urgence 2 1" in text
    assert pdf_line(app, "Acceptance rate (%)") + " 75,0" in text
    assert "Clinique Fictive Alpha" in text
    assert pdf_line(app, "Glossary") in text
    assert pdf_line(app, "Median time to first response") in text


def test_the_funder_pdf_names_no_one(app, client, year, admin):
    response = client.get("/admin/rapport-annuel/export.pdf?annee=2025&vue=bailleur")
    text = pdf_text(response)
    assert pdf_line(app, "Referrals (activities)") + " 6" in text
    assert "Montréal < 5 < 5" in text
    assert pdf_line(app, "Hidden small counts") in text  # the rule, in the glossary
    for name in provider_names():
        assert name not in text


def test_each_download_writes_one_audit_event(client, year, admin):
    client.get("/admin/rapport-annuel/export.csv?annee=2025")
    client.get("/admin/rapport-annuel/export.pdf?annee=2025&vue=bailleur")
    client.get("/admin/rapport-annuel/?annee=2025")  # viewing the page is not a download
    events = db.session.execute(
        select(
            AuditEvent.actor_id, AuditEvent.action, AuditEvent.object_type, AuditEvent.object_id
        ).order_by(AuditEvent.id)
    ).all()
    assert events == [
        (admin.id, "annual_report.export_full_csv", "annual_report", 2025),
        (admin.id, "annual_report.export_funder_pdf", "annual_report", 2025),
    ]


def test_a_download_in_english_is_named_and_written_in_english(client, year, admin):
    client.post("/langue", data={"locale": "en"})
    response = client.get("/admin/rapport-annuel/export.csv?annee=2025")
    assert 'filename="annual-report-2025-2026-full.csv"' in response.headers["Content-Disposition"]
    rows = read_csv(response)
    assert row_after(rows, "Acceptance rate (%)") == ["75.0"]  # decimal point in English
    assert row_after(rows, "Estrie (Eastern Townships)") == ["0", "0"]
