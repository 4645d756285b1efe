"""Every page any role can open: labelled fields, one h1, headings in order, a language.

The pages are those the access matrix expects to answer 200 to a GET, opened as that role with the
matrix's objects, so a new page is checked as soon as it is added to the matrix.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from tests.test_access_matrix import (  # noqa: F401 - a fixture
    MATRIX,
    ROLES,
    _url,
    sign_in_as,
    signed_in_matrix_world,
)

UNLABELLED_TYPES = {"hidden", "submit", "button", "reset", "image"}
# Files, not pages: each is checked for its type instead (its content is tested with its feature).
DOWNLOADS = {
    "recognition.badge": "image/svg+xml",
    "recognition.certificate": "application/pdf",
    "recognition.display_material": "application/pdf",
    "reporting.export_csv": "text/csv",
    "reporting.export_pdf": "application/pdf",
    "catalogue.organization_logo": "image/png",
    "training_sessions.download_material": "application/pdf",
    "training.download_evidence": "application/pdf",
    "portal.pending_logo": "image/png",
    "vetting.pending_logo": "image/png",
}
PAGES = sorted(
    (endpoint, role)
    for (method, endpoint), expected in MATRIX.items()
    if method == "GET" and not endpoint.startswith("api.")
    for role in ROLES
    if expected[role] == 200
)


class PageAudit(HTMLParser):
    def __init__(self):
        super().__init__()
        self.lang = None
        self.fields: list[dict] = []
        self.label_for: set[str] = set()
        self.label_depth = 0
        self.headings: list[int] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        elif tag == "label":
            self.label_depth += 1
            if attrs.get("for"):
                self.label_for.add(attrs["for"])
        elif tag in ("input", "select", "textarea"):
            if tag == "input" and attrs.get("type", "text") in UNLABELLED_TYPES:
                return
            self.fields.append({**attrs, "_tag": tag, "_in_label": self.label_depth > 0})
        elif len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            self.headings.append(int(tag[1]))

    def handle_endtag(self, tag):
        if tag == "label":
            self.label_depth = max(0, self.label_depth - 1)

    def unlabelled(self) -> list[str]:
        return [
            field.get("name") or field["_tag"]
            for field in self.fields
            if not (
                field["_in_label"]
                or field.get("id") in self.label_for
                or field.get("aria-label")
                or field.get("aria-labelledby")
            )
        ]


@pytest.mark.parametrize(("endpoint", "role"), PAGES)
def test_page_is_accessible(app, client, signed_in_matrix_world, endpoint, role):  # noqa: F811
    sign_in_as(client, signed_in_matrix_world, role)
    response = client.get(_url(app, endpoint, signed_in_matrix_world))
    assert response.status_code == 200
    if endpoint in DOWNLOADS:
        assert response.mimetype == DOWNLOADS[endpoint]
        return
    assert response.mimetype == "text/html"
    audit = PageAudit()
    audit.feed(response.get_data(as_text=True))
    assert audit.lang in ("fr", "en")
    assert audit.unlabelled() == [], "fields without a label"
    assert audit.headings.count(1) == 1, audit.headings
    skips = [(a, b) for a, b in zip(audit.headings, audit.headings[1:], strict=False) if b > a + 1]
    assert skips == [], f"heading levels skipped: {audit.headings}"


def test_the_audit_itself_notices_what_it_looks_for():
    audit = PageAudit()
    audit.feed(
        '<html lang="fr"><h1>A</h1><h3>B</h3><label for="a">A</label><input id="a" name="a">'
        '<label>B <input name="b"></label><input name="c"><input type="hidden" name="d">'
        '<select name="e" aria-label="E"></select><textarea name="f"></textarea></html>'
    )
    assert audit.unlabelled() == ["c", "f"]
    assert audit.headings == [1, 3]
