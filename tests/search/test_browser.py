"""The live search in a browser: results follow typing and ticking, without leaving the page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import live_server, neutral_site, page  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config(neutral_site):  # noqa: F811
    return {"QUICK_EXIT_URL": neutral_site}


def test_results_follow_typing_and_ticking(page, catalogue):  # noqa: F811
    page.goto("/recherche")
    page.evaluate("window.stillHere = true")  # lost if the page were reloaded
    page.fill("#q", "avocat")
    expect(page.locator("#search-count")).to_contain_text("2")
    expect(page).to_have_url(re.compile(r"[?&]q=avocat"))
    assert "Avocate en droit" in page.inner_text("#search-results")

    page.check("#f-lang-es")  # keyboard focus stays on the box, its count follows
    expect(page.locator("#search-count")).to_contain_text("1")
    expect(page.locator("#f-lang-es")).to_be_focused()
    expect(page).to_have_url(re.compile(r"lang=es"))
    assert page.evaluate("window.stillHere") is True
    expect(page.locator("#search-live")).to_contain_text("1")  # announced to screen readers

    page.fill("#q", "")
    expect(page).not_to_have_url(re.compile(r"q="))
    assert page.evaluate("window.stillHere") is True
