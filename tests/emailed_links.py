"""Following an e-mailed link as a browser does: the secret after "#" never leaves the browser.

The landing page is fetched without it; its script (or the person, without JavaScript) then posts
the secret in the form.
"""

from __future__ import annotations

import re

LINK = re.compile(r"https?://[^/\s]+(/[^\s#?]*)#([A-Za-z0-9_-]+)")


def emailed_link(message) -> tuple[str, str]:
    """(path, secret) of the one link in message; the secret is only ever in the fragment."""
    (link,) = LINK.findall(message.get_content())
    return link


def open_emailed_link(client, message, paste: str | None = None):
    """GET the link's page as a browser would (no fragment), then post the secret it carries."""
    path, secret = emailed_link(message)
    landing = client.get(path)
    assert landing.status_code == 200
    assert "data-link-token" in landing.get_data(as_text=True)
    return client.post(path, data={"token": secret if paste is None else paste})
