"""Search commands: reindex.

On a terminal reindex shows a progress line (services done, rate, time left); otherwise it prints
one summary line at the end, as import-hsds does.
"""

from __future__ import annotations

import os
import signal
import sys

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _

from ..progress import Progress


def default_procs() -> int:
    """Whoosh writes one segment per process; beyond four the parent feeding them is the limit."""
    return max(1, min(os.cpu_count() or 1, 4))


def register(app: Flask) -> None:
    app.cli.add_command(reindex)


@click.command("reindex")
@click.option(
    "--procs",
    type=click.IntRange(min=1),
    default=default_procs,
    show_default="one per CPU, at most 4",
    help="Processes that index at once.",
)
@with_appcontext
def reindex(procs: int) -> None:
    """Rebuild the search index from the database, then swap it in (safe while serving)."""
    # A service manager's SIGTERM unwinds the build like Ctrl-C: the indexing processes are
    # ended, the half-built generation removed and the writer lock released. (A SIGKILL
    # skips all that; the indexing processes then die with us, see backend_whoosh.)
    previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        with current_app.test_request_context():  # messages in the default language
            _rebuild_showing_progress(procs)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _rebuild_showing_progress(procs: int) -> None:
    """Rebuild the index with a progress line, then say how many services it holds and how fast."""
    from .sync import count_indexable, rebuild_index

    total = count_indexable()
    progress = Progress(_("Indexing services"))
    done = 0

    def advance(count: int) -> None:
        nonlocal done
        done += count
        progress.show_count(done, total)

    try:
        count = rebuild_index(advance=advance, procs=procs)
    finally:
        progress.done()
    elapsed = progress.elapsed()
    click.echo(
        _(
            "Search index rebuilt: %(count)d services in %(seconds).1f s (%(rate)d/s).",
            count=count,
            seconds=elapsed,
            rate=count / elapsed,
        )
    )


def _exit_on_sigterm(signum, _frame) -> None:
    sys.exit(128 + signum)
