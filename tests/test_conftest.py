"""What tests/conftest.py does to make the suite faster keeps working (a SQLAlchemy or Flask
upgrade that changes what it relies on fails here, by name, instead of slowing every test)."""

from __future__ import annotations

import shutil

from sqlalchemy import event, select

from cote_a_cote.accounts.models import User
from cote_a_cote.extensions import db
from tests.conftest import make_test_app, new_org


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
        assert db.engine.dialect is not first_dialect
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
        db.engine.dispose()
    assert seen == [True]
