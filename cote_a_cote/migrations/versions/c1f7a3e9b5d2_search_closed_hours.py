"""search: closures limited to some hours of each day (PostgreSQL backend)

A closure can close a service only between two hours of each of its days (closure.closed_from,
closure.closed_until). The PostgreSQL backend kept every closure in closed_days, so "open now"
left such a service out for the whole day, where the Whoosh backend only leaves it out between
those hours. closed_days now holds whole-day closures only, and the new closed_hours holds the
others as [first day, last day, from minute, until minute] quadruples, flat.

The search tables are emptied here: the next outbox drain (any edit, or the next request that
drains) refills them, and so does `flask reindex`. On SQLite the column is added to a table that
stays empty.

Revision ID: c1f7a3e9b5d2
Revises: b6e3f8a2d5c9
Create Date: 2026-12-06 07:00:00

"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = "c1f7a3e9b5d2"
down_revision = "b6e3f8a2d5c9"
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
                "closed_hours",
                INTEGERS,
                nullable=False,
                server_default=sa.text("'{}'" if postgres else "'[]'"),
            )
        )
    with op.batch_alter_table("search_document", schema=None) as batch_op:
        batch_op.alter_column("closed_hours", server_default=None)
    if postgres:
        op.execute("ALTER TABLE search_document ALTER closed_hours SET STORAGE MAIN")


def downgrade():
    _empty_search_tables()
    with op.batch_alter_table("search_document", schema=None) as batch_op:
        batch_op.drop_column("closed_hours")
