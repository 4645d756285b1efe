"""flask verify-audit: check the audit trail's hash chain."""

from __future__ import annotations

import click
from flask import Flask
from sqlalchemy import func, select

from ..extensions import db
from .models import AuditEvent
from .services import verify_chain


def register(app: Flask) -> None:
    @app.cli.command("verify-audit")
    def verify_audit() -> None:
        """Check every event's hash and link; name the first broken one and exit 1 if any."""
        broken = verify_chain()
        if broken is not None:
            click.echo(f"Audit trail BROKEN: event {broken} does not match the chain.")
            raise SystemExit(1)
        count = db.session.scalar(select(func.count(AuditEvent.id)))
        click.echo(f"Audit trail OK: {count} event(s) verified.")
