"""Outgoing e-mail, one path: queued in the mail outbox with the change, sent after the commit.

enqueue_mail() renders the message now, in the recipient's language, and adds it to the outbox in
the caller's transaction: a change and its e-mail commit (or roll back) together. After the commit
the outbox is drained: in a request by a background thread, so the page never waits for (or fails
with) the mail server and its timing tells nothing about whether an address has an account; in a
command, at once. Whatever the mail server refuses is retried with backoff by the next drain,
`flask mail-worker` or `flask daily`.

E-mails say what happened and link to the platform; nothing sensitive goes in them.
"""

from __future__ import annotations

import threading
from email.message import EmailMessage

import click
from flask import Flask, current_app, has_app_context, has_request_context, render_template
from flask.globals import app_ctx
from flask_babel import force_locale
from sqlalchemy import event
from sqlalchemy.orm import Session

from ..extensions import db
from .models import MailOutbox

_PENDING = "mail.pending"


def init_mail(app: Flask) -> None:
    app.extensions["mail_outbox"] = []
    app.extensions["mail_drainer"] = BackgroundDrainer(app)
    _listen()


def outbox() -> list[EmailMessage]:
    """Messages delivered with the 'memory' or 'outbox' backend (tests, development)."""
    return current_app.extensions["mail_outbox"]


def enqueue_mail(to: str, subject: str, template: str, locale: str = "fr", **context) -> MailOutbox:
    """Render templates/email/<template>.txt in locale and queue it in the current transaction."""
    with force_locale(locale):
        body = render_template(f"email/{template}.txt", **context)
        subject_text = str(subject)
    message = MailOutbox(
        recipient=to, subject=subject_text[:300], body=body, template=template[:60]
    )
    db.session.add(message)
    db.session.info[_PENDING] = True
    return message


def request_drain() -> None:
    """Ask for a drain once the current transaction commits (a retried dead letter, say)."""
    db.session.info[_PENDING] = True


# --- Draining after the commit --------------------------------------------------------------------

_listening = False
_listen_lock = threading.Lock()


def _listen() -> None:
    global _listening
    with _listen_lock:
        if _listening:
            return
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _after_rollback)
        _listening = True


def _after_commit(session: Session) -> None:
    if not session.info.pop(_PENDING, False) or not has_app_context():
        return
    app = app_ctx.app
    in_command = click.get_current_context(silent=True) is not None
    # The 'memory' backend (tests) delivers instantly: nothing to wait for, nothing to time.
    if has_request_context() and not in_command and app.config["MAIL_BACKEND"] != "memory":
        app.extensions["mail_drainer"].request()
    else:
        # A command (even one in a test request context, for its language) drains before it
        # exits: a background thread would die with it.
        _drain_quietly(app)


def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)


def _drain_quietly(app: Flask) -> None:
    from .delivery import drain_outbox

    with app.app_context():
        try:
            drain_outbox()
        except Exception as error:
            # The messages stay in the outbox for the next drain; only the error's type is
            # logged, since mail-server errors quote addresses.
            app.logger.error("Mail outbox not drained (%s)", type(error).__name__)


class BackgroundDrainer:
    """At most one drain thread per process; a request during a drain makes it go round again."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._lock = threading.Lock()
        self._running = False
        self._again = False
        self._thread: threading.Thread | None = None

    def request(self) -> None:
        with self._lock:
            if self._running:
                self._again = True
                return
            self._running = True
            # A daemon: a worker that exits mid-send leaves the message claimed for a few
            # minutes, then the next drain sends it.
            self._thread = threading.Thread(target=self._run, name="mail-drain", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            _drain_quietly(self.app)
            with self._lock:
                if not self._again:
                    self._running = False
                    return
                self._again = False

    def join(self, timeout: float | None = None) -> None:
        """Wait for the current drain, if any (tests; a clean shutdown)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
