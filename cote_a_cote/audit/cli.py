"""flask verify-audit: check the audit trail's keyed hash chain and the anchored heads."""

from __future__ import annotations

import click
from flask import Flask

from .services import verify_trail


def register(app: Flask) -> None:
    @app.cli.command("verify-audit")
    def verify_audit() -> None:
        """Check every event's keyed hash and link, and that every anchored head is still there.

        Exits 1 naming the first broken event, or the anchored heads the chain lost.
        """
        check = verify_trail()
        report = check.report
        if report.broken is not None:
            click.echo(f"Audit trail BROKEN: event {report.broken} does not match the chain.")
            click.echo("Events were changed, removed or reordered, or AUDIT_KEY is not the one")
            click.echo("the chain was written with.")
            raise SystemExit(1)
        if check.lost:
            first = check.lost[0]
            click.echo(
                f"Audit trail BROKEN: {len(check.lost)} anchored head(s) missing or changed, "
                f"the first event {first['id']} anchored at {first['at']} "
                "(events removed from the end, or the chain rebuilt)."
            )
            raise SystemExit(1)
        if check.anchors_unreadable:
            click.echo("Audit anchors UNREADABLE: AUDIT_ANCHOR_FILE is not a file of anchors.")
            raise SystemExit(1)
        click.echo(f"Audit trail OK: {report.count} event(s) verified.")
        if report.legacy:
            click.echo(
                f"{report.legacy} event(s) from before the chain was keyed are checked "
                "without the key (plain sha256)."
            )
        if check.anchors:
            click.echo(f"{check.anchors} anchored head(s) found in the chain.")
