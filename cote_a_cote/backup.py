"""flask backup and flask restore-check: a copy of the database that is known to restore.

SQLite is copied with its online backup API (consistent while the platform serves); PostgreSQL
with pg_dump's custom format. restore-check opens a copy and checks what a restore would give:
the file is sound, every table's row count, and the audit chain (with this AUDIT_KEY and the
anchored heads). The search index is not backed up: `flask reindex` rebuilds it from the data.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import click
from flask import Flask, current_app
from sqlalchemy import create_engine, func, make_url, select
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

from .config import settings
from .extensions import db


def table_counts(session: Session) -> dict[str, int]:
    """Rows in every table of the models, by table name."""
    return {
        table.name: session.execute(select(func.count()).select_from(table)).scalar_one()
        for table in db.metadata.sorted_tables
    }


def _database_url() -> URL:
    return make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])


def backup_sqlite(source: Path, target: Path) -> None:
    """Copy a live SQLite database page by page (readers and writers may carry on)."""
    with closing(sqlite3.connect(source)) as origin, closing(sqlite3.connect(target)) as copy:
        origin.backup(copy)


def pg_dump_command(url: URL, target: Path) -> tuple[list[str], dict[str, str]]:
    """pg_dump's arguments and environment: the password travels in PGPASSWORD, not argv."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    dsn = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return ["pg_dump", "--format=custom", "--no-owner", f"--file={target}", dsn], env


def _backup_postgresql(url: URL, path: Path) -> None:
    command, env = pg_dump_command(url, path)
    program = shutil.which("pg_dump")
    if program is None:
        shown = " ".join(command[:-1] + ["postgresql://USER@HOST/DATABASE"])
        raise click.ClickException(f"pg_dump is not installed here. Run: {shown}")
    done = subprocess.run([program, *command[1:]], env=env, check=False)  # noqa: S603
    if done.returncode != 0:
        path.unlink(missing_ok=True)
        raise click.ClickException("pg_dump failed (see its message above).")


def backup(path: Path) -> None:
    """Write a consistent copy of the database to PATH (which must not exist yet)."""
    if path.exists():
        raise click.ClickException(f"{path} already exists: choose a new file name.")
    path.parent.mkdir(parents=True, exist_ok=True)
    url = _database_url()
    if url.get_backend_name() == "sqlite" and url.database:  # a file, not a memory database
        backup_sqlite(Path(url.database), path)
        path.chmod(0o600)
    elif url.get_backend_name() == "postgresql":
        _backup_postgresql(url, path)
    else:
        raise click.ClickException(f"No backup method for {url.get_backend_name()}.")
    click.echo(f"Backup written: {path}")
    click.echo("Check it with: flask restore-check " + str(path))


def _check_postgresql_archive(path: Path) -> None:
    pg_restore = shutil.which("pg_restore")
    if pg_restore is None:
        raise click.ClickException("pg_restore is not installed here.")
    listing = subprocess.run(  # noqa: S603 - fixed program, a path we were given
        [pg_restore, "--list", str(path)], capture_output=True, text=True, check=False
    )
    if listing.returncode != 0:
        raise click.ClickException("pg_restore cannot read this archive.")
    click.echo(f"PostgreSQL archive readable: {len(listing.stdout.splitlines())} entries.")
    click.echo("Restore it into an empty database, then run flask restore-check there")
    click.echo("(or flask verify-audit): see the README, Backups.")


def _open_sqlite_backup(path: Path) -> None:
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as raw:
            status = raw.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise click.ClickException(f"Not a backup this command can read: {error}") from error
    if status != "ok":
        raise click.ClickException(f"The backup is damaged: {status}")


def _read_sqlite_backup(path: Path):
    """Rows per table, the audit chain's report and the anchors, read from the backup."""
    from .audit.services import check_chain, read_anchors

    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    try:
        with Session(engine) as session:
            counts = table_counts(session)
            try:
                anchors = read_anchors(settings().audit_anchor_file)
            except ValueError as error:
                raise click.ClickException(f"Audit anchors unreadable: {error}") from error
            report = check_chain(session, watch=frozenset(a["id"] for a in anchors))
    finally:
        engine.dispose()
    return counts, report, anchors


def restore_check(path: Path) -> None:
    """Open a backup and check it: file sound, rows per table, audit chain and anchors."""
    from .audit.services import missing_anchors

    with path.open("rb") as file:
        magic = file.read(5)
    if magic == b"PGDMP":
        _check_postgresql_archive(path)
        return
    _open_sqlite_backup(path)
    counts, report, anchors = _read_sqlite_backup(path)
    for name, count in counts.items():
        click.echo(f"{name}: {count}")
    if report.broken is not None:
        raise click.ClickException(f"Audit trail BROKEN in the backup at event {report.broken}.")
    # Anchors written after the backup name events it cannot hold yet.
    lost = [a for a in missing_anchors(report, anchors) if a["id"] <= (report.head_id or 0)]
    if lost:
        raise click.ClickException(
            f"Audit trail in the backup lacks anchored event {lost[0]['id']}."
        )
    click.echo(f"Backup OK: {sum(counts.values())} rows, {report.count} audit event(s) verified.")


def register(app: Flask) -> None:
    for name, callback, must_exist in (
        ("backup", backup, False),
        ("restore-check", restore_check, True),
    ):
        path = click.Argument(
            ["path"], type=click.Path(exists=must_exist, dir_okay=False, path_type=Path)
        )
        app.cli.add_command(
            click.Command(name, callback=callback, params=[path], help=callback.__doc__)
        )
