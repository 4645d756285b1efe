"""services: text/SMS number, kind of cost, populations not served

Revision ID: a7c3e2f1b9d4
Revises: d81f4c2a6b57
Create Date: 2026-12-03 08:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7c3e2f1b9d4'
down_revision = 'd81f4c2a6b57'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.add_column(sa.Column('text_phone', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('cost_kind', sa.String(length=16), nullable=True))
    op.create_table('service_exclusion',
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('taxonomy_term_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], name=op.f('fk_service_exclusion_service_id_service'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['taxonomy_term_id'], ['taxonomy_term.id'], name=op.f('fk_service_exclusion_taxonomy_term_id_taxonomy_term'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('service_id', 'taxonomy_term_id', name=op.f('pk_service_exclusion'))
    )
    with op.batch_alter_table('service_exclusion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_exclusion_taxonomy_term_id'), ['taxonomy_term_id'], unique=False)


def downgrade():
    with op.batch_alter_table('service_exclusion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_exclusion_taxonomy_term_id'))
    op.drop_table('service_exclusion')
    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.drop_column('cost_kind')
        batch_op.drop_column('text_phone')
