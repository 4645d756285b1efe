"""search: opening hours and closures as integer multiranges (PostgreSQL backend)

"Open now" was tested, and counted beside the facets for every matched row, by unpacking two
JSON arrays per row. A row now keeps the minutes of the week it is open (Monday 00:00 is 0) and
the days it is closed as int4multiranges (PostgreSQL 14+): two containment tests.

The search tables are emptied here: the next outbox drain (any edit, or the next request that
drains) refills them, and so does `flask reindex`. On SQLite the columns change on a table that
stays empty.

Revision ID: b6e3f8a2d5c9
Revises: a9d4e2f7c1b8
Create Date: 2026-12-06 03:35:00

"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = "b6e3f8a2d5c9"
down_revision = "a9d4e2f7c1b8"
branch_labels = None
depends_on = None

MINUTES = sa.Text().with_variant(postgresql.INT4MULTIRANGE(), "postgresql")
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
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


def _replace(old, new, kind, default):
    _empty_search_tables()
    with op.batch_alter_table("search_document", schema=None) as batch_op:
        for name in old:
            batch_op.drop_column(name)
        for name in new:
            batch_op.add_column(
                sa.Column(name, kind, nullable=False, server_default=sa.text(default))
            )
    with op.batch_alter_table("search_document", schema=None) as batch_op:
        for name in new:
            batch_op.alter_column(name, server_default=None)


def upgrade():
    _replace(("open_ranges", "closed"), ("open_week", "closed_days"), MINUTES, "'{}'")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "ALTER TABLE search_document ALTER open_week SET STORAGE PLAIN, "
            "ALTER closed_days SET STORAGE MAIN"
        )


def downgrade():
    _replace(("open_week", "closed_days"), ("open_ranges", "closed"), JSON, "'[]'")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "ALTER TABLE search_document ALTER open_ranges SET STORAGE MAIN, "
            "ALTER closed SET STORAGE MAIN"
        )
