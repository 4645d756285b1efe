"""The signed-in user's notifications, and the unread count the header shows on every page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from ..mail import delivery
from ..mail.models import MailOutbox
from ..roles import Role, login_required, role_required
from . import services

bp = Blueprint("notifications", __name__)


@dataclass(frozen=True)
class NotificationItem:
    text: str
    link: str | None
    created_at: datetime
    unread: bool


@bp.app_context_processor
def notification_helpers() -> dict:
    return {"unread_notifications": unread_notifications}


def unread_notifications() -> int:
    """The signed-in user's unread count: one COUNT query per request, 0 for visitors."""
    if "unread_notifications" not in g:
        count = 0
        if current_user.is_authenticated:
            try:
                count = services.unread_count(current_user)
            except SQLAlchemyError:
                # Error pages show the header too: a database fault must not break them again.
                db.session.rollback()
        g.unread_notifications = count
    return g.unread_notifications


@bp.get("/notifications")
@login_required
def index():
    items = [
        NotificationItem(services.text(n), services.link(n), n.created_at, n.read_at is None)
        for n in services.for_user(current_user)
    ]
    return render_template("notifications/index.html", items=items)


@bp.post("/notifications/tout-marquer-comme-lu")
@login_required
def mark_all_read():
    services.mark_all_read(current_user)
    db.session.commit()
    flash(_("All your notifications are marked as read."), "success")
    return redirect(url_for("notifications.index"))


# --- E-mails the mail server never accepted (administrators) --------------------------------------


@bp.get("/admin/courriels-non-remis")
@role_required(Role.ADMIN)
def mail_failures():
    return render_template(
        "notifications/mail_failures.html",
        messages=delivery.dead_letters(),
        retrying=delivery.retrying_count(),
        kinds=services.MAIL_KINDS,
    )


@bp.post("/admin/courriels-non-remis/<int:message_id>/reessayer")
@role_required(Role.ADMIN)
def retry_mail(message_id: int):
    message = db.session.get(MailOutbox, message_id)
    if message is None or message.dead_at is None:
        abort(404)
    services.retry_failed_mail(message, current_user, request.remote_addr)
    db.session.commit()
    flash(_("The e-mail will be sent again in a moment."), "success")
    return redirect(url_for("notifications.mail_failures"))
