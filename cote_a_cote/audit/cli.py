"""flask verify-audit: check the audit trail's keyed hash chain and the anchored heads."""

from __future__ import annotations

import click
from flask import Flask, current_app

from .services import check_chain, missing_anchors, read_anchors


def register(app: Flask) -> None:
    @app.cli.command("verify-audit")
    def verify_audit() -> None:
        """Check every event's keyed hash and link, and that every anchored head is still there.

        Exits 1 naming the first broken event, or the anchored heads the chain lost.
        """
        try:
            anchors = read_anchors(current_app.config["AUDIT_ANCHOR_FILE"])
        except ValueError as error:
            click.echo(f"Audit anchors UNREADABLE: {error}.")
            raise SystemExit(1) from error
        report = check_chain(watch=frozenset(a["id"] for a in anchors))
        if report.broken is not None:
            click.echo(f"Audit trail BROKEN: event {report.broken} does not match the chain.")
            click.echo("Events were changed, removed or reordered, or AUDIT_KEY is not the one")
            click.echo("the chain was written with.")
            raise SystemExit(1)
        lost = missing_anchors(report, anchors)
        if lost:
            first = lost[0]
            click.echo(
                f"Audit trail BROKEN: {len(lost)} anchored head(s) missing or changed, "
                f"the first event {first['id']} anchored at {first['at']} "
                "(events removed from the end, or the chain rebuilt)."
            )
            raise SystemExit(1)
        click.echo(f"Audit trail OK: {report.count} event(s) verified.")
        if report.legacy:
            click.echo(
                f"{report.legacy} event(s) from before the chain was keyed are checked "
                "without the key (plain sha256)."
            )
        if anchors:
            click.echo(f"{len(anchors)} anchored head(s) found in the chain.")
