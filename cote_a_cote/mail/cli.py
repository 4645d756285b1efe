"""flask mail-worker: drain the mail outbox in a loop, retrying what the mail server refused."""

from __future__ import annotations

import signal
import threading

import click
from flask import Flask, current_app

from ..config import settings
from .delivery import drain_outbox


def register(app: Flask) -> None:
    @app.cli.command("mail-worker")
    @click.option("--once", is_flag=True, help="Drain the due messages once, then stop.")
    @click.option(
        "--interval",
        type=click.IntRange(min=1),
        default=None,
        help="Seconds between two looks at the outbox (MAIL_WORKER_INTERVAL by default).",
    )
    def mail_worker(once: bool, interval: int | None) -> None:
        """Send queued e-mails, retrying failed ones with backoff, until stopped (SIGTERM)."""
        interval = interval or settings().mail_worker_interval
        stop = threading.Event()
        if not once:
            # A service manager's SIGTERM ends the loop between two drains, never mid-send.
            signal.signal(signal.SIGTERM, lambda *_: stop.set())
        while True:
            try:
                result = drain_outbox()
            except Exception as error:  # the database is away: try again at the next turn
                current_app.logger.error("Mail outbox not drained (%s)", type(error).__name__)
            else:
                if result.sent or result.failed or once:
                    click.echo(
                        f"E-mails sent: {result.sent}, failed: {result.failed}, "
                        f"kept for an administrator: {result.dead}"
                    )
            if once or stop.wait(interval):
                return
