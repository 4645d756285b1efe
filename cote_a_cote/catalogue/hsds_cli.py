"""Commands import-hsds and export-hsds: the catalogue as Open Referral HSDS 3.x JSON files."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import click
from flask import Flask, current_app
from flask_babel import gettext as _
from flask_babel import ngettext

from ..extensions import db
from .hsds import service_to_hsds
from .hsds_import import (
    EXPORT_SCOPES,
    ImportFailed,
    apply_plan,
    parse_records,
    services_for_export,
    validate,
)


def register(app: Flask) -> None:
    @app.cli.command("import-hsds")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--dry-run", is_flag=True, help="Check the file and write nothing.")
    def import_hsds(path: Path, dry_run: bool) -> None:
        """Import an HSDS 3.x JSON list of services: checked first, all or nothing, by id."""
        # Messages go through Flask-Babel, which picks a locale from a request.
        with current_app.test_request_context():
            _import(path, dry_run)

    @app.cli.command("export-hsds")
    @click.argument("path", type=click.Path(dir_okay=False, writable=True, path_type=Path))
    @click.option(
        "--scope",
        type=click.Choice(EXPORT_SCOPES),
        default="listed",
        show_default=True,
        help="public: what the API shows; listed: approved providers; all: every provider.",
    )
    @click.option(
        "--include-confidential-addresses",
        is_flag=True,
        help="Also write the street, postal code and coordinates of confidential locations.",
    )
    def export_hsds(path: Path, scope: str, include_confidential_addresses: bool) -> None:
        """Write the catalogue's services as an HSDS 3.x JSON file that import-hsds reads."""
        with current_app.test_request_context():
            _export(path, scope, include_confidential_addresses)


def _fail(problems: list[str], unmapped: list[str] = ()) -> None:
    for problem in problems:
        click.echo(problem, err=True)
    if unmapped:
        click.echo(
            _("Taxonomy terms that could not be mapped: %(terms)s", terms="; ".join(unmapped)),
            err=True,
        )
    click.echo(
        ngettext(
            "%(num)d problem: nothing was imported.",
            "%(num)d problems: nothing was imported.",
            len(problems),
        ),
        err=True,
    )
    raise click.exceptions.Exit(1)


def _import(path: Path, dry_run: bool) -> None:
    try:
        records = parse_records(path.read_text(encoding="utf-8"))
        plan = validate(records)
    except UnicodeDecodeError:
        _fail([_("The file is not UTF-8 text.")])
    except ImportFailed as failure:
        _fail(failure.problems, failure.unmapped_terms)
    for skipped in plan.skipped:
        click.echo(_("Skipped service %(id)s: its status is not active.", id=skipped))
    if dry_run:
        click.echo(
            ngettext(
                "%(num)d service checked: no problem found.",
                "%(num)d services checked: no problem found.",
                len(plan.services),
            )
        )
        return
    try:
        with click.progressbar(length=len(plan.services), label=_("Importing")) as bar:
            report = apply_plan(plan, progress=bar.update)
        db.session.commit()
    except Exception as error:  # a database error: report it, keep nothing
        db.session.rollback()
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        _fail([_("The database refused the import: %(reason)s", reason=reason)])
    for kind, label in (
        ("organizations", _("organisations")),
        ("locations", _("locations")),
        ("services", _("services")),
    ):
        click.echo(
            _(
                "%(label)s: %(created)d created, %(updated)d updated",
                label=label,
                created=report.created[kind],
                updated=report.updated[kind],
            )
        )


def _export(path: Path, scope: str, reveal: bool) -> None:
    services = services_for_export(scope)
    with click.progressbar(services, label=_("Exporting")) as bar:
        records = [service_to_hsds(service, reveal_confidential=reveal) for service in bar]
    # Write next to the target, then rename: a reader never sees half a file.
    handle, temporary = tempfile.mkstemp(dir=path.resolve().parent, suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(records, out, ensure_ascii=False, indent=2)
        out.write("\n")
    os.replace(temporary, path)
    click.echo(
        ngettext(
            "%(num)d service written to %(path)s",
            "%(num)d services written to %(path)s",
            len(records),
            path=path,
        )
    )
    if reveal:
        click.echo(_("This file holds confidential addresses: keep it private."), err=True)
