"""Where a form may send the browser next: only a path on this site (no open redirect)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import url_for


def safe_next(target: str | None) -> str:
    """target when it is a path on this site, else the home page."""
    home = url_for("home.index")
    if not target or not target.startswith("/") or target.startswith("//"):
        return home
    # Browsers read a backslash as a slash and drop control characters: both can smuggle a host.
    if "\\" in target or any(ord(char) <= 32 or ord(char) == 127 for char in target):
        return home
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return home
    return target
