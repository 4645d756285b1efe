"""search: a narrow search row, its long tsv always out of line (PostgreSQL backend)

With a toast target of 4,080 bytes most search rows kept their whole tsv in line (2.6 kB a row,
154 MB for 60,000 services), so a search that reads a third of the rows read a third of that.
The target is now 128 bytes, so tsv (EXTERNAL) always goes out of line; the columns a search
reads per row become PLAIN (never compressed: each is bounded) and closed stays MAIN, as
search/models.py sets them on a database created without migrations.

The search tables are emptied here: the next outbox drain (any edit, or the next request that
drains) refills them with the new layout, and so does `flask reindex`. Nothing changes on
SQLite.

Revision ID: f2c8a5d1e9b3
Revises: d3a9f6c2e8b1
Create Date: 2026-12-06 03:05:00

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "f2c8a5d1e9b3"
down_revision = "d3a9f6c2e8b1"
branch_labels = None
depends_on = None

PLAIN_COLUMNS = (
    "head",
    "region",
    "need",
    "sector",
    "lang",
    "population",
    "exploitation",
    "access",
    "flag",
    "excluded",
    "term_ids",
    "facet_codes",
    "name_fr_key",
    "name_en_key",
    "open_ranges",
)
SEARCH_TABLES = (
    "search_document",
    "search_term",
    "search_place",
    "search_facet_value",
    "search_facet_code",
    "search_word",
)


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in SEARCH_TABLES:
        op.execute(f"DELETE FROM {table}")
    op.execute("ALTER TABLE search_document SET (toast_tuple_target = 128)")
    op.execute(
        "ALTER TABLE search_document ALTER tsv SET STORAGE EXTERNAL, "
        "ALTER closed SET STORAGE MAIN, "
        + ", ".join(f"ALTER {column} SET STORAGE PLAIN" for column in PLAIN_COLUMNS)
    )


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE search_document SET (toast_tuple_target = 4080)")
    op.execute(
        "ALTER TABLE search_document "
        + ", ".join(f"ALTER {column} SET STORAGE MAIN" for column in PLAIN_COLUMNS)
    )
