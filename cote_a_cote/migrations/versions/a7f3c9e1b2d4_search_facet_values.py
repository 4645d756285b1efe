"""search: facet value rows, and the head tsvector of each search row (PostgreSQL backend)

The PostgreSQL backend counts facets with one GROUP BY over these rows instead of testing every
value against every matched row's arrays. On SQLite the table exists but stays empty. The rows
are filled by the next drain or `flask reindex` (a drain into an empty table rebuilds it), so
this revision only creates the table.

Revision ID: a7f3c9e1b2d4
Revises: d4e1a7c3b925
Create Date: 2026-12-04 15:15:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = 'a7f3c9e1b2d4'
down_revision = 'd4e1a7c3b925'
branch_labels = None
depends_on = None

TSVECTOR = sa.Text().with_variant(postgresql.TSVECTOR(), 'postgresql')
# search_document's keyword columns that are facets (search/schema.py FACETS).
FACET_COLUMNS = ('region', 'need', 'sector', 'lang', 'population', 'exploitation', 'access')


def upgrade():
    op.create_table('search_facet_value',
    sa.Column('service_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('facet', sa.String(length=16), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('service_id', 'facet', 'value', name=op.f('pk_search_facet_value'))
    )
    with op.batch_alter_table('search_facet_value', schema=None) as batch_op:
        batch_op.create_index('ix_search_facet_value_facet_value', ['facet', 'value'], unique=False)
    with op.batch_alter_table('search_document', schema=None) as batch_op:
        batch_op.add_column(sa.Column('head', TSVECTOR, nullable=False, server_default=''))
    with op.batch_alter_table('search_document', schema=None) as batch_op:
        batch_op.alter_column('head', server_default=None)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("UPDATE search_document SET head = ts_filter(tsv, '{a,b}')")
        for column in FACET_COLUMNS:
            op.execute(
                'INSERT INTO search_facet_value (service_id, facet, value) '
                f"SELECT DISTINCT service_id, '{column}', unnest({column}) FROM search_document"
            )


def downgrade():
    with op.batch_alter_table('search_document', schema=None) as batch_op:
        batch_op.drop_column('head')
    with op.batch_alter_table('search_facet_value', schema=None) as batch_op:
        batch_op.drop_index('ix_search_facet_value_facet_value')
    op.drop_table('search_facet_value')
