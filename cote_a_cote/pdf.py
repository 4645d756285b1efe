"""What the PDFs share: text the built-in PDF fonts can draw.

The certificate and the annual report use fpdf2's core fonts (no font file to ship), which cover
windows-1252: French and English in full. A name in another script must still never break a
download, so other letters lose their accents when that is enough (Ŝ → S) and become "?" otherwise.
"""

from __future__ import annotations

import unicodedata

PDF_ENCODING = "windows-1252"


def pdf_text(text: str) -> str:
    """text, drawable with core fonts in windows-1252."""
    text = text.replace("\u202f", "\u00a0")  # Babel's French thousands separator
    out = []
    for char in text:
        try:
            char.encode(PDF_ENCODING)
        except UnicodeEncodeError:
            bare = "".join(
                c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
            )
            char = bare if bare and _drawable(bare) else "?"
        out.append(char)
    return "".join(out)


def _drawable(text: str) -> bool:
    try:
        text.encode(PDF_ENCODING)
    except UnicodeEncodeError:
        return False
    return True
