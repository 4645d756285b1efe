"""The report's tables as a CSV file (safe in a spreadsheet) and as a PDF, in the UI language."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from flask_babel import format_decimal, format_number
from flask_babel import gettext as _

from ..i18n import safe_format_date
from ..pdf import font_family, use_fonts
from ..pdf import pdf_text as drawable

if TYPE_CHECKING:
    from fpdf import FPDF
from ..stats.metrics import Missing
from .glossary import Entry
from .shapes import Table
from .story import Highlight
from .suppression import Mark
from .tables import FUNDER, mark_label

# A spreadsheet runs a cell starting with one of these as a formula (or a DDE call).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DELIMITER = ";"


def neutralise(text: str) -> str:
    """text with a leading apostrophe when a spreadsheet would take it for a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def display(cell) -> str:
    """A cell as the page and the PDF show it, numbers in the UI language's format."""
    if isinstance(cell, Mark | Missing):
        return str(mark_label(cell))
    if isinstance(cell, bool):  # pragma: no cover - no cell is a boolean
        return str(cell)
    if isinstance(cell, int):
        return format_number(cell)
    if isinstance(cell, float):
        return format_decimal(cell, format="#,##0.0")
    return str(cell)


def cell_class(cell) -> str:
    """The page's class for a cell: marks are muted, numbers align right."""
    if isinstance(cell, Mark | Missing):
        return "muted report-table__mark"
    return "report-table__number" if isinstance(cell, int | float) else ""


def view_name(view: str) -> str:
    return _("Funder view") if view == FUNDER else _("Full view (coordinating team)")


def filename(label: str, view: str, extension: str) -> str:
    """rapport-annuel-2025-2026-complet.csv (ASCII, in the UI language)."""
    stem = _("annual-report")
    name = _("funder") if view == FUNDER else _("full")
    year = label.replace("\u2013", "-")
    return f"{stem}-{year}-{name}.{extension}"


def title(label: str) -> str:
    return _("Côte-à-Côte — Annual report %(year)s", year=label)


# --- CSV -----------------------------------------------------------------------------------------


def _csv_cell(cell, decimal_comma: bool):
    """Numbers stay numbers; every text is neutralised."""
    if isinstance(cell, int) and not isinstance(cell, bool):
        return cell
    if isinstance(cell, float):
        text = f"{cell:.1f}"
        return text.replace(".", ",") if decimal_comma else text
    if isinstance(cell, Mark | Missing):
        cell = mark_label(cell)
    return neutralise(str(cell))


class _Sheet:
    """A CSV being written, row by row: numbers stay numbers, in the locale's decimal mark."""

    def __init__(self, locale: str) -> None:
        self.out = io.StringIO()
        self.writer = csv.writer(self.out, delimiter=DELIMITER, lineterminator="\r\n")
        self.decimal_comma = locale == "fr"

    def row(self, *cells: object) -> None:
        self.writer.writerow([_csv_cell(c, self.decimal_comma) for c in cells])

    def table(self, table: Table) -> None:
        """A blank row, the title, the column headings, the rows, the total and the note."""
        self.row()
        self.row(table.title)
        self.row(*(column.label for column in table.columns))
        for line in table.rows:
            self.row(line.label, *line.cells)
        if table.total is not None:
            self.row(table.total.label, *table.total.cells)
        if table.note:
            self.row(table.note)

    def encoded(self) -> bytes:
        """UTF-8 with a byte order mark, so that spreadsheets read the accents."""
        return ("\ufeff" + self.out.getvalue()).encode("utf-8")


def to_csv(
    label: str,
    view: str,
    as_of: date,
    tables: list[Table],
    glossary: tuple[Entry, ...],
    locale: str,
    highlights: Sequence[Highlight] = (),
) -> bytes:
    """UTF-8 with a byte order mark, semicolons, the highlights, one block per table, then the
    glossary."""
    sheet = _Sheet(locale)
    sheet.row(title(label))
    sheet.row(view_name(view))
    sheet.row(_("Figures as of %(date)s", date=safe_format_date(as_of)))
    if highlights:
        sheet.row()
        sheet.row(_("Highlights of the year"))
        for item in highlights:
            sheet.row(str(item.label), item.text)
    for table in tables:
        sheet.table(table)
    sheet.row()
    sheet.row(_("Glossary"))
    for entry in glossary:
        sheet.row(entry.term, entry.definition)
    return sheet.encoded()


# --- PDF -----------------------------------------------------------------------------------------


def pdf_text(value) -> str:
    """A cell or a line as text the PDF font can draw."""
    return drawable(display(value) if not isinstance(value, str) else value)


def _report_pdf(footer_text: str) -> FPDF:
    """An A4 document whose pages end with footer_text and their number."""
    # Imported here: fpdf2 (with Pillow and fontTools) weighs on every web worker's memory,
    # and only the few requests that make a PDF need it.
    from fpdf import FPDF

    class ReportPDF(FPDF):
        def footer(self):
            self.set_y(-12)
            self.set_font(font_family(), size=8)
            self.cell(0, 6, f"{footer_text} — {self.page_no()}", align="C")

    document = ReportPDF(format="A4")
    use_fonts(document)
    return document


def to_pdf(
    label: str,
    view: str,
    as_of: date,
    tables: list[Table],
    glossary: tuple[Entry, ...],
    highlights: Sequence[Highlight] = (),
) -> bytes:
    """An A4 document: the title, the highlights, every table with the same figures, then the
    glossary."""
    pdf = _report_pdf(pdf_text(f"{title(label)} — {view_name(view)}"))
    pdf.set_title(pdf_text(title(label)))
    pdf.set_creator("Côte-à-Côte")
    pdf.set_auto_page_break(True, margin=16)
    pdf.add_page()
    _pdf_heading(pdf, label, view, as_of)
    if highlights:
        _pdf_highlights(pdf, highlights)
    for table in tables:
        _pdf_table(pdf, table)
    _pdf_glossary(pdf, glossary)
    return bytes(pdf.output())


def _pdf_heading(pdf: FPDF, label: str, view: str, as_of: date) -> None:
    """The title, the view and the date of the figures."""
    pdf.set_font(font_family(), "B", 16)
    pdf.multi_cell(0, 8, pdf_text(title(label)), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(font_family(), size=10)
    pdf.multi_cell(0, 6, pdf_text(view_name(view)), new_x="LMARGIN", new_y="NEXT")
    as_of_text = _("Figures as of %(date)s", date=safe_format_date(as_of))
    pdf.multi_cell(0, 6, pdf_text(as_of_text), new_x="LMARGIN", new_y="NEXT")


def _pdf_highlights(pdf: FPDF, highlights: Sequence[Highlight]) -> None:
    pdf.ln(4)
    pdf.set_font(font_family(), "B", 12)
    heading = pdf_text(_("Highlights of the year"))
    pdf.multi_cell(0, 7, heading, new_x="LMARGIN", new_y="NEXT")
    for item in highlights:
        pdf.set_font(font_family(), "B", 10)
        pdf.multi_cell(0, 6, pdf_text(str(item.label)), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(font_family(), size=10)
        pdf.multi_cell(0, 5, pdf_text(item.text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)


def _pdf_glossary(pdf: FPDF, glossary: tuple[Entry, ...]) -> None:
    pdf.ln(4)
    pdf.set_font(font_family(), "B", 12)
    pdf.multi_cell(0, 7, pdf_text(_("Glossary")), new_x="LMARGIN", new_y="NEXT")
    for entry in glossary:
        pdf.set_font(font_family(), "B", 9)
        pdf.multi_cell(0, 5, pdf_text(str(entry.term)), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(font_family(), size=9)
        pdf.multi_cell(0, 5, pdf_text(str(entry.definition)), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)


def _pdf_table(pdf: FPDF, table: Table) -> None:
    from fpdf.fonts import FontFace

    pdf.ln(4)
    pdf.set_font(font_family(), "B", 12)
    pdf.multi_cell(0, 7, pdf_text(str(table.title)), new_x="LMARGIN", new_y="NEXT")
    width = len(table.columns)
    pdf.set_font(font_family(), size=9 if width <= 3 else 7)
    rows = [[pdf_text(str(line.label)), *(pdf_text(c) for c in line.cells)] for line in table.rows]
    if table.total is not None:
        rows.append([pdf_text(str(table.total.label)), *(pdf_text(c) for c in table.total.cells)])
    if not rows:
        pdf.multi_cell(0, 6, pdf_text(_("Nothing this year.")), new_x="LMARGIN", new_y="NEXT")
        return
    # Text columns (labels, names, sectors) get three shares of the width, figures one.
    texts = [True] + [
        any(not isinstance(line.cells[i], int | float | Mark | Missing) for line in table.rows)
        for i in range(width - 1)
    ]
    widths = [3 if text else 1 for text in texts] if width > 3 else [2, *([1] * (width - 1))]
    with pdf.table(
        col_widths=tuple(widths),
        text_align=tuple("LEFT" if text else "RIGHT" for text in texts),
        headings_style=FontFace(emphasis="BOLD"),
        line_height=5 if width <= 3 else 4,
    ) as grid:
        grid.row([pdf_text(str(column.label)) for column in table.columns])
        for cells in rows:
            grid.row(cells)
    if table.note:
        pdf.set_font(font_family(), "I", 8)
        pdf.multi_cell(0, 5, pdf_text(str(table.note)), new_x="LMARGIN", new_y="NEXT")
