"""What tests/conftest.py does to make the suite faster keeps working (a SQLAlchemy or Flask
upgrade that changes what it relies on fails here, by name, instead of slowing every test)."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import event, select, text

from cote_a_cote.accounts.models import User
from cote_a_cote.extensions import db
from tests.conftest import TEST_DATABASE_URL, make_test_app, new_org
from tests.conftest import app as app_fixture


def _next_app(tmp_path, monkeypatch):
    """Another test app, on a copy of this test's database."""
    folder = tmp_path / "next"
    folder.mkdir()
    if (tmp_path / "test.sqlite3").exists():
        shutil.copyfile(tmp_path / "test.sqlite3", folder / "test.sqlite3")
    return make_test_app(folder, monkeypatch)


def test_sql_compiled_for_one_test_app_is_reused_by_the_next_apps_engine(
    app, tmp_path, monkeypatch
):
    statement = select(User.id).where(User.email == "nobody@example.org")
    first_dialect = db.engine.dialect
    with db.engine.connect() as connection:
        assert connection.execute(statement).all() == []
    with _next_app(tmp_path, monkeypatch).app_context():
        # SQLite: an engine of its own on the next test's file; PostgreSQL: the one engine.
        assert (db.engine.dialect is first_dialect) == bool(TEST_DATABASE_URL)
        with db.engine.connect() as connection:
            result = connection.execute(statement)
            assert result.all() == []
            assert result.context.cache_hit is first_dialect.CACHE_HIT
        db.engine.dispose()


def test_the_orms_inserts_compiled_for_one_test_app_are_reused_by_the_next(
    app, tmp_path, monkeypatch
):
    new_org(name="Première")
    following = _next_app(tmp_path, monkeypatch)
    with following.app_context():
        seen = []

        @event.listens_for(db.engine, "before_cursor_execute")
        def note(connection, cursor, statement, parameters, context, executemany):
            if statement.startswith("INSERT INTO organization"):
                seen.append(context.cache_hit is context.dialect.CACHE_HIT)

        new_org(name="Seconde")
        db.session.remove()
        event.remove(db.engine, "before_cursor_execute", note)  # PostgreSQL's engine lives on
        db.engine.dispose()
    assert seen == [True]


def _in_a_test_app(tmp_path, monkeypatch, request, statement: str) -> tuple[int, object]:
    """Run the app fixture (set-up, then teardown) as a test does, and statement in it, left
    uncommitted: the server process it talked to, and what the statement answered."""
    fixture = app_fixture.__wrapped__(tmp_path, monkeypatch, {}, request)
    next(fixture)
    backend = db.session.execute(text("SELECT pg_backend_pid()")).scalar()
    answer = db.session.execute(text(statement)).scalar()
    next(fixture, None)  # the teardown
    return backend, answer


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="PostgreSQL: SQLite has a file per test")
def test_the_next_test_on_postgresql_talks_to_the_same_server_process_with_nothing_left_open(
    tmp_path, monkeypatch, request
):
    """Its catalogue caches are warm (see _share_postgres_engine), and it holds no transaction
    of the test before: what that test left uncommitted is gone."""
    first, added = _in_a_test_app(
        tmp_path,
        monkeypatch,
        request,
        "INSERT INTO region (code, name_fr, name_en, position) "
        "VALUES ('99', 'Jamais validée', 'Never committed', 0) RETURNING code",
    )
    assert added == "99"
    then, left = _in_a_test_app(
        tmp_path, monkeypatch, request, "SELECT count(*) FROM region WHERE code = '99'"
    )
    assert (then, left) == (first, 0)
