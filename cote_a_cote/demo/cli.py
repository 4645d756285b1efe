"""The seed-demo command."""

from __future__ import annotations

import time

import click
from flask import Flask
from sqlalchemy import func, select

from ..catalogue.models import Organization
from ..extensions import db
from .seeding import seed_demo


def register(app: Flask) -> None:
    @app.cli.command("seed-demo")
    @click.option(
        "--if-empty",
        is_flag=True,
        help="Do nothing when the database already holds organisations (first run of make run).",
    )
    @click.option(
        "--reset-passwords",
        is_flag=True,
        help="Generate and print new passwords for the existing demo accounts.",
    )
    def seed_demo_command(if_empty: bool, reset_passwords: bool) -> None:
        """Load the taxonomy, regions, fictional demo catalogue and demo accounts (idempotent)."""
        if if_empty and db.session.scalar(select(func.count(Organization.id))):
            click.echo("The database already holds organisations: demo catalogue not loaded.")
            return
        started = time.perf_counter()
        report = seed_demo(echo=click.echo, reset_passwords=reset_passwords)
        db.session.commit()
        click.echo(
            f"Demo catalogue (fictional): {report.providers} provider organisations, "
            f"{report.services} services, {report.organizations - report.providers} referring "
            f"and coordinating organisations; {report.created} rows created, "
            f"{report.updated} updated in {time.perf_counter() - started:.1f} s."
        )
        click.echo(
            f"Demo accounts: {len(report.accounts_created)} created, "
            f"{len(report.accounts_existing)} already present."
        )
