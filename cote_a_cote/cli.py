"""Flask commands: flask --app cote_a_cote <command>."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import ScriptInfo

from .extensions import init_migrate


@click.command(
    "db",
    add_help_option=False,
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
)
@click.pass_context
def migration_commands(ctx: click.Context) -> None:
    """Database migrations: Flask-Migrate's commands (flask db upgrade, …)."""
    # Imported only now: the app itself does not load Flask-Migrate (see init_migrate).
    init_migrate(ctx.ensure_object(ScriptInfo).load_app())
    from flask_migrate.cli import db

    db.main(args=ctx.args, prog_name=ctx.command_path, obj=ctx.obj, standalone_mode=False)


def init_cli(app: Flask) -> None:
    from .audit.cli import register as register_audit
    from .backup import register as register_backup
    from .catalogue.hsds_cli import register as register_hsds
    from .daily import register as register_daily
    from .demo.cli import register as register_demo
    from .mail.cli import register as register_mail
    from .referrals.cli import register as register_referrals
    from .search.cli import register as register_search

    app.cli.add_command(migration_commands)
    register_demo(app)
    register_hsds(app)
    register_search(app)
    register_daily(app)
    register_audit(app)
    register_referrals(app)
    register_mail(app)
    register_backup(app)
