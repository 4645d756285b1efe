"""search: keep each search row's head uncompressed in the row (PostgreSQL backend)

Ranking reads the head tsvector of every matched row; stored compressed (or out of line) it cost
a decompression per row, ~150 ms for a broad word at 60,000 services. Every column but tsv is
now MAIN (compressed only when the row would not fit otherwise), tsv EXTERNAL (out of line,
uncompressed), and rows up to 4,080 bytes stay whole; search/models.py sets the same on a
database created without migrations. The rows are rewritten here so they take the new storage.
Nothing changes on SQLite.

Revision ID: c8e4f1a9d6b2
Revises: b5d2e8f1c3a7
Create Date: 2026-12-05 12:35:00

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "c8e4f1a9d6b2"
down_revision = "b5d2e8f1c3a7"
branch_labels = None
depends_on = None

MAIN_COLUMNS = (
    "head",
    "region",
    "need",
    "sector",
    "lang",
    "population",
    "exploitation",
    "access",
    "flag",
    "term",
    "excluded",
    "facet_codes",
    "name_fr_key",
    "name_en_key",
    "open_ranges",
    "closed",
)


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE search_document SET (toast_tuple_target = 4080)")
    op.execute(
        "ALTER TABLE search_document ALTER tsv SET STORAGE EXTERNAL, "
        + ", ".join(f"ALTER {column} SET STORAGE MAIN" for column in MAIN_COLUMNS)
    )
    # New values of both tsvectors (ts_filter builds them afresh), stored the new way.
    op.execute(
        "UPDATE search_document SET tsv = ts_filter(tsv, '{a,b,c,d}'), "
        "head = ts_filter(tsv, '{a,b}')"
    )


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE search_document RESET (toast_tuple_target)")
    op.execute(
        "ALTER TABLE search_document ALTER tsv SET STORAGE EXTENDED, "
        + ", ".join(f"ALTER {column} SET STORAGE EXTENDED" for column in MAIN_COLUMNS)
    )
