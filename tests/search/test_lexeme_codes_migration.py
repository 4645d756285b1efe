# ruff: noqa: S608 - the statements compose only parameter names and their own conditions
"""The migration that moves a search row's words from search_text into codes in the row itself
(PostgreSQL backend)."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from tests.conftest import TEST_DATABASE_URL
from tests.migrating import migrated_database, postgresql_schema, search_text_row

REVISION = "f5c1d8a3b7e2"
BEFORE = "e6a2c9f4b1d7"

pytestmark = pytest.mark.skipif(
    not TEST_DATABASE_URL, reason="search_text held a tsvector on PostgreSQL only"
)


def _holding(conn, *words: list) -> list[int]:
    """The rows holding every word, each word given as its stems and term ids (negated in lex),
    as a search asks it."""
    conditions, params = [], {}
    for i, (stems, term_ids) in enumerate(words):
        params[f"s{i}"], params[f"t{i}"] = stems, term_ids
        conditions.append(
            f"lex && (ARRAY(SELECT id FROM search_lexeme WHERE lexeme = ANY(:s{i})) "
            f"|| ARRAY(SELECT -t FROM unnest(CAST(:t{i} AS integer[])) t))"
        )
    rows = conn.execute(
        text(f"SELECT service_id FROM search_document WHERE {' AND '.join(conditions)} ORDER BY 1"),
        params,
    )
    return list(rows.scalars())


def test_rows_already_indexed_get_their_codes_and_get_their_words_back_on_the_way_back(app):
    with (
        postgresql_schema(TEST_DATABASE_URL, "lexeme_migration") as url,
        migrated_database(app, url) as engine,
    ):
        upgrade(revision=BEFORE)
        with engine.begin() as conn:
            search_text_row(conn, 1, [9, 4], "'#t4' '#t9' 'avocat':1A 'statut':2C")
            search_text_row(conn, 2, [], "'logement':1A 'statut':2C")
            search_text_row(conn, 3, [4], "'#t4'")
        upgrade(revision=REVISION)
        with engine.connect() as conn:
            lexemes = conn.execute(text("SELECT lexeme FROM search_lexeme ORDER BY 1")).scalars()
            assert list(lexemes) == ["avocat", "logement", "statut"]  # no mark is a stem
            lex = dict(
                conn.execute(text("SELECT service_id, cardinality(lex) FROM search_document")).all()
            )
            assert lex == {1: 4, 2: 2, 3: 1}
            # What a search asks of it: a word of the text, a word through a term, together.
            assert _holding(conn, (["statut"], [])) == [1, 2]
            assert _holding(conn, (["juridique"], [4])) == [1, 3]
            assert _holding(conn, (["statut"], []), (["juridique"], [4])) == [1]
            assert _holding(conn, (["logement"], []), (["juridique"], [4])) == []
        downgrade(revision=BEFORE)
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT service_id, tsv::text FROM search_text ORDER BY 1"))
            # The stems and marks are back; their positions (read by no search) are not.
            assert rows.all() == [
                (1, "'#t4' '#t9' 'avocat' 'statut'"),
                (2, "'logement' 'statut'"),
                (3, "'#t4'"),
            ]
            found = conn.execute(
                text("SELECT service_id FROM search_text WHERE tsv @@ '''#t4'' & ''statut'''")
            ).scalars()
            assert list(found) == [1]
