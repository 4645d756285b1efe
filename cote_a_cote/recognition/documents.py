"""The badge (SVG, drawn here) and the certificate (PDF, see cote_a_cote/pdf.py) of an award."""

from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import escape

from ..pdf import pdf_text, use_fonts

if TYPE_CHECKING:
    from fpdf import FPDF

# Colours of the badge, by level rank (from the lowest); the last repeats beyond.
_COLOURS = ("#2e6b4f", "#1f4e8c", "#6b2e6b")


def badge_svg(*, title: str, level_name: str, year: int, caption: str, rank_index: int) -> str:
    """A 240×240 round badge: level name and year, with a <title> for screen readers."""
    colour = _COLOURS[min(max(rank_index, 0), len(_COLOURS) - 1)]
    size = 22 if len(level_name) <= 12 else 16
    text = 'text-anchor="middle" font-family="sans-serif" fill="#ffffff"'
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" width="240" height="240" '
        'viewBox="0 0 240 240" role="img" aria-labelledby="badge-title">\n'
        f'<title id="badge-title">{escape(title)}</title>\n'
        f'<circle cx="120" cy="120" r="114" fill="{colour}"/>\n'
        '<circle cx="120" cy="120" r="100" fill="none" stroke="#ffffff" stroke-width="3"/>\n'
        f'<text x="120" y="78" font-size="14" {text}>Côte-à-Côte</text>\n'
        f'<text x="120" y="128" font-size="{size}" font-weight="bold" {text}>'
        f"{escape(level_name)}</text>\n"
        f'<text x="120" y="162" font-size="20" {text}>{year}</text>\n'
        f'<text x="120" y="190" font-size="10" {text}>{escape(caption)}</text>\n'
        "</svg>\n"
    )


def certificate_pdf(
    *,
    heading: str,
    lines: list[str],
    organization: str,
    level_line: str,
    verify_label: str,
    verify_url: str,
) -> bytes:
    """An A4 landscape certificate in a font that prints French, English and syllabics."""
    heading, organization, level_line = map(pdf_text, (heading, organization, level_line))
    lines = [pdf_text(line) for line in lines]
    verify_label, verify_url = pdf_text(verify_label), pdf_text(verify_url)
    pdf, family = _framed_landscape_page(heading)
    pdf.set_y(30)
    pdf.set_font(family, "B", 28)
    pdf.cell(0, 14, heading, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font(family, "", 14)
    pdf.cell(0, 8, lines[0], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(family, "B", 22)
    pdf.multi_cell(0, 11, organization, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(family, "", 14)
    pdf.multi_cell(0, 8, lines[1], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(family, "B", 20)
    pdf.cell(0, 11, level_line, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(family, "", 12)
    for line in lines[2:]:
        pdf.multi_cell(0, 7, line, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(170)
    pdf.set_font(family, "", 10)
    pdf.cell(0, 6, verify_label, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Courier", "", 10)
    pdf.cell(0, 6, verify_url, align="C", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _framed_landscape_page(title: str) -> tuple[FPDF, str]:
    """A document of one A4 landscape page in a green frame, and the font family to write with."""
    from fpdf import FPDF  # here, not at import: only this request needs fpdf2 and Pillow

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    family = use_fonts(pdf)
    pdf.set_title(title)
    pdf.set_author("Côte-à-Côte")
    pdf.set_auto_page_break(auto=False)
    pdf.add_page()
    pdf.set_draw_color(46, 107, 79)
    pdf.set_line_width(1.5)
    pdf.rect(10, 10, 277, 190)
    return pdf, family


def poster_pdf(
    *, heading: str, organization: str, level_line: str, lines: list[str], verify_url: str
) -> bytes:
    """An A4 portrait poster a recognised partner may display: who, which level, how to check."""
    heading, organization, level_line = map(pdf_text, (heading, organization, level_line))
    lines, verify_url = [pdf_text(line) for line in lines], pdf_text(verify_url)
    from fpdf import FPDF  # here, not at import (see certificate_pdf)

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    family = use_fonts(pdf)
    pdf.set_title(heading)
    pdf.set_author("Côte-à-Côte")
    pdf.set_auto_page_break(auto=False)
    pdf.add_page()
    pdf.set_fill_color(46, 107, 79)
    pdf.rect(0, 0, 210, 40, style="F")
    pdf.set_text_color(255, 255, 255)
    pdf.set_y(12)
    pdf.set_font(family, "B", 26)
    pdf.cell(0, 14, "Côte-à-Côte", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_y(70)
    pdf.set_font(family, "B", 30)
    pdf.multi_cell(0, 14, heading, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)
    pdf.set_font(family, "B", 22)
    pdf.multi_cell(0, 11, organization, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font(family, "", 20)
    pdf.cell(0, 11, level_line, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(16)
    pdf.set_font(family, "", 14)
    for line in lines:
        pdf.multi_cell(0, 8, line, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Courier", "", 10)
    pdf.multi_cell(0, 6, verify_url, align="C", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
