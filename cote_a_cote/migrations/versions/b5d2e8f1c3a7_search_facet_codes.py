"""search: facet values as small integer codes on each search row (PostgreSQL backend)

A search counts the facets of its matched rows by unnesting their facet_codes (ids of
search_facet_code) instead of joining a search_facet_value row per value: at 60,000 services a
broad word matches a third of the catalogue, and the join read all ~690,000 value rows. On SQLite
the table and the column exist but stay empty. Existing rows get their codes here.

Revision ID: b5d2e8f1c3a7
Revises: a7f3c9e1b2d4
Create Date: 2026-12-05 12:10:00

"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = "b5d2e8f1c3a7"
down_revision = "a7f3c9e1b2d4"
branch_labels = None
depends_on = None

INTEGERS = sa.JSON().with_variant(postgresql.ARRAY(sa.Integer()), "postgresql")


def upgrade():
    op.create_table(
        "search_facet_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("facet", sa.String(length=16), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_facet_code")),
        sa.UniqueConstraint("facet", "value", name=op.f("uq_search_facet_code_facet")),
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    with op.batch_alter_table("search_document", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "facet_codes",
                INTEGERS,
                nullable=False,
                server_default=sa.text("'{}'") if postgres else sa.text("'[]'"),
            )
        )
    with op.batch_alter_table("search_document", schema=None) as batch_op:
        batch_op.alter_column("facet_codes", server_default=None)
    if postgres:
        op.execute(
            "INSERT INTO search_facet_code (facet, value) "
            "SELECT DISTINCT facet, value FROM search_facet_value ORDER BY facet, value"
        )
        op.execute(
            "UPDATE search_document d SET facet_codes = coalesce((SELECT array_agg(c.id ORDER BY "
            "c.id) FROM search_facet_value v JOIN search_facet_code c USING (facet, value) "
            "WHERE v.service_id = d.service_id), '{}')"
        )


def downgrade():
    with op.batch_alter_table("search_document", schema=None) as batch_op:
        batch_op.drop_column("facet_codes")
    op.drop_table("search_facet_code")
