"""The migrations under version control build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from cote_a_cote.extensions import db
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
