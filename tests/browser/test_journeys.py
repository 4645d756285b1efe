"""Journeys in a real browser: each demo role signs in and sees its home; quick exit leaves."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from cote_a_cote.accounts.models import Role, User
from cote_a_cote.demo.seeding import seed_demo
from cote_a_cote.extensions import db

PRINTED = re.compile(r"^\s+(\S+@\S+)\s+password: (\S+)$")


@pytest.fixture
def demo_accounts(app):
    """Load the demo catalogue as `make run` does and keep the passwords it prints once."""
    lines: list[str] = []
    seed_demo(echo=lines.append)
    db.session.commit()
    printed = dict(m.groups() for line in lines if (m := PRINTED.match(line)))
    users = db.session.scalars(select(User)).all()
    assert len(printed) == 3, lines
    return {user.role: (user, printed[user.email]) for user in users if user.email in printed}


def sign_in(page, email: str, password: str) -> None:
    page.goto("/connexion")
    form = page.locator("form:has(input[name=password])")
    form.locator("input[name=email]").fill(email)
    form.locator("input[name=password]").fill(password)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_each_demo_role_signs_in_and_sees_its_home(page, demo_accounts):
    intervenante, password = demo_accounts[Role.INTERVENANTE]
    sign_in(page, intervenante.email, password)
    assert page.url.endswith("/")
    assert intervenante.name in page.locator("h1").inner_text()
    assert page.locator("form[role=search] input[name=q]").is_visible()
    page.locator("form[action='/deconnexion'] button").click()
    page.wait_for_load_state()
    assert page.locator("a[href^='/connexion']").first.is_visible()

    provider, password = demo_accounts[Role.PROVIDER]
    sign_in(page, provider.email, password)
    assert page.locator("h1").inner_text().strip() == provider.organization.name
    assert page.locator(f"a[href='/organisations/{provider.organization_id}']").first.is_visible()
    page.locator("form[action='/deconnexion'] button").click()
    page.wait_for_load_state()

    admin, password = demo_accounts[Role.ADMIN]
    sign_in(page, admin.email, password)
    assert page.locator("main a[href='/admin/']").first.is_visible()
    page.locator("main a[href='/admin/']").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/admin/")


def test_wrong_password_keeps_the_email_and_says_why(page, demo_accounts):
    admin, _password = demo_accounts[Role.ADMIN]
    sign_in(page, admin.email, "not the password at all")
    assert page.url.endswith("/connexion")
    assert page.locator("input[name=email]").input_value() == admin.email
    assert page.locator("[role=alert], .alert--error, .field__error").first.is_visible()


def test_quick_exit_button_replaces_the_page(page, live_server, neutral_site):
    page.goto("/")
    page.goto("/catalogue")
    page.locator("#quick-exit").click()
    page.wait_for_url(neutral_site)
    assert "Meteo" in page.content()
    # location.replace: Back skips the catalogue page and returns to the one before it.
    page.go_back()
    assert page.url == f"{live_server}/"


def test_shift_three_times_leaves(page, neutral_site):
    page.goto("/catalogue")
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(neutral_site)
    assert "Meteo" in page.content()


def test_language_switch_persists(page):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "fr"
    page.locator("form.language-switch button").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    page.goto("/catalogue")
    assert page.locator("html").get_attribute("lang") == "en"
