"""Access-matrix rows and world objects for the administrators' page of undelivered e-mails.

Merged by tests/test_access_matrix.py. The world holds one e-mail whose attempts ran out, so an
administrator's retry answers 302 (back to the list).
"""

from __future__ import annotations

LOGIN = "login"


def admin_only(code):
    return {"anonymous": LOGIN, "intervenante": 403, "provider": 403, "admin": code}


ROWS: dict[tuple[str, str], dict[str, int | str]] = {
    ("GET", "notifications.mail_failures"): admin_only(200),
    ("POST", "notifications.retry_mail"): admin_only(302),
}


def world(provider_org, service, make_user) -> dict:
    from cote_a_cote.database import utcnow
    from cote_a_cote.extensions import db
    from cote_a_cote.mail.models import MailOutbox

    message = MailOutbox(
        recipient="matrix-mail@example.org",
        subject="Sujet",
        body="Corps",
        template="notification",
        attempts=8,
        last_error="SMTPConnectError 421",
        dead_at=utcnow(),
    )
    db.session.add(message)
    db.session.commit()
    return {"message_id": message.id}
