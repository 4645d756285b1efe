"""The search outbox: which services changed, written in the same transaction as the change."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    DDL,
    JSON,
    BigInteger,
    Float,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.dialects.postgresql import ARRAY, INT4MULTIRANGE, TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from ..database import UTCDateTime, utcnow
from ..extensions import Model


class SearchOutbox(Model):
    """One service to re-read into the index; rows are deleted once the index has them."""

    __tablename__ = "search_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    # No foreign key: the row must survive the deletion of the service it announces.
    service_id: Mapped[int] = mapped_column(Integer, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# --- The PostgreSQL backend's tables (SEARCH_BACKEND=postgresql) ---------------------------------
#
# On SQLite these tables exist but stay empty: their PostgreSQL types fall back to JSON and text.

_TEXTS = JSON().with_variant(ARRAY(Text), "postgresql")
_INTEGERS = JSON().with_variant(ARRAY(Integer), "postgresql")
_MINUTES = Text().with_variant(INT4MULTIRANGE(), "postgresql")


class SearchDocument(Model):
    """One listed service as the PostgreSQL backend searches it (documents.py's fields)."""

    __tablename__ = "search_document"

    service_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    organization_id: Mapped[int] = mapped_column(Integer, index=True)
    audience: Mapped[str] = mapped_column(String(16))
    # documents.py's flags, one bit each (facet_bits.FLAG_BITS).
    flags: Mapped[int] = mapped_column(Integer)
    # Every taxonomy term the service carries (search_term ids): a query word matches the
    # service's taxonomy level when it matches one of these terms' search_term row (each is
    # in lex too, negated).
    term_ids: Mapped[list] = mapped_column(_INTEGERS)
    excluded: Mapped[list] = mapped_column(_TEXTS)
    # The row's facet values (regions, needs, sectors, languages, populations, exploitation,
    # access) as search_facet_code ids: a search filters on them through the GIN index, and
    # each app server reads them as one bit set per value for the facet counts (facet_bits).
    facet_codes: Mapped[list] = mapped_column(_INTEGERS)
    min_age: Mapped[int | None] = mapped_column(Integer)
    max_age: Mapped[int | None] = mapped_column(Integer)
    # What a search's words are matched against: the codes (search_lexeme) of the stems of
    # the row's name and text levels, French and English, and the ids of the row's terms,
    # negated (a word held by a term is held by every row carrying it or a term under it).
    # Integers, not a tsvector: small enough to stay in the row (PostgreSQL moves a column out
    # of line only from rows over 2 kB, and a tsv made the row 1.8 kB), so the rows a GIN index
    # finds are read where they are, with no join to another table. Unbounded (as long as the
    # texts): MAIN, compressed in a row that would not fit otherwise; a search does not read
    # it back (the GIN index answers an overlap exactly).
    lex: Mapped[list] = mapped_column(_INTEGERS)
    # The stems of the name level, weighted: what ranking reads first.
    head: Mapped[str] = mapped_column(Text().with_variant(TSVECTOR(), "postgresql"))
    name_fr_key: Mapped[str] = mapped_column(Text)
    name_en_key: Mapped[str] = mapped_column(Text)
    verified_day: Mapped[int | None] = mapped_column(Integer)
    modified: Mapped[float] = mapped_column(Float)
    # The minutes of the week it is open (Monday 00:00 is 0), and the days (date ordinals) it is
    # closed all day: open now is two containment tests...
    open_week: Mapped[str] = mapped_column(_MINUTES)
    closed_days: Mapped[str] = mapped_column(_MINUTES)
    # ...and, for the closures limited to some hours of each of their days, a test of these
    # [first day, last day, from minute, until minute] quadruples, flat (usually none).
    closed_hours: Mapped[list] = mapped_column(_INTEGERS)

    __table_args__ = (
        Index("ix_search_document_facet_codes", "facet_codes", postgresql_using="gin"),
        Index("ix_search_document_term_ids", "term_ids", postgresql_using="gin"),
        Index("ix_search_document_lex", "lex", postgresql_using="gin"),
    )


class SearchLexeme(Model):
    """The code of each stem of the search rows' names and texts (search_document.lex); written
    by the one writer, read by every search. A stem keeps its code for good, across rebuilds
    (backend_postgresql.clear)."""

    __tablename__ = "search_lexeme"

    id: Mapped[int] = mapped_column(primary_key=True)
    lexeme: Mapped[str] = mapped_column(Text, unique=True)


class SearchTerm(Model):
    """The taxonomy level of the search rows, once per term: the stems of a term's labels and
    keywords and of its ancestors' (a term's words stand for every term under it). A search
    matches its words against these few rows once, then the search rows through term_ids."""

    __tablename__ = "search_term"

    term_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    tsv: Mapped[str] = mapped_column(Text().with_variant(TSVECTOR(), "postgresql"))


class SearchFacetCode(Model):
    """The id of each facet value (facet: a keyword column of search_document) found in
    search_document.facet_codes; written by the one writer, read by every search."""

    __tablename__ = "search_facet_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    facet: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("facet", "value"),)


class SearchChange(Model):
    """The log of the writes of the search tables: one row per write, with a random token and the
    services it rewrote (NULL: every row). A process keeping something read from the tables
    (facet_bits) reads again only what changed since its own state."""

    __tablename__ = "search_change"

    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[int] = mapped_column(BigInteger)
    service_ids: Mapped[list | None] = mapped_column(_INTEGERS)


class SearchPlace(Model):
    """Where a searchable service is, one row per place (a confidential one as documents.py
    locates it), for the bounding-box prefilter."""

    __tablename__ = "search_place"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(Integer, index=True)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)

    __table_args__ = (Index("ix_search_place_lat_lon", "lat", "lon"),)


class SearchWord(Model):
    """The corpus vocabulary (folded words long enough to be guessed), where near misses are
    looked up through trigrams."""

    __tablename__ = "search_word"

    word: Mapped[str] = mapped_column(Text, primary_key=True)

    __table_args__ = (
        Index(
            "ix_search_word_trigram",
            "word",
            postgresql_using="gin",
            postgresql_ops={"word": "gin_trgm_ops"},
        ),
    )


# How PostgreSQL stores a search row: a search reads the matched rows (a third of the catalogue
# for a broad word) for their head, codes and keys, so those columns stay uncompressed in the
# row (a compressed head cost ~150 ms of decompression for 28,000 rows at 60,000 services): they
# are PLAIN (never compressed, never out of line: each is bounded, names at 200 characters);
# lex, closed_days and closed_hours, unbounded and rarely read, are MAIN, compressed when the
# row would not fit otherwise.
# The search_storage, search_narrow_rows, search_text and search_lexeme_codes migrations say the
# same.
PLAIN_COLUMNS = (
    "head",
    "excluded",
    "term_ids",
    "facet_codes",
    "name_fr_key",
    "name_en_key",
    "open_week",
)
SEARCH_DOCUMENT_STORAGE = (
    "ALTER TABLE search_document SET (toast_tuple_target = 128)",
    "ALTER TABLE search_document ALTER lex SET STORAGE MAIN, ALTER closed_days SET STORAGE MAIN, "
    "ALTER closed_hours SET STORAGE MAIN, "
    + ", ".join(f"ALTER {column} SET STORAGE PLAIN" for column in PLAIN_COLUMNS),
)
for _statement in SEARCH_DOCUMENT_STORAGE:
    event.listen(
        SearchDocument.__table__,
        "after_create",
        DDL(_statement).execute_if(dialect="postgresql"),
    )

# The trigram index needs pg_trgm; migrations create it too (see the search_postgresql revision).
event.listen(
    SearchWord.__table__,
    "before_create",
    DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(dialect="postgresql"),
)
