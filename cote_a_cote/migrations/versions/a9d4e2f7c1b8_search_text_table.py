"""search: a search row's words in their own table, search_text (PostgreSQL backend)

A search reads every row it matches (a third of the catalogue for a broad word). With its
facet values as small codes a row is about 1.8 kB, 1.4 kB of which is its tsv; PostgreSQL only
moves a column out of line from rows over 2 kB, so the tsv stayed in the row. It now lives in
search_text (service id, tsv, GIN index), and search_document keeps the small head (names).

The search tables are emptied here: the next outbox drain (any edit, or the next request that
drains) refills them, and so does `flask reindex`. On SQLite the table exists but stays empty.

Revision ID: a9d4e2f7c1b8
Revises: e7b1c4d9a2f6
Create Date: 2026-12-06 03:25:00

"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = "a9d4e2f7c1b8"
down_revision = "e7b1c4d9a2f6"
branch_labels = None
depends_on = None

TSVECTOR = sa.Text().with_variant(postgresql.TSVECTOR(), "postgresql")
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
    op.create_table(
        "search_text",
        sa.Column("service_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("tsv", TSVECTOR, nullable=False),
        sa.PrimaryKeyConstraint("service_id", name=op.f("pk_search_text")),
    )
    with op.batch_alter_table("search_text", schema=None) as batch_op:
        batch_op.create_index("ix_search_text_tsv", ["tsv"], unique=False, postgresql_using="gin")
    with op.batch_alter_table("search_document", schema=None) as batch_op:
        batch_op.drop_index("ix_search_document_tsv", postgresql_using="gin")
        batch_op.drop_column("tsv")


def downgrade():
    _empty_search_tables()
    with op.batch_alter_table("search_document", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tsv", TSVECTOR, nullable=False, server_default=""))
    with op.batch_alter_table("search_document", schema=None) as batch_op:
        batch_op.alter_column("tsv", server_default=None)
        batch_op.create_index(
            "ix_search_document_tsv", ["tsv"], unique=False, postgresql_using="gin"
        )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE search_document ALTER tsv SET STORAGE EXTERNAL")
    op.drop_table("search_text")
