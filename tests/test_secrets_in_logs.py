"""No secret of an e-mailed link reaches a log line: invitation, password reset, verification.

Every request of the three flows goes through gunicorn's own access logger, with the format the
Makefile gives gunicorn and with the fullest request line gunicorn can log (raw URI with its query
string, referrer, user agent); every record of Python logging is kept too, down to DEBUG. The
secrets read from the e-mails must appear in none of them.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from gunicorn.config import Config
from gunicorn.glogging import Logger
from sqlalchemy import select

from cote_a_cote.accounts.models import User
from cote_a_cote.catalogue.models import OrganizationKind
from cote_a_cote.extensions import db
from cote_a_cote.mail import outbox
from cote_a_cote.roles import Role
from tests.emailed_links import emailed_link, open_emailed_link
from tests.portal.test_application import application, apply

MAKEFILE = Path(__file__).resolve().parent.parent / "Makefile"
GUNICORN_CONF = MAKEFILE.parent / "gunicorn.conf.py"
CHOSEN = "a long sentence nobody will guess"


def makefile_access_format() -> str:
    """The access-log format of gunicorn.conf.py, which `make run` passes to gunicorn."""
    assert "-c gunicorn.conf.py" in MAKEFILE.read_text()
    settings: dict = {}
    exec(GUNICORN_CONF.read_text(), settings)  # noqa: S102 - our own settings file
    return settings["access_log_format"]


FULLEST_FORMAT = '%(h)s "%(r)s" %(s)s "%(f)s" "%(a)s" %(U)s?%(q)s'


class GunicornAccessLog:
    """WSGI middleware logging each request as gunicorn's access logger does, in each format."""

    def __init__(self, app, logger: Logger, formats: list[str]):
        self.app = app
        self.logger = logger
        self.formats = formats

    def __call__(self, environ, start_response):
        query = environ.get("QUERY_STRING")
        environ.setdefault("RAW_URI", quote(environ["PATH_INFO"]) + (f"?{query}" if query else ""))
        started = datetime.now()
        answer = {}

        def recording_start_response(status, headers, exc_info=None):
            answer.update(status=status, headers=headers)
            return start_response(status, headers, exc_info)

        iterable = self.app(environ, recording_start_response)
        try:
            body = b"".join(iterable)
        finally:
            if hasattr(iterable, "close"):
                iterable.close()  # e-mails sent after the answer go out here
        response = SimpleNamespace(
            status=answer["status"], sent=len(body), headers=answer["headers"]
        )
        request = SimpleNamespace(
            headers=[(k[5:].replace("_", "-"), v) for k, v in environ.items() if k[:5] == "HTTP_"]
        )
        for access_format in self.formats:
            self.logger.cfg.set("access_log_format", access_format)
            self.logger.access(response, request, environ, datetime.now() - started)
        return [body]


class Everything(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(record.getMessage())


@pytest.fixture
def logs(app, tmp_path):
    """Where every request and every log record of the test ends up, as text lines."""
    path = tmp_path / "access.log"
    config = Config()
    config.set("accesslog", str(path))
    logger = Logger(config)
    app.wsgi_app = GunicornAccessLog(
        app.wsgi_app, logger, [makefile_access_format(), FULLEST_FORMAT]
    )
    handler = Everything()
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)

    def lines() -> list[str]:
        for log_handler in logger.access_log.handlers:
            log_handler.flush()
        return path.read_text().splitlines() + handler.lines

    yield lines
    root.removeHandler(handler)
    root.setLevel(level)
    for gunicorn_log in (logger.access_log, logger.error_log):
        for log_handler in list(gunicorn_log.handlers):
            gunicorn_log.removeHandler(log_handler)
            log_handler.close()


def test_no_secret_of_any_flow_reaches_a_log_line(
    app, client, logs, reference, make_user, make_org
):
    secrets_sent: list[str] = []

    # 1. An administrator invites; the invitee opens the link and creates the account.
    admin = make_user(role=Role.ADMIN)
    shelter = make_org(kind=OrganizationKind.REFERRER)
    client.post(
        "/connexion", data={"email": admin.email, "password": "correct horse battery staple"}
    )
    response = client.post(
        "/admin/invitations/nouvelle",
        data={
            "name": "Invitée Fictive",
            "email": "invitee@example.org",
            "role": Role.INTERVENANTE.value,
            "organization_id": shelter.id,
            "locale": "fr",
        },
    )
    assert response.status_code == 302
    invitation_mail = outbox()[-1]
    secrets_sent.append(emailed_link(invitation_mail)[1])
    invitee = app.test_client()
    assert open_emailed_link(invitee, invitation_mail).status_code == 302
    response = invitee.post(
        "/invitation/accepter", data={"name": "Invitée", "password": CHOSEN, "confirm": CHOSEN}
    )
    assert response.status_code == 302
    invitee.post("/deconnexion")

    # 2. The invitee forgets the password and resets it.
    invitee.post("/mot-de-passe/oublie", data={"email": "invitee@example.org"}).close()
    reset_mail = outbox()[-1]
    assert reset_mail["To"] == "invitee@example.org"
    secrets_sent.append(emailed_link(reset_mail)[1])
    assert open_emailed_link(invitee, reset_mail).status_code == 302
    response = invitee.post(
        "/mot-de-passe/nouveau", data={"password": CHOSEN + "!", "confirm": CHOSEN + "!"}
    )
    assert response.status_code == 302

    # 3. A partner applies and confirms the address.
    applicant = app.test_client()
    apply(applicant, application(email="partner@example.org"))
    verification_mail = outbox()[-1]
    assert verification_mail["To"] == "partner@example.org"
    secrets_sent.append(emailed_link(verification_mail)[1])
    assert open_emailed_link(applicant, verification_mail).status_code == 302
    assert applicant.post("/courriel/confirmer").status_code == 302

    # Every step happened: the accounts exist and the landing pages were logged.
    users = db.session.scalars(select(User.email)).all()
    assert {"invitee@example.org", "partner@example.org"} <= set(users)
    lines = logs()
    for landing in ("/invitation", "/mot-de-passe/reinitialiser", "/courriel/verifier"):
        assert sum(f'"POST {landing}"' in line for line in lines) == 1, landing
        assert sum(f"POST {landing} HTTP/1.1" in line for line in lines) == 1, landing
    assert len(secrets_sent) == len(set(secrets_sent)) == 3
    # The scan sees what a link in a path or a query would have left.
    client.get("/invitation/canary-in-a-path")
    client.get("/invitation?canary-in-a-query")
    lines = logs()
    assert any("canary-in-a-path" in line for line in lines)
    assert any("canary-in-a-query" in line for line in lines)
    for secret in secrets_sent:
        leaking = [line for line in lines if secret in line]
        assert leaking == []
