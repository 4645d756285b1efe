"""mail outbox; audit chain keyed with AUDIT_KEY

Revision ID: 5e1a7c0d2b9f
Revises: a7c3e2f1b9d4
Create Date: 2026-12-03 08:40:00

Existing audit events get key_version 0 (plain sha256, verified as before); new ones are keyed.
"""

from alembic import op
import sqlalchemy as sa

import cote_a_cote.database


# revision identifiers, used by Alembic.
revision = "5e1a7c0d2b9f"
down_revision = "a7c3e2f1b9d4"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "mail_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=320), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("template", sa.String(length=60), nullable=False),
        sa.Column("created_at", cote_a_cote.database.UTCDateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column(
            "next_attempt_at", cote_a_cote.database.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.Column("dead_at", cote_a_cote.database.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_outbox")),
    )
    with op.batch_alter_table("mail_outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mail_outbox_dead_at"), ["dead_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_mail_outbox_next_attempt_at"), ["next_attempt_at"], unique=False
        )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("key_version", sa.SmallInteger(), server_default="0", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_column("key_version")
    with op.batch_alter_table("mail_outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mail_outbox_next_attempt_at"))
        batch_op.drop_index(batch_op.f("ix_mail_outbox_dead_at"))
    op.drop_table("mail_outbox")
