"""search: a row's facet codes grouped by facet, with where each facet's codes end (PostgreSQL)

facet_codes now lists a row's codes facet by facet (regions, needs, sectors, languages,
populations, exploitation, access), and the new facet_bounds says where each facet's run ends
(a leading 0, then one end per facet). A row that fails one facet filter counts for that
facet's values only: the facet counts now unnest just that run instead of all the row's codes.

The search tables are emptied here: the next outbox drain (any edit, or the next request that
drains) refills them from the catalogue, and so does `flask reindex`. On SQLite the column is
added to a table that stays empty.

Revision ID: a8d2f5c7e4b1
Revises: c1f7a3e9b5d2
Create Date: 2026-12-06 23:00:00

"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = "a8d2f5c7e4b1"
down_revision = "c1f7a3e9b5d2"
branch_labels = None
depends_on = None

INTEGERS = sa.JSON().with_variant(postgresql.ARRAY(sa.Integer()), "postgresql")
SEARCH_TABLES = (
    "search_document",
    "search_text",
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
    postgres = op.get_bind().dialect.name == "postgresql"
    _empty_search_tables()
    with op.batch_alter_table("search_document", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "facet_bounds",
                INTEGERS,
                nullable=False,
                server_default=sa.text("'{}'" if postgres else "'[]'"),
            )
        )
    with op.batch_alter_table("search_document", schema=None) as batch_op:
        batch_op.alter_column("facet_bounds", server_default=None)
    if postgres:
        # Read with the codes by every facet count: kept in the row, uncompressed, like them.
        op.execute("ALTER TABLE search_document ALTER facet_bounds SET STORAGE PLAIN")


def downgrade():
    _empty_search_tables()
    with op.batch_alter_table("search_document", schema=None) as batch_op:
        batch_op.drop_column("facet_bounds")
