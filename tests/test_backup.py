"""The restore drill: back up, destroy, restore as the README says, and find everything again."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from flask import current_app
from sqlalchemy import make_url

from cote_a_cote.audit.services import anchor_head, record
from cote_a_cote.backup import table_counts
from cote_a_cote.extensions import db
from cote_a_cote.roles import Role
from cote_a_cote.search import sync
from cote_a_cote.search.query import Audience, SearchParams, search_services
from tests.conftest import TEST_DATABASE_URL


def found(q: str) -> list[int]:
    return list(search_services(SearchParams(q=q), Audience.INTERVENANTE).service_ids)


def restart_search() -> None:
    """Forget this process's searcher, as a freshly started worker would."""
    current_app.extensions["search"].reader.close()
    sync.init_sync(current_app)


def test_backup_destroy_restore_finds_the_same_platform(
    app, runner, reference, make_service, make_user, tmp_path
):
    admin = make_user(role=Role.ADMIN)
    for n in range(3):
        make_service(name_fr=f"Clinique dentaire fictive {n}")
    make_service(name_fr="Hébergement d’urgence fictif")
    for n in range(4):
        record(admin, "referral.view", "referral", n + 1, "192.0.2.9")
    db.session.commit()
    anchor_head()
    assert runner.invoke(args=["reindex", "--procs", "1"]).exit_code == 0
    before_search = {q: found(q) for q in ("dentaire", "urgence")}
    assert len(before_search["dentaire"]) == 3
    before_counts = table_counts(db.session)
    assert before_counts["audit_event"] == 4 and before_counts["service"] == 4

    backup = tmp_path / "backups" / "cote_a_cote.backup"
    result = runner.invoke(args=["backup", str(backup)])
    assert result.exit_code == 0, result.output
    again = runner.invoke(args=["backup", str(backup)])
    assert again.exit_code != 0 and "already exists" in again.output  # never overwritten
    check = runner.invoke(args=["restore-check", str(backup)])
    assert check.exit_code == 0, check.output

    # Disaster: the database and the index are gone.
    db.session.remove()
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if TEST_DATABASE_URL:
        db.drop_all()
    else:
        db.engine.dispose()
        Path(url.database).unlink()
    shutil.rmtree(current_app.config["SEARCH_INDEX_DIR"])

    # The restore, as the README's Backups section says.
    if TEST_DATABASE_URL:
        dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
        subprocess.run(  # noqa: S603
            ["pg_restore", "--clean", "--if-exists", "--no-owner", f"--dbname={dsn}", str(backup)],  # noqa: S607
            check=True,
        )
        assert "PostgreSQL archive readable" in check.output
    else:
        shutil.copyfile(backup, url.database)
        assert "Backup OK: " in check.output and "4 audit event(s) verified" in check.output
    db.engine.dispose()

    verify = runner.invoke(args=["verify-audit"])
    assert verify.exit_code == 0, verify.output
    assert "Audit trail OK: 4 event(s) verified." in verify.output
    assert "1 anchored head(s) found in the chain." in verify.output
    assert table_counts(db.session) == before_counts
    assert runner.invoke(args=["reindex", "--procs", "1"]).exit_code == 0
    restart_search()
    assert {q: found(q) for q in ("dentaire", "urgence")} == before_search


def test_restore_check_refuses_a_damaged_or_rewritten_backup(app, runner, make_user, tmp_path):
    record(make_user(role=Role.ADMIN), "referral.view", "referral", 1)
    db.session.commit()
    garbage = tmp_path / "garbage.backup"
    garbage.write_bytes(b"not a database at all" * 100)
    result = runner.invoke(args=["restore-check", str(garbage)])
    assert result.exit_code != 0 and "Not a backup this command can read" in result.output
    if TEST_DATABASE_URL:
        return  # the SQLite checks below read a SQLite file
    backup = tmp_path / "copy.backup"
    assert runner.invoke(args=["backup", str(backup)]).exit_code == 0
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(backup)) as raw:
        raw.execute("UPDATE audit_event SET action = 'referral.close'")
        raw.commit()
    result = runner.invoke(args=["restore-check", str(backup)])
    assert result.exit_code != 0 and "Audit trail BROKEN in the backup" in result.output
