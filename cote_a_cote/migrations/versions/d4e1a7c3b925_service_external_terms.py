"""service external terms: another directory's terms kept by import-hsds --unmapped keep (issue 14)

A kept term is stored as "code / label" beside the service, shown to administrators only, and
never used for facets or filters. Downgrading drops them.

Revision ID: d4e1a7c3b925
Revises: cf9e98ae85a1
Create Date: 2026-12-03 18:05:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4e1a7c3b925'
down_revision = 'cf9e98ae85a1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('service_external_term',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], name=op.f('fk_service_external_term_service_id_service'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_external_term')),
    sa.UniqueConstraint('service_id', 'label', name=op.f('uq_service_external_term_service_id'))
    )
    with op.batch_alter_table('service_external_term', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_external_term_service_id'), ['service_id'], unique=False)


def downgrade():
    with op.batch_alter_table('service_external_term', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_external_term_service_id'))

    op.drop_table('service_external_term')
