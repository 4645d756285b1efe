"""search: a search row's words as codes in the row itself (PostgreSQL backend)

A search found the rows holding its words through search_text's GIN index, then joined each
one to its search_document row: for a broad word (25,000 rows at 60,000 services) that read
11,400 pages of search_text for their ids, then looked up every row by its key, about 80 ms.
Each stem of the corpus now has a code (search_lexeme), and search_document.lex holds the codes
of the row's stems and, negated, the ids of its terms (what search_text marked '#t<id>'). One
GIN index over lex finds the rows of every word of a search and reads them where they are.

The rows already indexed get their codes here, from search_text, which then goes. On SQLite the
tables exist and stay empty.

Revision ID: f5c1d8a3b7e2
Revises: e6a2c9f4b1d7
Create Date: 2026-12-07 21:00:00

"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = "f5c1d8a3b7e2"
down_revision = "e6a2c9f4b1d7"
branch_labels = None
depends_on = None

INTEGERS = sa.JSON().with_variant(postgresql.ARRAY(sa.Integer()), "postgresql")
TSVECTOR = sa.Text().with_variant(postgresql.TSVECTOR(), "postgresql")
# A term's mark in search_text.tsv (search/backend_postgresql.py before this revision).
MARK = "#t"


def upgrade():
    op.create_table(
        "search_lexeme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lexeme", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_lexeme")),
        sa.UniqueConstraint("lexeme", name=op.f("uq_search_lexeme_lexeme")),
    )
    with op.batch_alter_table("search_document", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lex", INTEGERS, nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        _codes_from_search_text()
    with op.batch_alter_table("search_document", schema=None) as batch_op:
        batch_op.alter_column("lex", existing_type=INTEGERS, nullable=False)
        batch_op.create_index(
            "ix_search_document_lex", ["lex"], unique=False, postgresql_using="gin"
        )
    op.drop_table("search_text")


def _codes_from_search_text() -> None:
    """Every stem of search_text gets a code, and each row its codes and its negated term ids;
    lex is MAIN, compressed only in a row that would not fit otherwise (search/models.py)."""
    op.execute(
        "INSERT INTO search_lexeme (lexeme) SELECT DISTINCT w FROM search_text b, "
        f"unnest(tsvector_to_array(b.tsv)) w WHERE NOT starts_with(w, '{MARK}') ORDER BY w"
    )
    op.execute(
        "UPDATE search_document d SET lex = ARRAY(SELECT l.id FROM search_text b, "
        "unnest(tsvector_to_array(b.tsv)) w JOIN search_lexeme l ON l.lexeme = w "
        "WHERE b.service_id = d.service_id UNION SELECT -t FROM unnest(d.term_ids) t ORDER BY 1)"
    )
    op.execute("ALTER TABLE search_document ALTER lex SET STORAGE MAIN")


def downgrade():
    op.create_table(
        "search_text",
        sa.Column("service_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("tsv", TSVECTOR, nullable=False),
        sa.PrimaryKeyConstraint("service_id", name=op.f("pk_search_text")),
    )
    with op.batch_alter_table("search_text", schema=None) as batch_op:
        batch_op.create_index("ix_search_text_tsv", ["tsv"], unique=False, postgresql_using="gin")
    if op.get_bind().dialect.name == "postgresql":
        # The stems and marks come back without their positions: no search reads those.
        op.execute(
            "INSERT INTO search_text (service_id, tsv) SELECT d.service_id, array_to_tsvector("
            f"ARRAY(SELECT CASE WHEN c < 0 THEN '{MARK}' || -c ELSE l.lexeme END "
            "FROM unnest(d.lex) c LEFT JOIN search_lexeme l ON l.id = c)) FROM search_document d"
        )
    with op.batch_alter_table("search_document", schema=None) as batch_op:
        batch_op.drop_index("ix_search_document_lex", postgresql_using="gin")
        batch_op.drop_column("lex")
    op.drop_table("search_lexeme")
