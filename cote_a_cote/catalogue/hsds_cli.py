"""Commands import-hsds and export-hsds: the catalogue as Open Referral HSDS 3.x JSON files.

Both stream: import reads, checks and writes a file of any size in batches (one transaction, all
or nothing), then rebuilds the search index once; export writes record by record. On a terminal
a progress line shows records read and written, the rate and the time left; otherwise a single
summary line is printed at the end.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import NoReturn

import click
import orjson
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import ngettext

from ..extensions import db
from ..progress import Progress
from .hsds_bulk import StatusPolicy
from .hsds_checks import Reference
from .hsds_crosswalk import CrosswalkInvalid, collect_terms, load_crosswalk, write_template
from .hsds_export import EXPORT_SCOPES, count_for_export, export_records
from .hsds_import import ImportFailed, StreamReport, import_records
from .hsds_reader import ReadFailed, open_records
from .models import OrganizationStatus

STATUS_CHOICES = ("submitted", "approved", "from-file")


def register(app: Flask) -> None:
    app.cli.add_command(import_hsds)
    app.cli.add_command(export_hsds)


_MAP_OPTION = click.option(
    "--map",
    "crosswalk",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV crosswalk from the file's taxonomy terms to ours (columns external, our_code).",
)
_UNMAPPED_OPTION = click.option(
    "--unmapped",
    type=click.Choice(("fail", "skip", "keep")),
    default="fail",
    show_default=True,
    help="A term neither ours nor in the crosswalk: a problem (fail), left out (skip), or "
    "kept beside the service for administrators, never used for search (keep).",
)
_STATUS_OPTION = click.option(
    "--status",
    type=click.Choice(STATUS_CHOICES),
    default="submitted",
    show_default=True,
    help="Vetting status of new organisations (submitted: imported, awaiting vetting; "
    "from-file: the file's quebec_profile.status). Existing ones keep theirs.",
)
_LIST_TERMS_OPTION = click.option(
    "--list-terms",
    "template",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Import nothing: write a crosswalk template listing every term the file uses.",
)


@click.command("import-hsds")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and write nothing.")
@_MAP_OPTION
@_UNMAPPED_OPTION
@_STATUS_OPTION
@_LIST_TERMS_OPTION
@with_appcontext
def import_hsds(path, dry_run, crosswalk, unmapped, status, template) -> None:
    """Import an HSDS 3.x JSON list of services: checked, all or nothing, matched by id."""
    # Messages go through Flask-Babel, which picks a locale from a request.
    with current_app.test_request_context():
        reference = _reference(crosswalk, unmapped)
        if template is not None:
            _list_terms(path, template, reference)
        else:
            _import(path, dry_run, reference, status)


@click.command("export-hsds")
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
@with_appcontext
def export_hsds(path: Path, scope: str, include_confidential_addresses: bool) -> None:
    """Write the catalogue's services as an HSDS 3.x JSON file that import-hsds reads."""
    with current_app.test_request_context():
        _export(path, scope, include_confidential_addresses)


# --- Import --------------------------------------------------------------------------------------


def _fail(problems: list[str], unmapped=None, not_listed: int = 0) -> NoReturn:
    for problem in problems:
        click.echo(problem, err=True)
    if not_listed:
        click.echo(_("… and %(num)d more problems.", num=not_listed), err=True)
    if unmapped:
        click.echo(
            _(
                "Taxonomy terms that could not be mapped: %(terms)s",
                terms="; ".join(f"{term} ({count})" for term, count in sorted(unmapped.items())),
            ),
            err=True,
        )
    click.echo(
        ngettext(
            "%(num)d problem: nothing was imported.",
            "%(num)d problems: nothing was imported.",
            len(problems) + not_listed,
        ),
        err=True,
    )
    raise click.exceptions.Exit(1)


def _reference(crosswalk: Path | None, unmapped: str) -> Reference:
    reference = Reference.load()
    reference.unmapped_policy = unmapped
    if crosswalk is not None:
        try:
            reference.crosswalk = load_crosswalk(crosswalk, reference)
        except CrosswalkInvalid as invalid:
            _fail(invalid.problems)
    return reference


def _import(path: Path, dry_run: bool, reference: Reference, status: str) -> None:
    policy = StatusPolicy(None if status == "from-file" else OrganizationStatus(status))
    progress = Progress(_("Importing"))
    report = _read_and_write(path, dry_run, reference, policy, progress)
    progress.done()
    for skipped in report.skipped:
        click.echo(_("Skipped service %(id)s: its status is not active.", id=skipped))
    if reference.unmapped:
        _echo_unmapped(reference)
    if dry_run:
        db.session.rollback()
        click.echo(
            ngettext(
                "%(num)d service checked: no problem found.",
                "%(num)d services checked: no problem found.",
                report.read - len(report.skipped),
            )
        )
        return
    db.session.commit()
    _report(report, policy, progress.elapsed())
    if report.written:
        # One rebuild instead of one outbox row per service: the bulk writes bypass the outbox.
        _rebuild_search_index()


def _read_and_write(
    path: Path, dry_run: bool, reference: Reference, policy: StatusPolicy, progress: Progress
) -> StreamReport:
    """Check the file and write it (unless dry_run) in the session; on failure roll back, exit."""
    size = max(path.stat().st_size, 1)
    with path.open("rb") as stream:
        try:
            reader, records = open_records(stream)
            return import_records(
                records,
                reference,
                policy,
                dry_run=dry_run,
                progress=lambda r: progress.show(r.read, r.written, reader.position / size),
            )
        except ReadFailed as failure:
            db.session.rollback()
            progress.done()
            _fail([str(failure)])
        except ImportFailed as failure:
            db.session.rollback()
            progress.done()
            _fail(failure.problems, reference.unmapped, failure.not_listed)
        except Exception as error:  # a database error: report it, keep nothing
            db.session.rollback()
            progress.done()
            reason = str(error).splitlines()[0] if str(error) else type(error).__name__
            _fail([_("The database refused the import: %(reason)s", reason=reason)])


def _echo_unmapped(reference: Reference) -> None:
    """The terms that could not be mapped, as kept or as left out, with their counts."""
    terms = "; ".join(f"{t} ({n})" for t, n in sorted(reference.unmapped.items()))
    if reference.unmapped_policy == "keep":
        click.echo(
            _(
                "Terms kept as external terms (shown to administrators, not used for "
                "search; an organisation's unknown sector is left out): %(terms)s",
                terms=terms,
            )
        )
    else:
        click.echo(_("Terms left out (not mapped): %(terms)s", terms=terms))


def _rebuild_search_index() -> None:
    context = click.get_current_context()
    reindex = current_app.cli.get_command(context, "reindex")
    if reindex is None:  # the search package registers it in every app
        raise RuntimeError("flask reindex is not registered")
    context.invoke(reindex)


def _report(report, policy: StatusPolicy, elapsed: float) -> None:
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
    if report.created["organizations"]:
        if policy.status is OrganizationStatus.SUBMITTED:
            click.echo(_("New organisations were imported as awaiting vetting (submitted)."))
        elif policy.status is None:
            click.echo(_("New organisations have the vetting status given in the file."))
        else:
            click.echo(_("New organisations were imported as approved (--status approved)."))
    click.echo(
        _(
            "%(read)d records read, %(written)d written in %(seconds).1f s (%(rate)d/s).",
            read=report.read,
            written=report.written,
            seconds=elapsed,
            rate=report.read / elapsed,
        )
    )


def _list_terms(path: Path, template: Path, reference: Reference) -> None:
    with path.open("rb") as stream:
        try:
            _reader, records = open_records(stream)
            rows = collect_terms(records, reference)
        except ReadFailed as failure:
            _fail([str(failure)])
    with template.open("w", encoding="utf-8", newline="") as out:
        write_template(rows, out)
    click.echo(
        ngettext(
            "%(num)d taxonomy term written to %(path)s: check the our_code column.",
            "%(num)d taxonomy terms written to %(path)s: check the our_code column.",
            len(rows),
            path=template,
        )
    )


# --- Export --------------------------------------------------------------------------------------


def _export(path: Path, scope: str, reveal: bool) -> None:
    total = count_for_export(scope)
    progress = Progress(_("Exporting"))
    written = 0
    # Write next to the target, then rename: a reader never sees half a file.
    handle, temporary = tempfile.mkstemp(dir=path.resolve().parent, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(b"[")
            for record in export_records(scope, reveal_confidential=reveal):
                out.write(b",\n" if written else b"\n")
                # orjson: UTF-8 bytes, about seven times faster than json.dumps on these records.
                out.write(orjson.dumps(record))
                written += 1
                progress.show(written, written, written / total if total else None)
            out.write(b"\n]\n")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    progress.done()
    click.echo(
        ngettext(
            "%(num)d service written to %(path)s",
            "%(num)d services written to %(path)s",
            written,
            path=path,
        )
    )
    click.echo(
        _("Written in %(seconds).1f s.", seconds=progress.elapsed()),
    )
    if reveal:
        click.echo(_("This file holds confidential addresses: keep it private."), err=True)
