"""The migrations under version control build exactly the schema the models describe."""

import os
import subprocess
import sys
from contextlib import ExitStack

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from cote_a_cote.extensions import db
from tests.conftest import TEST_DATABASE_URL
from tests.migrating import migrated_database, postgresql_schema


def test_migrations_match_models(app, tmp_path):
    with ExitStack() as stack:
        if TEST_DATABASE_URL:
            # Build into a separate schema so the shared test tables stay untouched.
            url = stack.enter_context(postgresql_schema(TEST_DATABASE_URL, "migration_check"))
        else:
            url = f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
        engine = stack.enter_context(migrated_database(app, url))
        upgrade()
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
        assert diff == [], f"models and migrations differ: {diff}"


def test_flask_db_upgrade_builds_the_database(tmp_path):
    # What `make run` does first, through the real command line.
    database = tmp_path / "fresh.sqlite3"
    env = {
        **os.environ,
        "SECRET_KEY": "test-only",
        "DATABASE_URL": f"sqlite:///{database}",
        "INSTANCE_PATH": str(tmp_path),
    }
    command = [sys.executable, "-m", "flask", "--app", "cote_a_cote", "db", "upgrade"]
    subprocess.run(command, capture_output=True, env=env, check=True)  # noqa: S603
    heads = subprocess.run(  # noqa: S603 - our own interpreter
        [*command[:-1], "heads"], capture_output=True, text=True, env=env, check=True
    )
    head = heads.stdout.split()[0]
    engine = create_engine(f"sqlite:///{database}")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head
        assert conn.execute(text("SELECT count(*) FROM service")).scalar() == 0
    engine.dispose()


def test_a_web_worker_loads_neither_alembic_nor_holidays(tmp_path):
    # What gunicorn does: build the app and serve; the migration tools and the holiday calendars
    # (some 23 MiB together) stay out of every worker.
    script = (
        "import sys; from cote_a_cote import create_app; create_app(); "
        "heavy = ('alembic', 'flask_migrate', 'mako', 'holidays'); "
        "print(sorted(name for name in heavy if name in sys.modules))"
    )
    env = {
        **os.environ,
        "SECRET_KEY": "test-only",
        "DATABASE_URL": "sqlite://",
        "INSTANCE_PATH": str(tmp_path),
    }
    found = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    )
    assert found.stdout.strip() == "[]"
