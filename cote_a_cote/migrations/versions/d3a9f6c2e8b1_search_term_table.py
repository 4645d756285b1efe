"""search: the taxonomy level once per term, in search_term (PostgreSQL backend)

Each search row carried the labels and keywords of its terms and of their ancestors in its
tsvectors (in the head that ranking reads, too): the same words repeated in tens of thousands of
rows. They now live once per term in search_term, and each search row keeps only the ids of its
terms (term_ids, a GIN-indexed integer array, replacing the text array term); a query word is
matched against search_term once per search, then the rows through term_ids.

The search tables are emptied here: the next outbox drain (any edit, or the next request that
drains) refills them from the catalogue, and so does `flask reindex`. On SQLite the table and
the column exist but stay empty.

Revision ID: d3a9f6c2e8b1
Revises: c8e4f1a9d6b2
Create Date: 2026-12-06 02:55:00

"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = "d3a9f6c2e8b1"
down_revision = "c8e4f1a9d6b2"
branch_labels = None
depends_on = None

INTEGERS = sa.JSON().with_variant(postgresql.ARRAY(sa.Integer()), "postgresql")
TEXTS = sa.JSON().with_variant(postgresql.ARRAY(sa.Text()), "postgresql")
TSVECTOR = sa.Text().with_variant(postgresql.TSVECTOR(), "postgresql")
SEARCH_TABLES = (
    "search_document",
    "search_place",
    "search_facet_value",
    "search_facet_code",
    "search_word",
)


def _empty_search_tables():
    for table in SEARCH_TABLES:
        op.execute(f"DELETE FROM {table}")


def upgrade():
    postgres = op.get_bind().dialect.name == "postgresql"
    _empty_search_tables()
    op.create_table(
        "search_term",
        sa.Column("term_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("tsv", TSVECTOR, nullable=False),
        sa.PrimaryKeyConstraint("term_id", name=op.f("pk_search_term")),
    )
    with op.batch_alter_table("search_document", schema=None) as batch_op:
        batch_op.drop_column("term")
        batch_op.add_column(
            sa.Column(
                "term_ids",
                INTEGERS,
                nullable=False,
                server_default=sa.text("'{}'") if postgres else sa.text("'[]'"),
            )
        )
    with op.batch_alter_table("search_document", schema=None) as batch_op:
        batch_op.alter_column("term_ids", server_default=None)
        batch_op.create_index(
            "ix_search_document_term_ids", ["term_ids"], unique=False, postgresql_using="gin"
        )
    if postgres:
        # Kept in the row, uncompressed, as the other ranking columns (search_storage).
        op.execute("ALTER TABLE search_document ALTER term_ids SET STORAGE MAIN")


def downgrade():
    postgres = op.get_bind().dialect.name == "postgresql"
    _empty_search_tables()
    with op.batch_alter_table("search_document", schema=None) as batch_op:
        batch_op.drop_index("ix_search_document_term_ids")
        batch_op.drop_column("term_ids")
        batch_op.add_column(
            sa.Column(
                "term",
                TEXTS,
                nullable=False,
                server_default=sa.text("'{}'") if postgres else sa.text("'[]'"),
            )
        )
    with op.batch_alter_table("search_document", schema=None) as batch_op:
        batch_op.alter_column("term", server_default=None)
    if postgres:
        op.execute("ALTER TABLE search_document ALTER term SET STORAGE MAIN")
    op.drop_table("search_term")
