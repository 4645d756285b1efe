"""flask daily: every scheduled task of the platform, run once a day by cron.

Each task commits on its own, so one failing keeps the others' work; a failure is reported and
makes the command exit non-zero once every task has had its turn.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import click
from flask import Flask, current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .database import utcnow
from .extensions import db


def _stale_reminders(now: datetime) -> int:
    from .vetting.services import send_stale_reminders

    return sum(send_stale_reminders(now))


def _trained_status(now: datetime) -> int:
    from .training.services import refresh_trained_status

    return refresh_trained_status(now)


def _training_expiry(now: datetime) -> int:
    from .training.services import send_expiry_notices

    return send_expiry_notices(now)


def _session_reminders(now: datetime) -> int:
    from .training.sessions import send_session_reminders

    return send_session_reminders(now)


def _recognition_expiry(now: datetime) -> int:
    from .recognition.services import send_expiry_notices

    return send_expiry_notices(now)


def _closures_and_pauses(now: datetime) -> int:
    from .portal.closure_services import daily_upkeep

    return daily_upkeep(now)


def _referral_follow_ups(now: datetime) -> int:
    from .referrals.upkeep import flag_overdue, flag_unavailable

    return len(flag_overdue(now)) + len(flag_unavailable(now))


def _privacy_purge(now: datetime) -> int:
    from .feedback.services import purge_comments
    from .referrals.purge import purge
    from .shortlists.services import purge_notes

    counts = purge(now)
    erased = purge_comments(now) + purge_notes(now)
    return counts.closed + counts.expired_consent + counts.drafts_deleted + erased


def _audit_anchor(now: datetime) -> int:
    from .audit.services import anchor_head

    # A copy of the head outside the database: removing events from the end is then detected.
    return int(anchor_head(now=now))


def _mail_outbox(now: datetime) -> int:
    from .mail.delivery import drain_outbox

    # Every task before has queued its e-mails: send them, and retry what failed before.
    return drain_outbox(now).sent


def _undelivered_mail(now: datetime) -> int:
    from .mail.delivery import purge_dead_letters

    return purge_dead_letters(now)


# In this order: training status before its notices; follow-ups before the purge; the mail
# outbox after every task that queues e-mail.
TASKS: list[tuple[object, Callable[[datetime], int]]] = [
    (_l("Stale-profile reminders sent"), _stale_reminders),
    (_l("Organisations whose trained status changed"), _trained_status),
    (_l("Training expiry notices sent"), _training_expiry),
    (_l("Reminders of coming training sessions sent"), _session_reminders),
    (_l("Recognition expiry notices sent"), _recognition_expiry),
    (_l("Pauses started or ended, closures that are over deleted"), _closures_and_pauses),
    (_l("Referrals flagged (no answer, service unavailable)"), _referral_follow_ups),
    (_l("Referrals purged or old drafts deleted"), _privacy_purge),
    (_l("Audit trail head anchored"), _audit_anchor),
    (_l("E-mails sent from the outbox"), _mail_outbox),
    (_l("Undelivered e-mails deleted after their retention period"), _undelivered_mail),
]


def run_daily(now: datetime, echo: Callable[[str], None]) -> bool:
    """Run every task at now; True when all succeeded."""
    ok = True
    for label, task in TASKS:
        try:
            count = task(now)
            db.session.commit()
        except Exception:
            db.session.rollback()
            current_app.logger.exception("Daily task failed: %s", task.__name__)
            echo(_("%(task)s: FAILED (see the log)", task=label))
            ok = False
        else:
            echo(_("%(task)s: %(count)d", task=label, count=count))
    return ok


def register(app: Flask) -> None:
    @app.cli.command("daily")
    def daily() -> None:
        """Reminders, trained status, follow-ups and the privacy purge (run once a day)."""
        with current_app.test_request_context():  # messages in the default language
            if not run_daily(utcnow(), click.echo):
                raise click.exceptions.Exit(1)
