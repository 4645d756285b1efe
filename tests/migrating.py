"""Running the migrations in a test: on a database of the test's own, never the shared one."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine, text

from cote_a_cote.extensions import init_migrate


@contextmanager
def migrated_database(app, url: str) -> Iterator[Engine]:
    """The app's engine (and database URL) replaced by one on url while the block runs, so
    Flask-Migrate's upgrade() and downgrade() work there; the app's own come back afterwards."""
    init_migrate(app)
    original_url = app.config["SQLALCHEMY_DATABASE_URI"]
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    engines = app.extensions["sqlalchemy"]._app_engines[app]
    original = engines[None]
    engine = engines[None] = create_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()
        engines[None] = original
        app.config["SQLALCHEMY_DATABASE_URI"] = original_url


@contextmanager
def postgresql_schema(database_url: str, name: str) -> Iterator[str]:
    """A new, empty schema of the PostgreSQL database, dropped afterwards: the URL whose
    connections work in it."""
    admin = create_engine(database_url)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {name} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {name}"))
    separator = "&" if "?" in database_url else "?"
    try:
        yield f"{database_url}{separator}options=-csearch_path%3D{name}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {name} CASCADE"))
        admin.dispose()


def search_text_row(conn, service_id: int, term_ids: list[int], tsv: str) -> None:
    """A search row as the PostgreSQL backend wrote it while its words were in search_text
    (revisions a9d4e2f7c1b8 to e6a2c9f4b1d7), for the migrations that change them."""
    conn.execute(
        text(
            "INSERT INTO search_document (service_id, organization_id, audience, flags, "
            "term_ids, excluded, facet_codes, head, name_fr_key, name_en_key, modified, "
            "open_week, closed_days, closed_hours) VALUES (:id, 1, 'public', 0, :terms, '{}', "
            "'{}', '', 'a', 'a', 0, '{}', '{}', '{}')"
        ),
        {"id": service_id, "terms": term_ids},
    )
    conn.execute(
        text("INSERT INTO search_text (service_id, tsv) VALUES (:id, CAST(:tsv AS tsvector))"),
        {"id": service_id, "tsv": tsv},
    )
