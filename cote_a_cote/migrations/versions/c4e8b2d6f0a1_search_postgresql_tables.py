"""search: the PostgreSQL backend's tables (documents, places, vocabulary) and pg_trgm

On SQLite the tables are created too but stay empty (JSON and text instead of arrays and tsvector).
CREATE EXTENSION needs a superuser, or (PostgreSQL 13+) the database owner since pg_trgm is a
trusted extension.

Revision ID: c4e8b2d6f0a1
Revises: c4d2a7e91f30
Create Date: 2026-12-03 09:30:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = 'c4e8b2d6f0a1'
down_revision = 'c4d2a7e91f30'
branch_labels = None
depends_on = None

TEXTS = sa.JSON().with_variant(postgresql.ARRAY(sa.Text()), 'postgresql')
JSON = sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    op.create_table('search_document',
    sa.Column('service_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('audience', sa.String(length=16), nullable=False),
    *(sa.Column(name, TEXTS, nullable=False) for name in (
        'region', 'need', 'sector', 'lang', 'population', 'exploitation', 'access', 'flag',
        'term', 'excluded')),
    sa.Column('min_age', sa.Integer(), nullable=True),
    sa.Column('max_age', sa.Integer(), nullable=True),
    sa.Column('tsv', sa.Text().with_variant(postgresql.TSVECTOR(), 'postgresql'), nullable=False),
    sa.Column('name_fr_key', sa.Text(), nullable=False),
    sa.Column('name_en_key', sa.Text(), nullable=False),
    sa.Column('verified_day', sa.Integer(), nullable=True),
    sa.Column('modified', sa.Float(), nullable=False),
    sa.Column('open_ranges', JSON, nullable=False),
    sa.Column('closed', JSON, nullable=False),
    sa.PrimaryKeyConstraint('service_id', name=op.f('pk_search_document'))
    )
    with op.batch_alter_table('search_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_document_organization_id'), ['organization_id'], unique=False)
        for name in ('tsv', 'region', 'need', 'flag'):
            batch_op.create_index(f'ix_search_document_{name}', [name], unique=False, postgresql_using='gin')
    op.create_table('search_place',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_place'))
    )
    with op.batch_alter_table('search_place', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_place_service_id'), ['service_id'], unique=False)
        batch_op.create_index('ix_search_place_lat_lon', ['lat', 'lon'], unique=False)
    op.create_table('search_word',
    sa.Column('word', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('word', name=op.f('pk_search_word'))
    )
    if op.get_bind().dialect.name == 'postgresql':
        # The operator class lives in the schema pg_trgm was installed in, maybe not on our path.
        schema = op.get_bind().execute(sa.text(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
            "WHERE e.extname = 'pg_trgm'"
        )).scalar_one()
        op.execute(
            'CREATE INDEX ix_search_word_trigram ON search_word '
            f'USING gin (word "{schema}".gin_trgm_ops)'
        )
    else:
        op.create_index('ix_search_word_trigram', 'search_word', ['word'], unique=False)


def downgrade():
    op.drop_table('search_word')
    op.drop_table('search_place')
    op.drop_table('search_document')
