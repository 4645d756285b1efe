"""search: facet counts over bit sets; a log of the writes of the search tables

Each app server process keeps the facet values' services as bit sets read from
search_document.facet_codes (search/facet_bits.py); search_change, one row per write of the
writer (a random token, the services rewritten), tells it what to read again. A first row is
written here, so the rows already in the tables stay valid.

The facet counts no longer read search_facet_value (the values present) nor facet_bounds (each
facet's run of codes): both go. On SQLite the tables exist and stay empty.

Revision ID: d4b7e1a9c3f2
Revises: a8d2f5c7e4b1
Create Date: 2026-12-07 01:40:00

"""

import secrets

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = "d4b7e1a9c3f2"
down_revision = "a8d2f5c7e4b1"
branch_labels = None
depends_on = None

INTEGERS = sa.JSON().with_variant(postgresql.ARRAY(sa.Integer()), "postgresql")
SEARCH_TABLES = (
    "search_document",
    "search_text",
    "search_term",
    "search_place",
    "search_facet_code",
    "search_word",
)


def upgrade():
    change = op.create_table(
        "search_change",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("token", sa.BigInteger(), nullable=False),
        sa.Column("service_ids", INTEGERS, nullable=True),
        sa.PrimaryKeyConstraint("version", name=op.f("pk_search_change")),
    )
    op.bulk_insert(change, [{"token": secrets.randbits(62), "service_ids": None}])
    op.drop_table("search_facet_value")
    with op.batch_alter_table("search_document", schema=None) as batch_op:
        batch_op.drop_column("facet_bounds")


def downgrade():
    # The search tables are emptied: the next outbox drain, or `flask reindex`, refills them
    # with the values and bounds the older code reads.
    for table in SEARCH_TABLES:
        op.execute(f"DELETE FROM {table}")
    postgres = op.get_bind().dialect.name == "postgresql"
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
        op.execute("ALTER TABLE search_document ALTER facet_bounds SET STORAGE PLAIN")
    op.create_table(
        "search_facet_value",
        sa.Column("service_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("facet", sa.String(length=16), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("service_id", "facet", "value", name=op.f("pk_search_facet_value")),
    )
    op.create_index("ix_search_facet_value_facet_value", "search_facet_value", ["facet", "value"])
    op.drop_table("search_change")
