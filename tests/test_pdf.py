"""Text for the PDFs: DejaVu Sans draws French, English and syllabics; without its files the core
fonts keep French whole and other scripts degrade, never fail."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from cote_a_cote.config import update_settings
from cote_a_cote.pdf import (
    FONT_FILES,
    PDF_ENCODING,
    core_font_text,
    font_dir,
    font_family,
    pdf_text,
)

# The font folder is a setting of the app that draws the PDF.
pytestmark = pytest.mark.usefixtures("app")

SYLLABICS = "ᐃᓄᒃᑎᑐᑦ ᓀᐦᐃᔭᐍᐏᐣ"  # Inuktitut, Plains Cree


def test_the_unicode_font_is_installed():
    """.ci/run installs fonts-dejavu-core; production does the same (README)."""
    assert font_dir() is not None
    assert font_family() == "DejaVuSans"


def test_the_configured_folder_is_looked_at_first(app, tmp_path):
    system = font_dir()
    configured = tmp_path / "fonts"
    configured.mkdir()
    for name in FONT_FILES.values():
        (configured / name).symlink_to(system / name)
    update_settings(app, {"PDF_FONT_DIR": str(configured)})
    assert font_dir() == configured


def test_a_configured_folder_missing_a_file_falls_back_to_the_system_fonts(app, tmp_path):
    configured = tmp_path / "fonts"
    configured.mkdir()
    (configured / FONT_FILES[""]).write_bytes(b"")
    update_settings(app, {"PDF_FONT_DIR": str(configured)})
    assert font_dir() is not None and font_dir() != configured


def test_french_english_and_syllabics_are_kept_whole():
    text = f"L’Épi d’or « été » — 1\u00a0234,5\u202f$ œuvre {SYLLABICS} Ŝukaq"
    assert pdf_text(text) == text.replace("\u202f", "\u00a0")


def test_what_no_font_draws_degrades_to_a_question_mark():
    assert pdf_text("a漢b𓀀") == "a?b?"  # Chinese, Egyptian hieroglyphs


def test_the_certificate_prints_syllabics():
    from cote_a_cote.recognition.documents import certificate_pdf

    data = certificate_pdf(
        heading="Certificat",
        lines=["a", "b", "c"],
        organization=f"Centre {SYLLABICS}",
        level_line="Allié — 2026",
        verify_label="Vérifier :",
        verify_url="https://cote.example.org/reconnaissance/verifier/ABC",
    )
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert f"Centre {SYLLABICS}" in " ".join(text.split())


def test_core_fonts_keep_french_and_degrade_other_letters():
    text = "L’Épi d’or « été » — 1\u00a0234,5\u202f$ œuvre"
    assert core_font_text(text) == text.replace("\u202f", "\u00a0")
    assert core_font_text("Ŝukaq Łódź ᐃᓄᒃ 😀") == "Sukaq ?ódz ??? ?"  # ó is in windows-1252
    assert core_font_text("ᐃᓄᒃᑎᑐᑦ Ŝ").encode(PDF_ENCODING) == b"?????? S"
