"""Outgoing e-mail: SMTP in production, an outbox of .eml files (or memory, in tests) otherwise.

E-mails say what happened and link to the platform; nothing sensitive goes in them.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from flask import Flask, current_app, render_template
from flask_babel import force_locale

from .database import utcnow


def init_mail(app: Flask) -> None:
    app.extensions["mail_outbox"] = []


def outbox() -> list[EmailMessage]:
    """Messages sent with the 'memory' backend (tests)."""
    return current_app.extensions["mail_outbox"]


def send_mail(to: str, subject: str, template: str, locale: str = "fr", **context) -> EmailMessage:
    """Render templates/email/<template>.txt in locale and send it."""
    with force_locale(locale):
        body = render_template(f"email/{template}.txt", **context)
        subject_text = str(subject)
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject_text
    message["Message-ID"] = make_msgid(domain="cote-a-cote.invalid")
    message.set_content(body)
    _deliver(message)
    return message


def _deliver(message: EmailMessage) -> None:
    backend = current_app.config["MAIL_BACKEND"]
    if backend == "memory":
        outbox().append(message)
    elif backend == "outbox":
        folder = Path(current_app.config["MAIL_OUTBOX_DIR"])
        folder.mkdir(parents=True, exist_ok=True)
        stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
        (folder / f"{stamp}.eml").write_bytes(bytes(message))
        outbox().append(message)
    elif backend == "smtp":
        config = current_app.config
        with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=15) as smtp:
            if config["SMTP_STARTTLS"]:
                smtp.starttls(context=ssl.create_default_context())
            if config["SMTP_USERNAME"]:
                smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"])
            smtp.send_message(message)
    else:
        raise RuntimeError(f"Unknown MAIL_BACKEND {backend!r}")
