"""Search commands: reindex."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask_babel import gettext as _


def register(app: Flask) -> None:
    @app.cli.command("reindex")
    @click.option("--procs", default=1, show_default=True, help="Processes that index at once.")
    def reindex(procs: int) -> None:
        """Rebuild the search index from the database, then swap it in (safe while serving)."""
        from .sync import count_indexable, rebuild_index

        with current_app.test_request_context():  # messages in the default language
            total = count_indexable()
            with click.progressbar(length=total, label=_("Indexing services")) as bar:
                count = rebuild_index(advance=bar.update, procs=max(1, procs))
            click.echo(_("Search index rebuilt: %(count)d services.", count=count))
