"""The mail outbox against a real SMTP conversation: refused, retried with backoff, sent once."""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from cote_a_cote.accounts.models import PasswordResetToken
from cote_a_cote.audit.models import AuditEvent
from cote_a_cote.database import utcnow
from cote_a_cote.extensions import db
from cote_a_cote.mail import enqueue_mail
from cote_a_cote.mail.delivery import (
    DrainResult,
    _send_one,
    describe_error,
    drain_outbox,
    purge_dead_letters,
)
from cote_a_cote.mail.models import MailOutbox
from cote_a_cote.roles import Role
from tests.mail.smtp_server import FakeSMTPServer

SECRET_LINK = "https://cote.invalid/mot-de-passe/reinitialiser/not-for-anyones-eyes"


@pytest.fixture
def smtp():
    with FakeSMTPServer() as server:
        yield server


@pytest.fixture
def app_config(smtp):
    return {
        "MAIL_BACKEND": "smtp",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": smtp.port,
        "SMTP_STARTTLS": False,
        "SMTP_USERNAME": "",
        "MAIL_MAX_ATTEMPTS": 3,
        "MAIL_RETRY_SECONDS": 60,
    }


def queued() -> list[MailOutbox]:
    db.session.expire_all()
    return list(db.session.scalars(select(MailOutbox).order_by(MailOutbox.id)))


def queue_reset_mail(to: str = "amelie@example.org") -> None:
    """An e-mail carrying a single-use link, committed outside a request (drained at once)."""
    enqueue_mail(to, "Réinitialisation", "password_reset", locale="fr", link=SECRET_LINK, hours=2)
    db.session.commit()


def test_an_smtp_outage_keeps_the_action_and_the_mail_until_a_retry_delivers_it_once(
    app, client, make_user, smtp, caplog
):
    make_user(email="known@example.org")
    caplog.set_level(logging.INFO)
    response = client.post("/mot-de-passe/oublie", data={"email": "known@example.org"})
    app.extensions["mail_drainer"].join(10)

    assert response.status_code == 302 and response.headers["Location"] == "/connexion"
    assert db.session.scalar(select(func.count(PasswordResetToken.id))) == 1  # committed
    [row] = queued()
    assert (row.attempts, row.last_error, row.dead_at) == (1, "SMTPConnectError 421", None)
    assert smtp.connections == 1 and smtp.received == []
    assert "known@example.org" not in caplog.text and "reinitialiser" not in caplog.text

    smtp.refusing = False
    assert drain_outbox(utcnow()).sent == 0  # not due before its backoff
    assert smtp.received == []
    assert drain_outbox(utcnow() + timedelta(seconds=61)).sent == 1
    assert drain_outbox(utcnow() + timedelta(hours=1)).sent == 0
    [message] = smtp.received
    assert message["To"] == "known@example.org"
    assert "/mot-de-passe/reinitialiser#" in message.get_payload(decode=True).decode()
    assert queued() == []


def test_backoff_doubles_then_the_message_waits_for_an_administrator(app, client, smtp, login_as):
    queue_reset_mail()
    [row] = queued()
    first_failure = row.next_attempt_at - timedelta(seconds=60)
    assert row.attempts == 1 and row.dead_at is None

    second = first_failure + timedelta(seconds=60)
    drain_outbox(second)
    [row] = queued()
    assert (row.attempts, row.next_attempt_at) == (2, second + timedelta(seconds=120))

    third = second + timedelta(seconds=120)
    assert drain_outbox(third) == DrainResult(sent=0, failed=1, dead=1)
    [row] = queued()
    assert (row.attempts, row.dead_at) == (3, third)
    assert drain_outbox(third + timedelta(days=2)) == DrainResult()  # dead: left alone

    login_as(Role.ADMIN)
    page = client.get("/admin/courriels-non-remis").get_data(as_text=True)
    assert "amelie@example.org" in page and "SMTPConnectError 421" in page
    assert "not-for-anyones-eyes" not in page  # the body may hold a link: never shown

    smtp.refusing = False
    response = client.post(f"/admin/courriels-non-remis/{row.id}/reessayer")
    app.extensions["mail_drainer"].join(10)
    assert response.status_code == 302
    assert [m["To"] for m in smtp.received] == ["amelie@example.org"]
    assert queued() == []
    assert db.session.scalar(select(AuditEvent.action).order_by(AuditEvent.id.desc())) == (
        "mail.retry"
    )
    page = client.get("/admin/courriels-non-remis").get_data(as_text=True)
    assert "Tous les courriels ont été remis." in page


def test_a_message_still_being_retried_cannot_be_forced(app, client, smtp, login_as):
    queue_reset_mail()
    [row] = queued()
    login_as(Role.ADMIN)
    assert client.post(f"/admin/courriels-non-remis/{row.id}/reessayer").status_code == 404
    assert client.post("/admin/courriels-non-remis/999999/reessayer").status_code == 404


def test_a_rolled_back_change_queues_nothing(app, smtp):
    enqueue_mail("amelie@example.org", "Sujet", "password_reset", link=SECRET_LINK, hours=2)
    db.session.rollback()
    assert queued() == [] and smtp.connections == 0


def test_mail_worker_sends_what_is_due(app, runner, smtp):
    queue_reset_mail()
    smtp.refusing = False
    db.session.execute(text("UPDATE mail_outbox SET next_attempt_at = created_at"))
    db.session.commit()
    result = runner.invoke(args=["mail-worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "E-mails sent: 1, failed: 0" in result.output
    assert len(smtp.received) == 1 and queued() == []


def test_a_message_claimed_by_another_drainer_is_not_sent_twice(app, smtp):
    queue_reset_mail()
    smtp.refusing = False
    [row] = queued()
    # Another drainer read attempts=1 too and claimed first: our claim must fail.
    db.session.execute(text("UPDATE mail_outbox SET attempts = 2"))
    db.session.commit()
    with Session(db.engine) as session:
        _send_one(session, row.id, 1, utcnow(), DrainResult())
    assert smtp.received == []


def test_recorded_errors_never_quote_the_server(app):
    refused = smtplib.SMTPRecipientsRefused(
        {"amelie@example.org": (550, b"5.1.1 <amelie@example.org>: no such user")}
    )
    assert describe_error(refused) == "SMTPRecipientsRefused 550"
    assert describe_error(ConnectionRefusedError(111, "refused")) == "ConnectionRefusedError"


def test_undelivered_mail_is_deleted_after_its_retention_period(app, smtp):
    queue_reset_mail()
    [row] = queued()
    died = row.created_at
    db.session.execute(text("UPDATE mail_outbox SET attempts = 3"))
    row.dead_at = died
    db.session.commit()
    assert purge_dead_letters(died + timedelta(days=29)) == 0
    db.session.commit()
    assert len(queued()) == 1
    assert purge_dead_letters(died + timedelta(days=31)) == 1
    db.session.commit()
    assert queued() == []
