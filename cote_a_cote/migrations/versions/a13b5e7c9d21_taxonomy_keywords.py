"""taxonomy: search keywords (synonyms) in French and English on each term

The columns start empty; the taxonomy seeding (flask seed-demo) fills them from
seeds/taxonomy_keywords.json. Every service is announced to search through the outbox, so the
next drain (or the index rebuild a new Whoosh schema version triggers) indexes the keywords.

Revision ID: a13b5e7c9d21
Revises: 44c1023a8147
Create Date: 2026-12-03 13:30:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "a13b5e7c9d21"
down_revision = "44c1023a8147"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("taxonomy_term", schema=None) as batch_op:
        batch_op.add_column(sa.Column("keywords_fr", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("keywords_en", sa.Text(), nullable=True))
    op.execute(
        "INSERT INTO search_outbox (service_id, created_at) "
        "SELECT id, CURRENT_TIMESTAMP FROM service"
    )


def downgrade():
    with op.batch_alter_table("taxonomy_term", schema=None) as batch_op:
        batch_op.drop_column("keywords_en")
        batch_op.drop_column("keywords_fr")
