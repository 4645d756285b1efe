"""One date format per language everywhere (issue 11 §10): 3 déc. 2026 / Dec 3, 2026."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from flask import render_template_string
from flask_babel import force_locale

TEMPLATES = Path(__file__).resolve().parents[1] / "cote_a_cote" / "templates"
DAY = date(2026, 12, 3)
MOMENT = datetime(2026, 12, 3, 19, 5, tzinfo=UTC)  # 14:05 in Montréal


@pytest.mark.parametrize(
    ("locale", "day", "moment"),
    [
        ("fr", "3 déc. 2026", "3 déc. 2026, 14:05"),
        ("en", "Dec 3, 2026", "Dec 3, 2026, 2:05\u202fPM"),  # CLDR puts a narrow space before PM
    ],
)
def test_a_day_and_a_moment_read_the_same_way_everywhere(app, locale, day, moment):
    with app.test_request_context(), force_locale(locale):
        shown = render_template_string("{{ d|dateformat }}|{{ m|datetimeformat }}", d=DAY, m=MOMENT)
    assert shown == f"{day}|{moment}"


def test_no_template_picks_its_own_date_format():
    chosen = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in TEMPLATES.rglob("*.html")
        for match in re.finditer(r"(date|datetime)format\s*\(", path.read_text())
    ]
    assert chosen == []


def test_a_year_one_date_shows_as_text_instead_of_failing(app):
    with app.test_request_context(), force_locale("fr"):
        shown = render_template_string("{{ m|datetimeformat }}", m=datetime(1, 1, 1))
    assert shown == "0001-01-01T00:00:00"


def test_a_lazy_message_with_a_number_and_a_name_renders_as_html(app):
    """A translated message holding %(max)d and a typed value shows in a page: the number still
    formats, the typed text is escaped."""
    from flask_babel import lazy_gettext

    with app.test_request_context(), force_locale("en"):
        message = lazy_gettext("%(name)s is longer than %(max)d characters.", name="<b>", max=5)
        shown = render_template_string("{{ m }}", m=message)
    assert shown == "&lt;b&gt; is longer than 5 characters."
