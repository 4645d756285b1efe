"""Catalogue commands: seed-demo."""

from __future__ import annotations

import click
from flask import Flask


def register(app: Flask) -> None:
    @app.cli.command("seed-demo")
    def seed_demo() -> None:
        """Load the taxonomy, regions, the fictional demo catalogue and demo accounts (idempotent)."""
        click.echo("seed-demo is not built yet")
