"""Security headers, and pages that a strict CSP can render: no inline code, no outside assets."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from cote_a_cote.catalogue.models import Visibility
from cote_a_cote.roles import Role

EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
    "object-src": "'none'",
}
MAX_PAGES_PER_ROLE = 80


@pytest.fixture
def catalogue(reference, make_org, make_service):
    """A public and an intervenantes-only provider, one with a confidential place."""
    public = make_org(name="Clinique Publique", is_fictional=True, is_trained=True)
    make_service(
        organization=public,
        location={"address_1": "1 rue A", "municipality": "Laval", "region_code": "13"},
    )
    private = make_org(name="Refuge Discret", visibility=Visibility.INTERVENANTES)
    make_service(
        organization=private,
        location={"address_1": "2 rue B", "municipality": "Gatineau", "is_confidential": True},
    )
    return public


def csp_directives(header: str) -> dict[str, str]:
    directives = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition(" ")
        directives[name] = value.strip()
    return directives


class PageAudit(HTMLParser):
    """Collects what a strict CSP would block, and the same-site links to visit next."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.links: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        for name, _value in attrs:
            if name == "style":
                self.problems.append(f"style attribute on <{tag}>")
            if name.startswith("on"):
                self.problems.append(f"inline handler {name} on <{tag}>")
        if tag == "style":
            self.problems.append("<style> element")
        if tag == "script":
            self._in_script = True
            if not values.get("src"):
                self.problems.append("<script> without src")
            elif not values["src"].startswith("/static/"):
                self.problems.append(f"script from {values['src']}")
        if tag == "link" and not (values.get("href") or "").startswith("/static/"):
            self.problems.append(f"<link> to {values.get('href')}")
        source = values.get("src") or ""
        if tag in ("img", "iframe", "embed", "object", "source") and source[:1] not in ("", "/"):
            self.problems.append(f"<{tag}> from {source}")
        href = values.get("href") or ""
        if tag == "a" and href.startswith("/") and not href.startswith("//"):
            self.links.append(href)
        if href.lower().startswith("javascript:"):
            self.problems.append(f"javascript: link on <{tag}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.problems.append("inline script body")


def crawl(client, start: str = "/") -> dict[str, list[str]]:
    """Visit same-site pages reachable by links from start; return the problems found per page.

    One visit per path: the same page with other filters (hundreds of dashboard cells, pages of
    results) is the same template, and visiting each would use up the budget before other pages.
    """
    seen: set[str] = set()
    queue = [start]
    found: dict[str, list[str]] = {}
    while queue and len(seen) < MAX_PAGES_PER_ROLE:
        url = queue.pop(0)
        path = urlsplit(url).path
        if path in seen or path.startswith("/static/"):
            continue
        seen.add(path)
        response = client.get(url)
        if "text/html" not in response.content_type:
            continue
        audit = PageAudit()
        audit.feed(response.text)
        found[url] = audit.problems
        queue.extend(link for link in audit.links if urlsplit(link).path not in seen)
    return found


def test_csp_is_exactly_the_strict_policy(client):
    header = client.get("/").headers["Content-Security-Policy"]
    assert csp_directives(header) == EXPECTED_CSP
    assert "unsafe-inline" not in header
    assert "unsafe-eval" not in header


@pytest.mark.parametrize("url", ["/", "/catalogue", "/page-inexistante", "/static/css/site.css"])
def test_every_response_carries_the_headers(client, url):
    with client.get(url) as response:
        headers = response.headers
    assert csp_directives(headers["Content-Security-Policy"])["frame-ancestors"] == "'none'"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("role", [None, Role.INTERVENANTE, Role.PROVIDER, Role.ADMIN])
def test_rendered_pages_need_no_inline_code_or_outside_assets(client, catalogue, login_as, role):
    if role is Role.PROVIDER:
        login_as(role, organization=catalogue)
    elif role is not None:
        login_as(role)
    pages = crawl(client)
    pages.update(crawl(client, "/page-inexistante"))
    # The catalogue's own pages, whatever the budget the role's many pages used up.
    pages.update(crawl(client, "/catalogue"))
    assert "/catalogue" in pages
    assert any(url.startswith("/services/") for url in pages)
    assert any(url.startswith("/organisations/") for url in pages)
    problems = {url: found for url, found in pages.items() if found}
    assert problems == {}


def test_signed_in_pages_are_not_cached(client, login_as):
    login_as(Role.INTERVENANTE)
    assert client.get("/").headers["Cache-Control"] == "no-store"


def test_static_files_are_served(client):
    with client.get("/static/css/site.css") as css:
        assert css.status_code == 200
        assert css.content_type.startswith("text/css")
        assert b".quick-exit__button" in css.data
    with client.get("/static/js/quick-exit.js") as script:
        assert script.status_code == 200
        assert "javascript" in script.content_type
        assert b"location.replace" in script.data


def test_lazy_translations_carrying_typed_values_are_escaped(app):
    from flask import render_template_string
    from flask_babel import lazy_gettext

    with app.test_request_context():
        message = lazy_gettext("Choose the regions served by %(name)s.", name="<script>x</script>")
        html = render_template_string(
            "<p>{{ message }}</p><p>{{ [message]|join }}</p>", message=message
        )
    assert "<script>" not in html
    assert html.count("&lt;script&gt;") == 2
