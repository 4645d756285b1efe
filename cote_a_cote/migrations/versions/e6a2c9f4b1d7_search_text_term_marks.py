"""search: search_text holds a mark of each of the row's terms (PostgreSQL backend)

A word of a search is held by a row in its own text or in the text of one of its terms
(search_term). search_text.tsv now also holds '#t<term id>' for each of the row's terms, so one
tsquery over search_text finds a word at either level, and every word of a search in one
reading of its GIN index. The rows already there get their marks here; on SQLite the table
exists and stays empty.

Revision ID: e6a2c9f4b1d7
Revises: d4b7e1a9c3f2
Create Date: 2026-12-07 16:00:00

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "e6a2c9f4b1d7"
down_revision = "d4b7e1a9c3f2"
branch_labels = None
depends_on = None

# The marks of a search_document row's terms (search/backend_postgresql.py, TERM_MARK).
MARKS = "ARRAY(SELECT '#t' || term_id FROM unnest(d.term_ids) AS term_id)"


def upgrade():
    _rewrite(f"b.tsv || array_to_tsvector({MARKS})")


def downgrade():
    _rewrite(f"ts_delete(b.tsv, {MARKS})")


def _rewrite(tsv: str) -> None:
    """Set the tsv of every search_text row whose search_document row has terms."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        f"UPDATE search_text b SET tsv = {tsv} FROM search_document d "
        "WHERE d.service_id = b.service_id AND cardinality(d.term_ids) > 0"
    )
