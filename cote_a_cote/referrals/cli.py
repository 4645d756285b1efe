"""flask purge (daily, the privacy schedule) and flask referral-reminders (daily follow-ups)."""

from __future__ import annotations

import click
from flask import Flask

from ..database import utcnow
from ..extensions import db
from .purge import purge
from .upkeep import flag_overdue, flag_unavailable


def register(app: Flask) -> None:
    @app.cli.command("purge")
    def purge_command() -> None:
        """Erase referral free text after closure or consent expiry; delete old drafts."""
        counts = purge(utcnow())
        db.session.commit()
        click.echo(
            f"Purged: {counts.closed} closed referral(s), "
            f"{counts.expired_consent} with expired consent; "
            f"{counts.drafts_deleted} old draft(s) deleted; "
            f"{counts.codes_erased} person code(s) erased."
        )

    @app.cli.command("referral-reminders")
    def reminders_command() -> None:
        """Flag referrals without an answer, and those whose service became unavailable."""
        now = utcnow()
        overdue = flag_overdue(now)
        db.session.commit()
        unavailable = flag_unavailable(now)
        db.session.commit()
        click.echo(
            f"Referrals flagged: {len(overdue)} without answer, {len(unavailable)} to re-route."
        )
