"""Notify users in the app and by e-mail; the e-mail is queued in the outbox with the change."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from flask import current_app, has_request_context, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from werkzeug.routing import BuildError

from ..accounts.models import User
from ..audit.services import record
from ..database import utcnow
from ..extensions import db
from ..i18n import current_locale
from ..mail import enqueue_mail
from ..mail.delivery import retry_dead_letter
from ..mail.models import MailOutbox
from ..roles import Role
from ..security import public_address
from .kinds import KINDS
from .models import Notification


def notify(
    users: Iterable[User],
    kind: str,
    *,
    endpoint: str | None = None,
    endpoint_args: dict | None = None,
    **params,
) -> list[Notification]:
    """Add a notification for each active user and queue its e-mail in the same transaction."""
    if kind not in KINDS:
        raise KeyError(f"Unknown notification kind {kind!r}")
    created = []
    users_list = list(users)
    for user in users_list:
        if not user.active:
            continue
        note = Notification(
            user_id=user.id,
            kind=kind,
            params={k: str(v) for k, v in params.items()},
            endpoint=endpoint,
            endpoint_args=endpoint_args or {},
        )
        db.session.add(note)
        created.append(note)
    db.session.flush()
    for note, user in zip(created, [u for u in users_list if u.active], strict=True):
        mail = _mail_for(user, note)
        enqueue_mail(
            mail["to"],
            mail["subject"],
            "notification",
            locale=mail["locale"],
            text=mail["text"],
            link=mail["link"],
        )
    return created


def notify_admins(kind: str, **kwargs) -> list[Notification]:
    admins = db.session.scalars(select(User).where(User.role == Role.ADMIN, User.active.is_(True)))
    return notify(admins, kind, **kwargs)


def notify_organization(organization_id: int, kind: str, **kwargs) -> list[Notification]:
    """Notify every active staff member of an organisation."""
    staff = db.session.scalars(
        select(User).where(User.organization_id == organization_id, User.active.is_(True))
    )
    return notify(staff, kind, **kwargs)


def text(note: Notification, locale: str | None = None) -> str:
    """The notification's sentence in locale (the current one by default).

    A parameter given in each language (level_fr, level_en) fills its placeholder (level) in the
    language the sentence is read in.
    """
    kind = KINDS.get(note.kind)
    if kind is None:
        return ""
    if locale is None:
        return str(kind.text) % _params_in(note.params, current_locale())
    with force_locale(locale):
        return str(kind.text) % _params_in(note.params, locale)


def _params_in(params: dict, locale: str) -> dict:
    suffix = f"_{locale}"
    return {**params, **{k[: -len(suffix)]: v for k, v in params.items() if k.endswith(suffix)}}


def subject(note: Notification) -> str:
    kind = KINDS.get(note.kind)
    return str(kind.subject) if kind else ""


def link(note: Notification, external: bool = False) -> str | None:
    """Where the notification leads; works in a request and in a command (reminders)."""
    if not note.endpoint:
        return None
    try:
        if has_request_context():
            path = url_for(note.endpoint, **note.endpoint_args)
        else:
            with current_app.test_request_context():
                path = url_for(note.endpoint, **note.endpoint_args)
    except BuildError:  # a page that no longer exists: the notification still reads well
        return None
    if external:
        return public_address(path)
    return path


def unread_count(user: User) -> int:
    return db.session.execute(
        select(func.count(Notification.id)).where(
            Notification.user_id == user.id, Notification.read_at.is_(None)
        )
    ).scalar_one()


def for_user(user: User, limit: int = 50) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )


def mark_all_read(user: User, now: datetime | None = None) -> None:
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=now or utcnow())
    )


# --- E-mail -------------------------------------------------------------------------------------


def _mail_for(user: User, note: Notification) -> dict:
    """Everything the e-mail needs, worded now in the recipient's language."""
    locale = user.preferred_locale or "fr"
    with force_locale(locale):
        return {
            "to": user.email,
            "subject": subject(note),
            "locale": locale,
            "text": text(note),
            "link": link(note, external=True) or public_address("/"),
        }


# What each e-mail template is, for the administrators' list of failed e-mails (never its body).
MAIL_KINDS = {
    "application_exists": _l("Application with an address that already has an account"),
    "invitation": _l("Invitation"),
    "notification": _l("Notification"),
    "password_reset": _l("Password reset link"),
    "verify_email": _l("E-mail address confirmation link"),
}


def retry_failed_mail(message: MailOutbox, actor: User, remote_addr: str | None) -> None:
    """Give an e-mail kept after its last attempt a new set of attempts, and audit it."""
    retry_dead_letter(message)
    record(actor, "mail.retry", "mail_outbox", message.id, remote_addr)
