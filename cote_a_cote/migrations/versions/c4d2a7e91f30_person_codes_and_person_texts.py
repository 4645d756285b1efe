"""the person's code (parcours) shared by referrals; services' text for the person

Revision ID: c4d2a7e91f30
Revises: 5e1a7c0d2b9f
Create Date: 2026-12-03 08:40:00

Each existing referral becomes one person with the referral's own code (the data migration keeps
the code the person was given), owned by the referral's intervenante and organisation.
"""
from alembic import op
import sqlalchemy as sa

import cote_a_cote.database


# revision identifiers, used by Alembic.
revision = 'c4d2a7e91f30'
down_revision = '5e1a7c0d2b9f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=9), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('created_at', cote_a_cote.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('purged_at', cote_a_cote.database.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_person_organization_id_organization')),
    sa.ForeignKeyConstraint(['owner_id'], ['user_account.id'], name=op.f('fk_person_owner_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person')),
    sa.UniqueConstraint('code', name=op.f('uq_person_code'))
    )
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_owner_id'), ['owner_id'], unique=False)

    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.add_column(sa.Column('person_id', sa.Integer(), nullable=True))

    # Data: one person per existing referral, keeping its code. The person's id is taken equal
    # to the referral's (the table is new, so ids are free), then the sequence is moved on.
    bind = op.get_bind()
    bind.execute(sa.text(
        "INSERT INTO person (id, code, owner_id, organization_id, created_at) "
        "SELECT id, code, referring_user_id, referring_organization_id, created_at FROM referral"
    ))
    bind.execute(sa.text("UPDATE referral SET person_id = id"))
    if bind.dialect.name == "postgresql":
        bind.execute(sa.text(
            "SELECT setval(pg_get_serial_sequence('person', 'id'), "
            "COALESCE((SELECT MAX(id) FROM person), 0) + 1, false)"
        ))

    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.alter_column('person_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f('ix_referral_person_id'), ['person_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_referral_person_id_person'), 'person', ['person_id'], ['id'])
        batch_op.drop_constraint(batch_op.f('uq_referral_code'), type_='unique')
        batch_op.drop_column('code')

    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.add_column(sa.Column('person_text_fr', sa.String(length=400), nullable=True))
        batch_op.add_column(sa.Column('person_text_en', sa.String(length=400), nullable=True))


def downgrade():
    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.drop_column('person_text_en')
        batch_op.drop_column('person_text_fr')

    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.add_column(sa.Column('code', sa.String(length=9), nullable=True))

    # Back to one code per referral: the first referral of a person keeps the code, the others
    # get a derived one (their id), as codes were unique per referral.
    bind = op.get_bind()
    bind.execute(sa.text(
        "UPDATE referral SET code = (SELECT person.code FROM person WHERE person.id = referral.person_id) "
        "WHERE referral.id = (SELECT MIN(r2.id) FROM referral r2 WHERE r2.person_id = referral.person_id)"
    ))
    bind.execute(sa.text(
        "UPDATE referral SET code = 'R' || CAST(id AS VARCHAR(8)) WHERE code IS NULL"
    ))

    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.alter_column('code', existing_type=sa.String(length=9), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_referral_code'), ['code'])
        batch_op.drop_constraint(batch_op.f('fk_referral_person_id_person'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_referral_person_id'))
        batch_op.drop_column('person_id')

    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_owner_id'))
        batch_op.drop_index(batch_op.f('ix_person_organization_id'))

    op.drop_table('person')
