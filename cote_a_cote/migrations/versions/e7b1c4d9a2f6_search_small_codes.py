"""search: a search row's facet values and flags as small integers only (PostgreSQL backend)

The facet values were kept twice on each search row, as text arrays (region, need, sector,
lang, population, exploitation, access) and as facet_codes (ids of search_facet_code); the text
arrays and the flag array go, filters read facet_codes (now GIN-indexed) and flags, one bit per
flag. A row is about half as wide, so the rows a broad word matches take half the pages.

The search tables are emptied here: the next outbox drain (any edit, or the next request that
drains) refills them from the catalogue, and so does `flask reindex`. On SQLite the columns
change the same way on tables that stay empty.

Revision ID: e7b1c4d9a2f6
Revises: f2c8a5d1e9b3
Create Date: 2026-12-06 03:20:00

"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = "e7b1c4d9a2f6"
down_revision = "f2c8a5d1e9b3"
branch_labels = None
depends_on = None

TEXTS = sa.JSON().with_variant(postgresql.ARRAY(sa.Text()), "postgresql")
FACET_COLUMNS = ("region", "need", "sector", "lang", "population", "exploitation", "access")
INDEXED = ("region", "need", "flag")
SEARCH_TABLES = (
    "search_document",
    "search_term",
    "search_place",
    "search_facet_value",
    "search_facet_code",
    "search_word",
)


def _empty_search_tables():
    for table in SEARCH_TABLES:
        op.execute(f"DELETE FROM {table}")


def upgrade():
    _empty_search_tables()
    with op.batch_alter_table("search_document", schema=None) as batch_op:
        for name in INDEXED:
            batch_op.drop_index(f"ix_search_document_{name}", postgresql_using="gin")
        for name in (*FACET_COLUMNS, "flag"):
            batch_op.drop_column(name)
        batch_op.add_column(
            sa.Column("flags", sa.Integer(), nullable=False, server_default=sa.text("0"))
        )
    with op.batch_alter_table("search_document", schema=None) as batch_op:
        batch_op.alter_column("flags", server_default=None)
        batch_op.create_index(
            "ix_search_document_facet_codes", ["facet_codes"], unique=False, postgresql_using="gin"
        )


def downgrade():
    postgres = op.get_bind().dialect.name == "postgresql"
    empty = sa.text("'{}'") if postgres else sa.text("'[]'")
    _empty_search_tables()
    with op.batch_alter_table("search_document", schema=None) as batch_op:
        batch_op.drop_index("ix_search_document_facet_codes", postgresql_using="gin")
        batch_op.drop_column("flags")
        for name in (*FACET_COLUMNS, "flag"):
            batch_op.add_column(sa.Column(name, TEXTS, nullable=False, server_default=empty))
    with op.batch_alter_table("search_document", schema=None) as batch_op:
        for name in (*FACET_COLUMNS, "flag"):
            batch_op.alter_column(name, server_default=None)
        for name in INDEXED:
            batch_op.create_index(
                f"ix_search_document_{name}", [name], unique=False, postgresql_using="gin"
            )
    if postgres:
        op.execute(
            "ALTER TABLE search_document "
            + ", ".join(f"ALTER {name} SET STORAGE PLAIN" for name in (*FACET_COLUMNS, "flag"))
        )
