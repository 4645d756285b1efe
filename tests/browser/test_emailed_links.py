"""E-mailed links in a real browser: the secret after "#" is posted by the page, never logged.

The live server logs each request line through Werkzeug's logger, as a development server does;
a handler keeps every line so the test can look for the secrets in them.
"""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from cote_a_cote.accounts.models import Role, User
from cote_a_cote.accounts.services import create_invitation, request_password_reset
from cote_a_cote.catalogue.models import OrganizationKind
from cote_a_cote.extensions import db
from cote_a_cote.mail import outbox
from tests.emailed_links import emailed_link

CHOSEN = "une phrase de passe bien longue"


class Lines(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(record.getMessage())


@pytest.fixture
def request_log():
    handler = Lines()
    werkzeug = logging.getLogger("werkzeug")
    level = werkzeug.level
    werkzeug.setLevel(logging.INFO)
    werkzeug.addHandler(handler)
    yield handler.lines
    werkzeug.removeHandler(handler)
    werkzeug.setLevel(level)


def test_an_invitation_link_opens_the_form_and_its_secret_stays_out_of_the_log(
    page, live_server, request_log, make_user, make_org
):
    create_invitation(
        name="Invitée Fictive",
        email="invitee@example.org",
        role=Role.INTERVENANTE,
        organization=make_org(kind=OrganizationKind.REFERRER),
        invited_by=make_user(role=Role.ADMIN),
        locale="fr",
    )
    db.session.commit()
    (message,) = outbox()
    path, secret = emailed_link(message)
    link = f"{live_server}{path}#{secret}"

    page.goto(link)
    page.wait_for_url("**/invitation/accepter")
    assert "#" not in page.url
    page.locator("input[name=password]").fill(CHOSEN)
    page.locator("input[name=confirm]").fill(CHOSEN)
    page.locator("form:has(input[name=confirm]) button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("form[action='/deconnexion']").count() == 1
    db.session.expire_all()
    assert db.session.scalar(select(User).where(User.email == "invitee@example.org"))

    # The secret is gone from the page's history entry too: going back shows the empty form.
    page.go_back()
    page.go_back()
    assert secret not in page.url

    assert any("POST /invitation HTTP" in line for line in request_log)
    assert [line for line in request_log if secret in line] == []


def test_a_reset_link_works_and_a_pasted_link_works_without_the_script(
    page, live_server, request_log, make_user
):
    owner = make_user(role=Role.ADMIN, email="owner@example.org")
    request_password_reset(owner.email)()
    db.session.commit()
    path, secret = emailed_link(outbox()[-1])

    # The landing page without the fragment: the person pastes the link and continues.
    page.goto(path)
    page.locator("input[name=token]").fill(f"{live_server}{path}#{secret}")
    page.locator("form[data-link-token] button[type=submit]").click()
    page.wait_for_url("**/mot-de-passe/nouveau")
    page.locator("input[name=password]").fill(CHOSEN)
    page.locator("input[name=confirm]").fill(CHOSEN)
    page.locator("form:has(input[name=confirm]) button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("form[action='/deconnexion']").count() == 1

    assert any("POST /mot-de-passe/reinitialiser HTTP" in line for line in request_log)
    assert [line for line in request_log if secret in line] == []
