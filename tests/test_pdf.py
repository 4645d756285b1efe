"""Text for the PDFs' built-in fonts: French kept whole, other scripts degrade, never fail."""

from __future__ import annotations

from cote_a_cote.pdf import PDF_ENCODING, pdf_text


def test_french_and_english_are_kept_whole():
    text = "L’Épi d’or « été » — 1\u00a0234,5\u202f$ œuvre"
    assert pdf_text(text) == text.replace("\u202f", "\u00a0")


def test_other_letters_lose_accents_or_become_question_marks():
    assert pdf_text("Ŝukaq Łódź ᐃᓄᒃ 😀") == "Sukaq ?ódz ??? ?"  # ó is in windows-1252
    assert pdf_text("ᐃᓄᒃᑎᑐᑦ Ŝ").encode(PDF_ENCODING) == b"?????? S"
