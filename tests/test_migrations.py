"""The migrations under version control build exactly the schema the models describe."""

import os
import subprocess
import sys

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from cote_a_cote.extensions import db, init_migrate
from tests.conftest import TEST_DATABASE_URL


def test_migrations_match_models(app, tmp_path):
    if TEST_DATABASE_URL:
        # Build into a separate schema so the shared test tables stay untouched.
        url = TEST_DATABASE_URL
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS migration_check CASCADE"))
            conn.execute(text("CREATE SCHEMA migration_check"))
        url = url + ("&" if "?" in url else "?") + "options=-csearch_path%3Dmigration_check"
    else:
        url = f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
    init_migrate(app)
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    engines = app.extensions["sqlalchemy"]._app_engines[app]
    original = engines[None]
    engines[None] = create_engine(url)
    try:
        upgrade()
        with engines[None].connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
        assert diff == [], f"models and migrations differ: {diff}"
    finally:
        engines[None].dispose()
        engines[None] = original
        if TEST_DATABASE_URL:
            with engine.begin() as conn:
                conn.execute(text("DROP SCHEMA IF EXISTS migration_check CASCADE"))
            engine.dispose()


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
