"""What the PDFs share: a font that draws French, English and Canadian syllabics, and text it can
draw.

The certificate and the annual report use DejaVu Sans when its files are found (Debian's
fonts-dejavu-core, or the folder PDF_FONT_DIR names): it covers French, English and the Unified
Canadian Aboriginal Syllabics used to write Inuktitut and Cree, so an organisation named in
syllabics prints as written. Without it they fall back to fpdf2's core fonts (no file to ship),
which cover windows-1252: French and English in full, other letters lose their accents when that
is enough (Ŝ → S) and become "?" otherwise. Either way a name never breaks a download.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

from cote_a_cote.config import settings

PDF_ENCODING = "windows-1252"
CORE_FAMILY = "Helvetica"
UNICODE_FAMILY = "DejaVuSans"
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu",)
FONT_FILES = {
    "": "DejaVuSans.ttf",
    "B": "DejaVuSans-Bold.ttf",
    "I": "DejaVuSans-Oblique.ttf",
    "BI": "DejaVuSans-BoldOblique.ttf",
}


def font_dir() -> Path | None:
    """The folder holding every DejaVu Sans file, or None (core fonts then): the current app's
    PDF_FONT_DIR first, then the system's font folders."""
    return _font_dir(settings().pdf_font_dir)


@cache
def _font_dir(configured: str) -> Path | None:
    for folder in ((configured,) if configured else ()) + FONT_DIRS:
        path = Path(folder)
        if all((path / name).is_file() for name in FONT_FILES.values()):
            return path
    return None


@cache
def _covered(folder: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(folder / FONT_FILES[""], lazy=True) as font:
        return frozenset(font.getBestCmap())


def font_family() -> str:
    """The family to pass to set_font: DejaVu Sans when available, else Helvetica."""
    return UNICODE_FAMILY if font_dir() else CORE_FAMILY


def use_fonts(pdf) -> str:
    """Register the family on a new FPDF document; returns font_family()."""
    folder = font_dir()
    if folder is None:
        pdf.core_fonts_encoding = PDF_ENCODING
        return CORE_FAMILY
    for style, name in FONT_FILES.items():
        pdf.add_font(UNICODE_FAMILY, style, str(folder / name))
    return UNICODE_FAMILY


def pdf_text(text: str) -> str:
    """text, drawable with the family font_family() names."""
    text = text.replace("\u202f", "\u00a0")  # Babel's French thousands separator
    folder = font_dir()
    if folder is None:
        return core_font_text(text)
    covered = _covered(folder)
    return "".join(_fallback(char, lambda c: all(ord(x) in covered for x in c)) for char in text)


def core_font_text(text: str) -> str:
    """text, drawable with core fonts in windows-1252."""
    return "".join(_fallback(char, _drawable) for char in text.replace("\u202f", "\u00a0"))


def _fallback(char: str, drawable) -> str:
    if drawable(char):
        return char
    bare = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    return bare if bare and drawable(bare) else "?"


def _drawable(text: str) -> bool:
    try:
        text.encode(PDF_ENCODING)
    except UnicodeEncodeError:
        return False
    return True
