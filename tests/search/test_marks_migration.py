"""The migration that marks each search row's terms in search_text (PostgreSQL backend)."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from tests.conftest import TEST_DATABASE_URL
from tests.migrating import migrated_database, postgresql_schema, search_text_row

REVISION = "e6a2c9f4b1d7"
BEFORE = "d4b7e1a9c3f2"

pytestmark = pytest.mark.skipif(
    not TEST_DATABASE_URL, reason="search_text holds a tsvector on PostgreSQL only"
)


def _vectors(conn) -> dict[int, str]:
    rows = conn.execute(text("SELECT service_id, tsv::text FROM search_text ORDER BY 1"))
    return dict(rows.all())


def test_rows_already_indexed_get_their_term_marks_and_lose_them_on_the_way_back(app):
    with (
        postgresql_schema(TEST_DATABASE_URL, "marks_migration") as url,
        migrated_database(app, url) as engine,
    ):
        upgrade(revision=BEFORE)
        with engine.begin() as conn:
            search_text_row(conn, 1, [9, 4], "'avocat':1A 'statut':2C")
            search_text_row(conn, 2, [], "'logement':1A")
            before = _vectors(conn)
        upgrade(revision=REVISION)
        with engine.connect() as conn:
            assert _vectors(conn) == {
                1: "'#t4' '#t9' 'avocat':1A 'statut':2C",
                2: "'logement':1A",
            }
            # What a search asks of it: a word through a term, a word of the text, together.
            found = conn.execute(
                text("SELECT service_id FROM search_text WHERE tsv @@ '''#t4'' & ''statut'''")
            ).scalars()
            assert list(found) == [1]
        downgrade(revision=BEFORE)
        with engine.connect() as conn:
            assert _vectors(conn) == before
