"""SEARCH_BACKEND: PostgreSQL rows by default on a PostgreSQL database, Whoosh otherwise."""

from __future__ import annotations

import pytest

from cote_a_cote.config import build_config


@pytest.mark.parametrize(
    ("database_url", "setting", "expected"),
    [
        (None, None, "whoosh"),
        ("postgresql://user@dbhost/cac", None, "postgresql"),
        ("postgres://user@dbhost/cac", None, "postgresql"),
        ("postgresql://user@dbhost/cac", "whoosh", "whoosh"),
        ("postgresql://user@dbhost/cac", " PostgreSQL ", "postgresql"),
    ],
)
def test_the_backend_follows_the_database_unless_chosen(
    tmp_path, monkeypatch, database_url, setting, expected
):
    for name, value in (("DATABASE_URL", database_url), ("SEARCH_BACKEND", setting)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    assert build_config(tmp_path)["SEARCH_BACKEND"] == expected


@pytest.mark.parametrize(
    ("database_url", "setting", "message"),
    [
        ("postgresql://user@dbhost/cac", "elastic", "SEARCH_BACKEND must be whoosh or postgresql"),
        ("sqlite:///x.sqlite3", "postgresql", "needs a PostgreSQL DATABASE_URL"),
    ],
)
def test_a_wrong_backend_is_refused_at_start(tmp_path, monkeypatch, database_url, setting, message):
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("SEARCH_BACKEND", setting)
    with pytest.raises(RuntimeError, match=message):
        build_config(tmp_path)
