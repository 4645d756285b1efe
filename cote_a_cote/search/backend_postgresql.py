# ruff: noqa: S608 - statements are composed of this module's own fragments; every value, and
# every stem of the query text, is a bound parameter.
"""The PostgreSQL backend (SEARCH_BACKEND=postgresql): search rows in the database itself.

Every app server reads the same tables, so an edit drained through one is found through all at
once; nothing lives on a server's disk. Writing: the outbox drainer (sync.py) turns each announced
service into one search_document row (plus its search_place rows and vocabulary words), under a
transaction-level advisory lock so two drainers never write an older version over a newer one.
A row holds its words as codes (lex: search_lexeme ids of its stems, its terms' ids negated).

Reading: one search is a handful of statements: the words' codes, the words' probe, the page
with its total and which matched rows each facet count admits (one statement; the counts are
then taken over this process's bit sets, facet_bits.py; without words, and with filters the
sets hold, every count is taken over them), and, only when nothing matched, the counts of every
widening (one more statement). Words are analysed exactly as for Whoosh
(folded, French and English Snowball stems), so both backends match the same documents; the
stems are bound parameters, and a tsquery is built from them, each quoted as a lexeme, never
from the text typed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING

from sqlalchemy import Row, text
from sqlalchemy.orm import Session

from ..config import LOCAL_ZONE
from ..geo.distance import EARTH_RADIUS_KM, bounding_box, geodesic_km
from . import facet_bits, schema
from .backend_whoosh import stems, words
from .documents import IndexDocument
from .engine import PLANE_TRUSTED, Plane, sort_key

if TYPE_CHECKING:
    from .query import AutoRadius

# Serialises drainers and rebuilds across every app server (an arbitrary, fixed key).
WRITER_LOCK_KEY = 7_311_013
# PostgreSQL refuses longer lexemes (in a tsvector or a tsquery): such a "word" is never indexed,
# and a query word that long matches nothing (Whoosh finds no document with it either).
MAX_LEXEME_BYTES = 2046
TRIGRAM_THRESHOLD = 0.2
SEARCH_WORK_MEM = "32MB"
# Sorted by distance, the nearest places are looked for within this distance first (km): a
# page found there needs no distance measured for the rest of the matched rows.
NEAR_FIRST_KM = 10.0
# Looking a row up by its key costs about as much as hashing this many matched rows (measured
# at 60,000 services: ~7 µs against ~0.6 µs).
LOOKUP_COST = 12
LEVEL_WEIGHTS = {"name": "A", "terms": "B", "body": "C"}
# The levels whose stems search_document.lex holds as codes (the taxonomy level is search_term's,
# through the row's terms, negated in lex), and those of search_document.head, a small tsvector
# that ranking reads first.
ROW_LEVELS = ("name", "body")
HEAD_LEVELS = ("name",)
# The keyword fields that are facets: kept as codes (search_document.facet_codes, ids of
# search_facet_code).
FACET_COLUMNS = tuple(schema.FACETS.values())
# Each flag's bit in search_document.flags.
FLAG_BITS = facet_bits.FLAG_BITS
_FACETS = tuple(schema.FACETS.items())
TABLES = (
    "search_document",
    "search_lexeme",
    "search_term",
    "search_place",
    "search_facet_code",
    "search_word",
)
# The options counted beside the facets (search parameters).
_OPTION_NAMES = ("accepting_only", "trained_only", "open_now")
# The options (and filter groups) that are a flag of the row: facet_bits holds their rows.
_FLAG_GROUPS = {"accepting_only": schema.FLAG_ACCEPTING, "trained_only": schema.FLAG_TRAINED}
# Filter groups every matched row (m) passes: no count of a search reads a row they refuse. The
# radius is never dropped to widen a search that found nothing (it widens by counts of its
# own), and a facet's count is taken within it; a row beyond it counted for nothing (25,000
# matched rows for "clinique" near a town, 2,700 of them within 50 km).
_STRICT_GROUPS = ("radius",)


# --- Connections ---------------------------------------------------------------------------------


def on_connect(dbapi_connection, _record) -> None:
    """Settings of the search statements, made once per new PostgreSQL connection (any
    SQLAlchemy engine of the process; other databases are left alone)."""
    if not type(dbapi_connection).__module__.startswith("psycopg"):
        return
    with dbapi_connection.cursor() as cursor:
        # One edit can leave a six-letter word only 0.27 similar (a swap): below pg_trgm's
        # default 0.3, so near spellings are looked up from 0.2 and one_edit() settles.
        cursor.execute(f"SET pg_trgm.similarity_threshold = {TRIGRAM_THRESHOLD}")
        # JIT compiles the long search statements for seconds (measured: 3.1 s of a 3.4 s
        # search at 60,000 services) to save milliseconds: these are short queries.
        cursor.execute("SET jit = off")
        # A broad word's matched rows (m, materialised) take ~2.5 MB at 60,000 services: over
        # the default 4 MB with their overhead, so they went to a temporary file.
        cursor.execute(f"SET work_mem = '{SEARCH_WORK_MEM}'")
        # psycopg prepares a statement run five times, and PostgreSQL may then plan it once for
        # any parameters: searches of one shape share their text, and the codes of their words
        # (bound as constants so that the planner counts their rows) would then go unread.
        # Measured at 60,000 services: a search near Montréal took 30 ms planned for its own
        # words, 265 ms with the plan of an earlier search of the same shape.
        cursor.execute("SET plan_cache_mode = force_custom_plan")
    dbapi_connection.commit()


# --- Writing --------------------------------------------------------------------------------------


def take_writer_lock(session: Session) -> None:
    """Wait for THE writer's turn; released when the session's transaction ends."""
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITER_LOCK_KEY})


def _open_ranges(hours: list) -> list[list[int]]:
    """[weekday, from, to] minute ranges; a schedule past midnight runs into the next day."""
    ranges = []
    for weekday, opens, closes in hours:
        closes = 1440 if closes == 0 else closes
        if closes > opens:
            ranges.append([weekday, opens, closes])
        else:
            ranges.append([weekday, opens, 1440])
            ranges.append([weekday % 7 + 1, 0, closes])
    return ranges


def _open_week(hours: list) -> str:
    """The minutes of the week (Monday 00:00 is 0) the service is open, as an int4multirange."""
    ranges = [
        f"[{(weekday - 1) * 1440 + opens},{(weekday - 1) * 1440 + closes})"
        for weekday, opens, closes in _open_ranges(hours)
    ]
    return "{" + ",".join(ranges) + "}"


def _closed_days(closed: list) -> str:
    """The days (date ordinals) of the service's whole-day closures, as an int4multirange."""
    days = [
        f"[{first},{last}]" for first, last, *minutes in closed if first <= last and not minutes
    ]
    return "{" + ",".join(days) + "}"


def _closed_hours(closed: list) -> list[int]:
    """The service's closures limited to some hours of each of their days, as flat [first day,
    last day, from minute, until minute] quadruples (documents.py's closed periods)."""
    return [
        number for first, last, *minutes in closed if minutes for number in (first, last, *minutes)
    ]


def _row(document: IndexDocument) -> tuple[dict, set[str]]:
    keywords, payload = document.keywords, document.payload
    levels: dict[str, list[str]] = {}
    spelled: set[str] = set()
    for level in ROW_LEVELS:
        levels[level], own = _analysed(document.texts.get(level) or "")
        spelled |= own
    name_fr, name_en = payload["names"]
    row = {
        "service_id": document.service_id,
        "organization_id": payload["org"],
        "audience": keywords.get("audience", [schema.AUDIENCE_INTERVENANTES])[0],
        "excluded": list(keywords.get("excluded", [])),
        "term_ids": sorted(document.term_texts),
        "flags": sum(FLAG_BITS[name] for name in set(keywords.get("flag", []))),
        "min_age": int(keywords["min_age"][0]) if keywords.get("min_age") else None,
        "max_age": int(keywords["max_age"][0]) if keywords.get("max_age") else None,
        "lexemes": sorted({stem for level in ROW_LEVELS for stem in levels[level]}),
        "head": _tsvector(levels, HEAD_LEVELS),
        "name_fr_key": sort_key(name_fr),
        "name_en_key": sort_key(name_en) if name_en else sort_key(name_fr),
        "verified_day": payload["verified"],
        "modified": payload["modified"],
        "open_week": _open_week(payload["hours"]),
        "closed_days": _closed_days(payload["closed"]),
        "closed_hours": _closed_hours(payload["closed"]),
    }
    return row, spelled


def _analysed(text: str) -> tuple[list[str], set[str]]:
    """The stems of a text's words, and its words long enough to be guessed (search_word)."""
    found = words(text)
    forms = sorted({form for word in found for form in _storable(stems(word))})
    spelled = {w for w in _storable(found) if len(w) >= schema.WORDS_MIN_LENGTH and w.isalpha()}
    return forms, spelled


def _storable(forms: Iterable[str]) -> list[str]:
    return [form for form in forms if form and len(form.encode("utf-8")) <= MAX_LEXEME_BYTES]


def _tsvector(levels: dict[str, list[str]], kept: tuple[str, ...]) -> str:
    """The tsvector text of a row (of its kept levels): each stem at a position of its level,
    weighted by level (a weight only holds on a position)."""
    entries = []
    for position, level in enumerate(schema.TEXT_FIELDS, start=1):
        if level not in kept:
            continue
        weight = LEVEL_WEIGHTS[level]
        entries += [f"{lexeme(stem)}:{position}{weight}" for stem in levels[level]]
    return " ".join(entries)


_INSERT = text(
    """
    INSERT INTO search_document (service_id, organization_id, audience, flags, term_ids,
        excluded, facet_codes, lex, min_age, max_age, head, name_fr_key, name_en_key,
        verified_day, modified, open_week, closed_days, closed_hours)
    VALUES (:service_id, :organization_id, :audience, :flags, :term_ids, :excluded,
        :facet_codes, :lex, :min_age, :max_age,
        CAST(:head AS tsvector),
        :name_fr_key, :name_en_key, :verified_day, :modified,
        CAST(:open_week AS int4multirange), CAST(:closed_days AS int4multirange),
        :closed_hours)
    """
)


def apply(session: Session, upserts: Iterable[IndexDocument], removals: Iterable[int]) -> int:
    """Replace or delete the rows of services; the caller holds the writer lock and commits."""
    upserts = list(upserts)
    gone = sorted({*removals, *(d.service_id for d in upserts)})
    if gone:
        for table in ("search_document", "search_place"):
            session.execute(
                text(f"DELETE FROM {table} WHERE service_id = ANY(:ids)"),
                {"ids": gone},
            )
    batch = _Batch()
    for document in upserts:
        batch.add(document)
    batch.insert(session)
    facet_bits.record_change(session, gone)
    return len(batch.rows)


@dataclass
class _Batch:
    """The rows of a batch of documents, inserted with one statement per table."""

    rows: list[dict] = field(default_factory=list)
    places: list[dict] = field(default_factory=list)
    spelled: set[str] = field(default_factory=set)
    term_texts: dict[int, str] = field(default_factory=dict)
    # Each row's (facet, value) pairs, turned into codes on insert.
    row_facets: list[set[tuple[str, str]]] = field(default_factory=list)

    def add(self, document: IndexDocument) -> None:
        row, own = _row(document)
        self.rows.append(row)
        self.spelled |= own
        self.term_texts.update(document.term_texts)
        pairs = {
            (column, value)
            for column in FACET_COLUMNS
            for value in document.keywords.get(column, [])
        }
        self.row_facets.append(pairs)
        for lat, lon in document.payload["coords"]:
            self.places.append({"service_id": document.service_id, "lat": lat, "lon": lon})

    def insert(self, session: Session) -> None:
        if self.rows:
            codes = _facet_codes(session, set().union(*self.row_facets))
            lexemes = _lexeme_codes(session, {x for row in self.rows for x in row["lexemes"]})
            for row, pairs in zip(self.rows, self.row_facets, strict=True):
                row["facet_codes"] = sorted(codes[pair] for pair in pairs)
                row["lex"] = lex_of(row["lexemes"], row["term_ids"], lexemes)
            session.execute(_INSERT, self.rows)
        if self.term_texts:
            self._upsert_terms(session)
        if self.places:
            session.execute(
                text(
                    "INSERT INTO search_place (service_id, lat, lon) "
                    "VALUES (:service_id, :lat, :lon)"
                ),
                self.places,
            )
        if self.spelled:
            session.execute(
                text(
                    "INSERT INTO search_word (word) SELECT unnest(CAST(:words AS text[])) "
                    "ON CONFLICT DO NOTHING"
                ),
                {"words": sorted(self.spelled)},
            )

    def _upsert_terms(self, session: Session) -> None:
        """The search_term rows of the batch's terms, as they read now."""
        ids, vectors = [], []
        for term_id, term_text in sorted(self.term_texts.items()):
            vector, own = _term_vector(term_text)
            self.spelled |= own
            ids.append(term_id)
            vectors.append(vector)
        session.execute(
            text(
                "INSERT INTO search_term (term_id, tsv) SELECT * FROM "
                "unnest(CAST(:ids AS integer[]), CAST(:vectors AS tsvector[])) "
                "ON CONFLICT (term_id) DO UPDATE SET tsv = EXCLUDED.tsv"
            ),
            {"ids": ids, "vectors": vectors},
        )


@lru_cache(maxsize=4096)
def _term_vector(term_text: str) -> tuple[str, frozenset[str]]:
    """A term's tsvector text (the taxonomy level) and its guessable words; the same for every
    batch of a rebuild, so analysed once."""
    forms, spelled = _analysed(term_text)
    return _tsvector({"terms": forms}, ("terms",)), frozenset(spelled)


def _facet_codes(session: Session, batch: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """The search_facet_code id of every (facet, value) of a batch, new ones added (the caller
    holds the writer lock, so no other writer adds the same value meanwhile)."""
    ordered = sorted(batch)
    pairs = {"facets": [facet for facet, _ in ordered], "values": [value for _, value in ordered]}
    session.execute(
        text(
            "INSERT INTO search_facet_code (facet, value) SELECT DISTINCT * FROM "
            "unnest(CAST(:facets AS text[]), CAST(:values AS text[])) ORDER BY 1, 2 "
            "ON CONFLICT DO NOTHING"
        ),
        pairs,
    )
    rows = session.execute(
        text(
            "SELECT c.facet, c.value, c.id FROM search_facet_code c JOIN (SELECT DISTINCT * FROM "
            "unnest(CAST(:facets AS text[]), CAST(:values AS text[]))) p (facet, value) "
            "USING (facet, value)"
        ),
        pairs,
    )
    return {(facet, value): code for facet, value, code in rows}


def lex_of(lexemes: Iterable[str], term_ids: Iterable[int], codes: dict[str, int]) -> list[int]:
    """A row's lex: the codes of its stems and, negated, the ids of its terms."""
    return sorted([codes[x] for x in lexemes] + [-term_id for term_id in term_ids])


def _lexeme_codes(session: Session, lexemes: set[str]) -> dict[str, int]:
    """The search_lexeme code of every stem of a batch, new ones added (the caller holds the
    writer lock)."""
    ordered = {"lexemes": sorted(lexemes)}
    session.execute(
        text(
            "INSERT INTO search_lexeme (lexeme) SELECT unnest(CAST(:lexemes AS text[])) "
            "ORDER BY 1 ON CONFLICT DO NOTHING"
        ),
        ordered,
    )
    rows = session.execute(
        text("SELECT lexeme, id FROM search_lexeme WHERE lexeme = ANY(CAST(:lexemes AS text[]))"),
        ordered,
    )
    return {lexeme: code for lexeme, code in rows}


def clear(session: Session) -> None:
    """Empty every search table (a rebuild refills them in the same transaction) but the
    codes of the stems: a search reads its words' codes, then its rows, in two statements, so a
    stem keeps its code for good (a rebuild committed between the two changes nothing)."""
    for table in TABLES:
        if table != "search_lexeme":
            session.execute(text(f"DELETE FROM {table}"))
    facet_bits.record_change(session, None)


def is_empty(session: Session) -> bool:
    return session.execute(text("SELECT 1 FROM search_document LIMIT 1")).first() is None


# --- Building statements --------------------------------------------------------------------------


def lexeme(stem: str, weights: str = "", prefix: bool = False) -> str:
    """One quoted tsquery lexeme. Stems are \\w+ already; quotes and backslashes are doubled
    anyway, so no text can ever reach the tsquery parser as syntax."""
    quoted = "'" + stem.replace("\\", "\\\\").replace("'", "''") + "'"
    suffix = ("*" if prefix else "") + weights
    return f"{quoted}:{suffix}" if suffix else quoted


@dataclass
class Sql:
    """A condition under construction, with its bound parameters.

    The codes a word is matched by (search_lexeme, search_term) are bound as constants, so the
    planner estimates how many rows hold them (an array computed in the statement counted as
    one row, and four common words near a place took 11 s of nested loops): a code array is
    bound first as a placeholder (pending), and resolve_codes() reads them all in one
    statement before the condition's statement runs. Known codes are shared (codes) between
    the statements of one search."""

    params: dict = field(default_factory=dict)
    _n: int = 0
    prefix: str = "p"  # of the parameters' names: several conditions can share one statement
    # (forms, prefix) -> codes, of every Sql of one search; parameter name -> (forms, prefix)
    codes: dict[tuple[tuple[str, ...], bool], list[int]] = field(default_factory=dict)
    pending: dict[str, tuple[tuple[str, ...], bool]] = field(default_factory=dict)

    def bind(self, value) -> str:
        self._n += 1
        name = f"{self.prefix}{self._n}"
        self.params[name] = value
        return f":{name}"

    def matches(self, forms: Iterable[str], column: str) -> str:
        """SQL: the row's tsvector column holds one of forms."""
        query = self._tsquery(forms)
        return f"d.{column} @@ {query}" if query else "FALSE"

    def finds(self, forms: Iterable[str], prefix: bool = False) -> str:
        """SQL: the row holds one of forms (as a prefix) at any level: in its name or text
        (search_document.lex), or in the search_term row of one of its terms."""
        codes = self.word_query(forms, prefix=prefix)
        return self.finds_all([codes]) if codes else "FALSE"

    def word_query(self, forms: Iterable[str], prefix: bool = False) -> str:
        """SQL: the codes (an integer[]) that find a word at any level in search_document.lex:
        those of forms (the stems they begin), and the negated id of every term whose own text
        holds one of them. Empty when no form can be a lexeme."""
        storable = tuple(_storable(forms))
        if not storable:
            return ""
        key = (storable, prefix)
        if key in self.codes:
            return f"CAST({self.bind(self.codes[key])} AS integer[])"
        placeholder = self.bind(None)  # ":p7"; its value comes from resolve_codes()
        self.pending[placeholder.removeprefix(":")] = key
        return f"CAST({placeholder} AS integer[])"

    def finds_all(self, queries: list[str]) -> str:
        """SQL: the row holds every word (each a word_query) at some level. One GIN index
        intersects the words: a row is read only when it holds them all, and in its own table
        (found in another, each row was then looked up: 80 ms for 25,000 rows at 60,000)."""
        return "(" + " AND ".join(f"d.lex && {codes}" for codes in queries) + ")"

    def holders(self, forms: Iterable[str], base: str, limit: int) -> str:
        """SQL: up to limit visible rows (base, over d) holding one of forms at any level, as
        finds() would find them, read through the GIN index and stopping at limit."""
        codes = self.word_query(forms)
        if not codes:
            return "SELECT NULL::integer AS service_id WHERE FALSE"
        return (
            f"(SELECT d.service_id FROM search_document d WHERE {base} AND d.lex && {codes} "
            f"LIMIT {limit})"
        )

    def in_terms(self, forms: Iterable[str]) -> str:
        """SQL: one of the row's terms holds one of forms (the taxonomy level)."""
        query = self._tsquery(forms)
        return self._in_terms(query) if query else "FALSE"

    def _in_terms(self, query: str) -> str:
        # Uncorrelated: the few search_term rows are matched once per statement, and the
        # search rows found through the GIN index on term_ids.
        return f"d.term_ids && ARRAY(SELECT t.term_id FROM search_term t WHERE t.tsv @@ {query})"

    def _tsquery(self, forms: Iterable[str], prefix: bool = False) -> str:
        """SQL: the tsquery of any of forms, bound; empty when no form can be a lexeme."""
        lexemes = _any_lexeme(forms, prefix)
        return f"CAST({self.bind(lexemes)} AS tsquery)" if lexemes else ""


def resolve_codes(session: Session, sqls: Iterable[Sql]) -> None:
    """Bind the codes every pending word of sqls is found by, read in one statement."""
    asked = {key for sql in sqls for key in sql.pending.values() if key not in sql.codes}
    if asked:
        ordered = sorted(asked)
        lookup = Sql(prefix="r")
        columns = [_codes_sql(lookup, forms, prefix) for forms, prefix in ordered]
        row = session.execute(text(f"SELECT {', '.join(columns)}"), lookup.params).one()
        for sql in sqls:
            sql.codes.update(zip(ordered, (list(codes) for codes in row), strict=True))
    for sql in sqls:
        for name, key in sql.pending.items():
            sql.params[name] = sql.codes[key]
        sql.pending.clear()


def _codes_sql(lookup: Sql, forms: tuple[str, ...], prefix: bool) -> str:
    """SQL: the codes of forms (of the stems they begin) and the negated ids of the terms whose
    text holds one of them."""
    stems = f"CAST({lookup.bind(list(forms))} AS text[])"
    own = f"l.lexeme ^@ ANY({stems})" if prefix else f"l.lexeme = ANY({stems})"
    terms = f"CAST({lookup.bind(_any_lexeme(forms, prefix))} AS tsquery)"
    return (
        f"ARRAY(SELECT l.id FROM search_lexeme l WHERE {own} "
        f"UNION ALL SELECT -t.term_id FROM search_term t WHERE t.tsv @@ {terms})"
    )


def _any_lexeme(forms: Iterable[str], prefix: bool) -> str:
    """The tsquery text of any of forms (as prefixes); empty when none can be a lexeme."""
    return " | ".join(lexeme(form, prefix=prefix) for form in _storable(forms))


# --- What words come to, kept between searches -------------------------------------------------

# A word's codes and its probe depend on the search tables alone, which change only with a write
# (logged in search_change, facet_bits): each process keeps them for the tables' newest state, and
# a search at that state reads neither again (probing a common word builds the GIN bitmap of
# every row holding it: ~5 ms for "thérapie" at 60,000 services). At most WORDS_KEPT of each.
WORDS_KEPT = 4096
# The rows a search's words match, kept as a bit set for words that match at least
# TEXT_ROWS_FROM rows (at most TEXTS_KEPT of them: 7.5 kB each at 60,000 services): a search of
# the same words with filters then reads only the rows every filter admits, and counts over the
# sets ("thérapie" in one region read its 18,000 rows for the region's facet counts).
TEXT_ROWS_FROM = 2000
TEXTS_KEPT = 256


@dataclass
class KnownWords:
    """The codes (Sql.codes), the probes (Plan._probe) and the rows of common words' searches
    (Plan._text_rows) read at one state of the tables."""

    state: tuple[int, int] | None
    codes: dict[tuple[tuple[str, ...], bool], list[int]] = field(default_factory=dict)
    # (public, FUZZY_BELOW, word, guessable) -> (rows holding it up to FUZZY_BELOW, near words)
    probes: dict[tuple[bool, int, str, bool], tuple[int, list[str]]] = field(default_factory=dict)
    # (public, q, any_word) -> the visible rows the words match (a bit set of service ids)
    texts: dict[tuple[bool, str, bool], int] = field(default_factory=dict)


_known: dict[str, KnownWords] = {}


def known_words(session: Session) -> KnownWords:
    """This process's codes and probes of the tables' state as the session reads it now (a
    state whose rows it has not read yet: none)."""
    state = facet_bits.state_of(session.execute(text(f"SELECT {facet_bits.STATE_SQL}")).scalar())
    key = facet_bits.database_key(session)
    known = _known.get(key)
    if (
        known is None
        or known.state != state
        or max(len(known.codes), len(known.probes)) > WORDS_KEPT
    ):
        known = _known[key] = KnownWords(state)
    return known


def _flag(name: str) -> str:
    """SQL: the row has the flag (a bit of search_document.flags)."""
    return f"(d.flags & {FLAG_BITS[name]} <> 0)"


def _coded(sql: Sql, column: str, values: list[str]) -> str:
    """SQL: the row has one of the values of a facet (through their codes; the lookup is
    uncorrelated, run once per statement, and the rows found through the GIN index)."""
    codes = (
        f"SELECT c.id FROM search_facet_code c WHERE c.facet = {sql.bind(column)} "
        f"AND c.value = ANY(CAST({sql.bind(list(values))} AS text[]))"
    )
    return f"d.facet_codes && ARRAY({codes})"


def _any_of(sql: Sql, column: str, values: list[str]) -> str:
    return f"d.{column} && CAST({sql.bind(list(values))} AS text[])"


@dataclass
class WordSpec:
    score: str  # SQL: points this word gives a document
    match: str  # SQL: the document matches this word (TRUE when it has a query)
    # SQL: the word's tsquery text (Sql.word_query) when every matched row holds it exactly;
    # the rows holding all such words are found together (Sql.finds_all).
    query: str = ""


@dataclass
class Found:
    """What the one statement of a search answers."""

    service_ids: list[int]
    total: int
    distances_km: dict[int, float]
    labels: dict[int, str]
    facets: dict[str, dict[str, int]]
    # Per filter group: how many services the search finds without it (zero-result widenings).
    without: dict[str, int]
    # With an automatic radius: how many services have a place within each of its radii.
    located: dict[float, int] = field(default_factory=dict)


@dataclass
class _MatchedRows:
    """The rows a search's words match (m), with one flag column per filter group."""

    flags: dict[str, str]  # filter group -> its flag column
    # Whether the counts come from this process's sets (Plan._counted_by_sets): m then holds
    # only the rows every group admits, and no flag column.
    by_sets: bool = False

    def ok(self, without: str | None = None) -> str:
        """SQL: the row is admitted by every group but without."""
        kept = [f"m.{flag}" for name, flag in self.flags.items() if name != without]
        return " AND ".join(kept) or "TRUE"


class Plan:
    """The SQL conditions of one search: visible rows, each word, each filter group."""

    def __init__(
        self,
        session: Session,
        params,
        audience_public: bool,
        now: datetime,
        *,
        prefix: str = "p",
        probed: dict[str, tuple[int, list[str]]] | None = None,
        known: KnownWords | None = None,
        places: dict | None = None,
    ):
        """prefix: of the parameters' names; probed: the words' probe by another plan of the
        same audience (what the corpus holds of each word does not depend on the filters);
        known: the words' codes and probes at the tables' state (known_words(), read when
        not given and the search has words); places: the CTEs of the places within a radius
        that the plans of one statement share (within)."""
        self.session, self.params, self.now = session, params, now
        found = query_words_of(params.q)
        if known is None:
            known = known_words(session) if found else KnownWords(None)
        self.known = known
        self.sql = Sql(prefix=prefix, codes=known.codes)
        self.public = audience_public
        self.base = (
            f"d.audience = {self.sql.bind(schema.AUDIENCE_PUBLIC)}" if audience_public else "TRUE"
        )
        self.probed = probed if probed is not None else {}
        self.places: dict[tuple[float, float, float], str] = places if places is not None else {}
        # The CTEs the conditions read (the places within the radius): every statement of the
        # plan's conditions begins with them (with_ctes).
        self.ctes: list[str] = []
        self.words = self._words(found)
        self.text = self._text()
        self.groups = self._groups()

    # Words ----------------------------------------------------------------------------------------

    def _execute(self, statement: str, params: dict | None = None) -> Row:
        """Run one of the search's statements (its words' codes read first), steering the
        planner to the indexes: it counted nothing for reading a long tsv out of line, so on a
        word common enough it preferred to read every row and test each tsv, ten times slower
        than the GIN index (measured at 60,000 services: 3.7 s against 0.37 s for "therapy")."""
        resolve_codes(self.session, [self.sql])
        self.session.execute(text("SET LOCAL enable_seqscan = off"))
        row = self.session.execute(text(statement), params or self.sql.params).one()
        self.session.execute(text("SET LOCAL enable_seqscan TO DEFAULT"))
        return row

    def _words(self, found: list[tuple[str, bool]]) -> list[WordSpec]:
        if not self.probed:
            self.probed = self._probe(found)
        probed = self.probed
        return [self._word(word, last, *probed.get(word, (None, []))) for word, last in found]

    def _probe(self, found: list[tuple[str, bool]]) -> dict[str, tuple[int, list[str]]]:
        """For each word that may need it, in one statement: how many visible rows it matches
        (up to FUZZY_BELOW; 0 lets the last word be a prefix) and, only for a rare word long
        enough to be guessed, the corpus words that look like it (trigrams)."""
        below = _fuzzy_below()
        asked = {word for word, last in found if _guessable(word) or _prefixable(word, last)}
        known = self.known.probes
        keys = {word: (self.public, below, word, _guessable(word)) for word in asked}
        missing = sorted(word for word in asked if keys[word] not in known)
        if missing:
            known.update(zip((keys[w] for w in missing), self._probed(missing, below), strict=True))
        return {word: known[keys[word]] for word in asked}

    def _probed(self, asked: list[str], below: int) -> list[tuple[int, list[str]]]:
        """The probe of words (_probe), read in one statement."""
        sql, counts, columns = self.sql, [], []
        for i, word in enumerate(asked):
            # Counted up to `below` only (through the GIN indexes: see _execute). Each level
            # gives `below` rows at most: their union holds `below` rows if the word has them.
            counts.append(
                f"(SELECT least(count(*), {below}) AS c FROM "
                f"({sql.holders(stems(word), self.base, below)}) s) w{i}"
            )
            columns.append(f"w{i}.c")
            if _guessable(word):
                # Uncorrelated: PostgreSQL runs it once, and only for a rare word. The trigram
                # threshold is set per connection (on_connect).
                near = (
                    f"ARRAY(SELECT word FROM search_word WHERE word % {sql.bind(word)} "
                    f"AND left(word, 1) = {sql.bind(word[0])} "
                    f"AND length(word) BETWEEN {len(word) - 1} AND {len(word) + 1})"
                )
                columns.append(f"CASE WHEN w{i}.c < {below} THEN {near} END")
            else:
                columns.append("NULL")
        statement = f"SELECT {', '.join(columns)} FROM {' CROSS JOIN '.join(counts)}"
        row = self._execute(statement)
        return [(row[2 * i], list(row[2 * i + 1] or [])) for i in range(len(asked))]

    def _word(
        self, word: str, last: bool, exact_count: int | None, looks_like: list[str]
    ) -> WordSpec:
        """How a word matches and scores; exact_count: how many visible rows hold it (up to
        FUZZY_BELOW), None when not probed."""
        sql = self.sql
        forms = stems(word)
        absent = exact_count == 0  # no row holds it: nothing to test for it
        loose_parts = self._loose_parts(word, last, exact_count, looks_like)
        # A word every matched row holds exactly is found with the other such words (_text).
        held = not (absent or loose_parts or self.params.any_word)
        query = sql.word_query(forms) if held else ""
        exact = "FALSE" if absent else ("TRUE" if query else sql.finds(forms))
        # The name level is read from the small head, the taxonomy level from the row's terms;
        # the body level is what is left of an exact match.
        levels = (
            ["FALSE", "FALSE", "FALSE"]
            if absent
            else [sql.matches(forms, column="head"), sql.in_terms(forms), exact]
        )
        loose = " OR ".join(loose_parts) if loose_parts else "FALSE"
        loose_score = loose
        points = [points for _, points in schema.TEXT_LEVELS]
        if not self.params.any_word:
            # Every matched row holds the word, so what is already known needs no test (and
            # no second reading of the long tsv): exactly, if not in its head then in its body;
            # or only as a near spelling or a prefix.
            if not loose_parts:
                levels[-1] = "TRUE"
            elif absent:
                loose_score = "TRUE"
        cases = " ".join(
            f"WHEN {condition} THEN {score}"
            for condition, score in zip(levels, points, strict=True)
        )
        score = f"(CASE {cases} WHEN {loose_score} THEN {schema.FUZZY_POINTS} ELSE 0 END)"
        return WordSpec(score=score, match=f"({exact} OR {loose})", query=query)

    def _loose_parts(
        self, word: str, last: bool, exact_count: int | None, looks_like: list[str]
    ) -> list[str]:
        """SQL conditions for what nearly matches a word: the near spellings of a rare word, and
        for the last word, held by no row, the stems it begins."""
        sql = self.sql
        parts = []
        if _guessable(word) and exact_count is not None and exact_count < _fuzzy_below():
            close = {other for other in looks_like if other != word and one_edit(word, other)}
            others = sorted(close, key=lambda w: (len(w), w))[: _expansion_limit()]
            loose_forms = sorted({form for other in others for form in stems(other)})
            if loose_forms:
                parts.append(sql.finds(loose_forms))
        if _prefixable(word, last) and exact_count == 0:
            prefix = sql.finds([word], prefix=True)
            if parts:
                # Near spellings were found: the prefix only counts if they match nothing
                # visible either (an uncorrelated subquery, run once per statement).
                nothing = (
                    "NOT EXISTS (SELECT 1 FROM search_document d "
                    f"WHERE {self.base} AND ({' OR '.join(parts)}))"
                )
                prefix = f"({nothing} AND {prefix})"
            parts.append(prefix)
        return parts

    def _text(self) -> str:
        if not self.words:
            return "TRUE"
        if self.params.any_word:
            return "(" + " OR ".join(spec.match for spec in self.words) + ")"
        held = [spec.query for spec in self.words if spec.query]
        parts = [spec.match for spec in self.words if not spec.query]
        if held:
            parts.insert(0, self.sql.finds_all(held))
        return "(" + " AND ".join(parts) + ")"

    # Filters --------------------------------------------------------------------------------------

    def _remote(self) -> str:
        return _flag(schema.FLAG_REMOTE) if self.params.include_remote else "FALSE"

    def region_condition(self, codes: list[str]) -> str:
        sql = self.sql
        parts = [_coded(sql, "region", codes)]
        if schema.serves_every_region(codes):
            parts.append(_flag(schema.FLAG_PROVINCE_WIDE))
        parts.append(self._remote())
        return "(" + " OR ".join(parts) + ")"

    def _groups(self) -> dict[str, str]:
        p, sql = self.params, self.sql
        groups: dict[str, str] = {}
        if p.regions:
            groups["regions"] = self.region_condition(list(p.regions))
        for name, column in schema.FACETS.items():
            values = getattr(p, name)
            if values and name != "regions":
                groups[name] = _coded(sql, column, list(values))
        if p.taxonomy_term_ids:
            groups["taxonomy_term_ids"] = (
                f"d.term_ids && CAST({sql.bind(list(p.taxonomy_term_ids))} AS integer[])"
            )
        if p.organization_id is not None:
            groups["organization_id"] = f"d.organization_id = {sql.bind(p.organization_id)}"
        if p.modified_after is not None:
            groups["modified_after"] = f"d.modified > {sql.bind(p.modified_after.timestamp())}"
        if p.accepting_only:
            groups["accepting_only"] = _flag(schema.FLAG_ACCEPTING)
        if p.trained_only:
            groups["trained_only"] = _flag(schema.FLAG_TRAINED)
        if p.open_now:
            groups["open_now"] = self.open_now()
        if p.near is not None and p.radius_km:
            groups["radius"] = self.radius_condition(p.radius_km)
        if p.hide_turned_away and (p.person_age is not None or p.person_populations):
            groups["hide_turned_away"] = f"NOT {self.turned_away()}"
        return groups

    def turned_away(self) -> str:
        p, sql = self.params, self.sql
        parts = []
        if p.person_populations:
            parts.append(_any_of(sql, "excluded", list(p.person_populations)))
        if p.person_age is not None:
            age = sql.bind(p.person_age)
            parts.append(f"coalesce(d.min_age > {age}, FALSE)")
            parts.append(f"coalesce(d.max_age < {age}, FALSE)")
        return "(" + (" OR ".join(parts) or "FALSE") + ")"

    def open_now(self, row: str = "d") -> str:
        """Open at this minute; row is a search_document row (d) or a matched row (m)."""
        sql = self.sql
        local = self.now.astimezone(LOCAL_ZONE)
        week_minute = (local.isoweekday() - 1) * 1440 + local.hour * 60 + local.minute
        within = f"{row}.open_week @> CAST({sql.bind(week_minute)} AS integer)"
        day = sql.bind(local.date().toordinal())
        closed = f"{row}.closed_days @> CAST({day} AS integer)"
        # A closure for some hours: that day within its days, that minute within its hours.
        minute = sql.bind(local.hour * 60 + local.minute)
        hours = f"{row}.closed_hours"
        closed_for_hours = (
            f"(cardinality({hours}) > 0 AND EXISTS (SELECT 1 FROM generate_series(1, "
            f"cardinality({hours}), 4) i WHERE {hours}[i] <= {day} AND {day} <= {hours}[i + 1] "
            f"AND {hours}[i + 2] <= {minute} AND {minute} < {hours}[i + 3]))"
        )
        always = _flag(schema.FLAG_ALWAYS_OPEN) if row == "d" else f"{row}.always"
        return f"(({always} OR {within}) AND NOT {closed} AND NOT {closed_for_hours})"

    def within(self, radius_km: float) -> str:
        """Rows with a place within radius_km: a bounding box on the indexed coordinates, then
        the same test as Whoosh's (plane distance, great-circle distance near the edge).

        The places are found once, in a CTE of the statement: with facets, the condition is
        read twice (which rows are matched, and which group admits each), and each reading
        measured every place in the box again (18,000 places within 100 km of Calumet at
        60,000 services)."""
        places = self._places_within(radius_km)
        return f"d.service_id IN (SELECT {places}.service_id FROM {places})"

    def _places_within(self, radius_km: float) -> str:
        """The name of the CTE of the places within radius_km (added to the plan's CTEs)."""
        lat, lon = self.params.near
        key = (lat, lon, float(radius_km))
        name = self.places.get(key)
        if name is None:
            # The plans of one statement (a search's widenings) share the places of one radius:
            # seven widenings near Montréal measured the same 8,300 places seven times.
            name = self.places[key] = f"{self.sql.prefix}within"
            self.ctes.append(
                f"{name} AS MATERIALIZED (SELECT p.service_id FROM search_place p "
                f"WHERE {self._place_within(radius_km)})"
            )
        return name

    def _place_within(self, radius_km: float) -> str:
        """SQL: the place p is within radius_km of the point: in the bounding box (read through
        the lat/lon index), then the same test as Whoosh's (plane distance, great-circle
        distance near the edge)."""
        sql = self.sql
        lat, lon = self.params.near
        plane = _plane_sql(sql, lat, lon)
        radius = sql.bind(float(radius_km))
        great_circle = _haversine_sql(sql, lat, lon)
        return (
            f"{_box_sql(sql, lat, lon, radius_km)} "
            f"AND ({plane} <= {radius} * {PLANE_TRUSTED} "
            f"OR ({plane} <= {radius} * {2 - PLANE_TRUSTED} AND {great_circle} <= {radius}))"
        )

    def with_ctes(self, ctes: list[str], *others: Plan) -> str:
        """The WITH clause of a statement: the CTEs of this plan's conditions (and of others'),
        then ctes; empty when there are none."""
        every = [*self.ctes, *(cte for other in others for cte in other.ctes), *ctes]
        return f"WITH RECURSIVE {', '.join(every)} " if every else ""

    def radius_condition(self, radius_km: float) -> str:
        province_wide = _flag(schema.FLAG_PROVINCE_WIDE)
        return f"({self.within(radius_km)} OR {province_wide} OR {self._remote()})"

    def matched(self, without: str | None = None) -> str:
        parts = [self.base, self.text]
        parts += [group for name, group in self.groups.items() if name != without]
        return " AND ".join(parts)

    def counts(self, changes: list) -> list[int]:
        """How many rows each of changes (other search parameters, same audience) matches:
        one statement for them all, the words probed once (by this plan)."""
        if not changes:
            return []
        plans = [self.other(changed, f"c{i}_") for i, changed in enumerate(changes)]
        # The rows this plan's words match are found once (w), for every change that keeps
        # the words as they are; the others are counted on their own.
        same_words = [
            bool(self.words)
            and (plan.params.q, plan.params.any_word) == (self.params.q, self.params.any_word)
            for plan in plans
        ]
        # Without words, a change whose filters the sets hold is counted over them (the ids
        # within its radius read here): dropping the words of a search that found nothing near
        # a town otherwise read every visible row (46 ms at 60,000 services).
        over_sets = [plan.text == "TRUE" and plan._counted_by_sets(True) for plan in plans]
        counted = ", ".join(
            plan._radius_ids() if by_sets else plan._count_sql(same)
            for plan, same, by_sets in zip(plans, same_words, over_sets, strict=True)
        )
        if any(over_sets):
            counted += f", {facet_bits.STATE_SQL}"
        words = [f"w AS MATERIALIZED ({self._words_rows()})"] if any(same_words) else []
        resolve_codes(self.session, [self.sql, *(plan.sql for plan in plans)])
        params = {name: value for plan in plans for name, value in plan.sql.params.items()}
        ctes = self.with_ctes(words, *plans)
        row = list(self._execute(f"{ctes}SELECT {counted}", params | self.sql.params))
        if not any(over_sets):
            return row
        sets = facet_bits.sets_for(self.session, facet_bits.state_of(row[-1]))
        return [
            plan._count_over_sets(sets, answer) if by_sets else answer
            for plan, by_sets, answer in zip(plans, over_sets, row, strict=False)
        ]

    def _words_rows(self) -> str:
        """SQL: the visible rows the plan's words match."""
        return f"SELECT d.service_id FROM search_document d WHERE {self.base} AND {self.text}"

    def _count_sql(self, same_words: bool) -> str:
        """SQL: how many rows this plan matches; among w (the rows the words match, found
        once for every change that keeps them) when same_words."""
        if same_words:
            return (
                "(SELECT count(*) FROM w JOIN search_document d ON d.service_id = w.service_id "
                f"WHERE {' AND '.join(self.groups.values()) or 'TRUE'})"
            )
        return f"(SELECT count(*) FROM search_document d WHERE {self.matched()})"

    def other(self, changed, prefix: str) -> Plan:
        """The plan of other search parameters, for the same audience at the same time."""
        probed = self.probed if changed.q == self.params.q else None
        return Plan(
            self.session,
            changed,
            self.public,
            self.now,
            prefix=prefix,
            probed=probed,
            known=self.known,
            places=self.places,
        )

    # The search: one statement --------------------------------------------------------------------

    def score(self) -> str:
        sql = self.sql
        recent = self.now.date().toordinal() - _recently_verified_days()
        boosts = {
            "trained": _flag(schema.FLAG_TRAINED),
            "accepting": _flag(schema.FLAG_ACCEPTING),
            "recent": f"coalesce(d.verified_day >= {sql.bind(recent)}, FALSE)",
        }
        parts = [spec.score for spec in self.words]
        parts += [
            f"(CASE WHEN {boosts[name]} THEN {points} ELSE 0 END)"
            for name, points in schema.BOOST_POINTS
        ]
        return " + ".join(parts)

    def eligible(self, row: str = "d") -> str:
        """Rows that get a distance: located, and not province-wide (those get a label). row is
        a search_document row (d) or a matched row of a search (m)."""
        wide = _flag(schema.FLAG_PROVINCE_WIDE) if row == "d" else f"{row}.pw"
        located = f"EXISTS (SELECT 1 FROM search_place p WHERE p.service_id = {row}.service_id)"
        return f"({located} AND NOT {wide})"

    def order(self) -> str:
        """The page order, over the columns of the page's rows."""
        p = self.params
        if p.sort == "name":
            return 'name_key COLLATE "C", service_id'
        if p.sort == "distance" and p.near is not None:
            return (
                "(NOT eligible), CASE WHEN eligible THEN round(km::numeric, 3) END, "
                'score DESC, name_key COLLATE "C", service_id'
            )
        if p.near is not None:
            return (
                "score DESC, (NOT eligible), CASE WHEN eligible THEN km END, "
                "CASE WHEN eligible THEN '' ELSE name_key END COLLATE \"C\", service_id"
            )
        return 'score DESC, name_key COLLATE "C", service_id'

    def search(
        self, start: int, count: int, with_facets: bool, auto_radius: AutoRadius | None = None
    ) -> Found:
        """The page, the total and (with_facets) every facet count.

        One statement: the rows the words match are read once (m, with one flag per filter
        group); the page and the total are taken from them, and, with facets, the option
        counts and which matched rows each facet count admits. The facet counts are then
        taken over this process's bit sets (facet_bits), read again when the tables changed.

        With auto_radius, whose first radius is this search's: how many rows have a place
        within each of its radii (Found.located); the rest is answered only when the first
        radius is the one chosen, else the Found holds only the counts.
        """
        return self._search(start, count, with_facets, auto_radius)

    def _search(
        self,
        start: int,
        count: int,
        with_facets: bool,
        auto_radius: AutoRadius | None,
        sets_allowed: bool = True,
    ) -> Found:
        """search(); counted over the sets only when sets_allowed."""
        by_sets = sets_allowed and self._counted_by_sets(with_facets)
        flags = {name: f"g{i}" for i, name in enumerate(self.groups) if name not in _STRICT_GROUPS}
        matched = _MatchedRows({} if by_sets else flags, by_sets)
        statement = self._statement(matched, start, count, with_facets, auto_radius)
        row, sets = self._answer(statement, with_facets)
        located = dict(zip(auto_radius.radii, row[-1], strict=True)) if auto_radius else {}
        if auto_radius is not None and auto_radius.choice(located) != self.params.radius_km:
            return Found([], 0, {}, {}, {}, {}, located)
        if by_sets and sets is not None and self.text != "TRUE" and sets.state != self.known.state:
            # The words' rows were kept at another state than the one the statement read.
            return self._search(start, count, with_facets, auto_radius, sets_allowed=False)
        total, page = row[0], row[1] or []
        distances, labels = self._distances_and_labels(page)
        found = Found([entry[0] for entry in page], total, distances, labels, {}, {}, located)
        if sets is not None:  # read when the statement answered with facets
            self._counts_of(found, matched, row, sets)
        return found

    def _counts_of(self, found: Found, matched: _MatchedRows, row: Row, sets) -> None:
        """The facet and option counts of the search's statement's answer (row)."""
        asked = {name: getattr(self.params, name) for name in schema.FACETS}
        if matched.by_sets:
            admitted, sums, groups = self._counted_from_sets(row, sets)
        else:
            admitted = facet_bits.admitted_from(row[4], _failing_facets(matched))
            sums, groups = row[3], list(matched.flags)
            self._keep_text_rows(admitted.everyone, sets)
        found.facets = facet_bits.facet_counts(sets, admitted, asked)
        self._options_of(found, sums, groups)

    def _counted_by_sets(self, with_facets: bool) -> bool:
        """Whether the search's counts are taken over this process's sets alone: a search with
        facets whose filter groups are all a facet's or a flag's (the radius apart, whose rows
        the statement answers), without words or with words whose rows the process keeps
        (_text_rows). Its matched rows (m) are then only those every group admits: browsing a
        need at 60,000 services read all 54,000 visible rows for its counts, and browsing it
        with a second filter, every row failing at most one of the two."""
        settable = {*_STRICT_GROUPS, *schema.FACETS, *_FLAG_GROUPS}
        if not with_facets or not set(self.groups) <= settable:
            return False
        return self.text == "TRUE" or self._text_rows() is not None

    def _text_rows(self) -> int | None:
        """The visible rows the search's words match, as this process keeps them for the
        tables' state (None when it does not): a search of the same words with filters is then
        counted over the sets too."""
        return self.known.texts.get(self._text_key())

    def _text_key(self) -> tuple[bool, str, bool]:
        """What the rows a search's words match depend on, at one state of the tables."""
        return (self.public, self.params.q, self.params.any_word)

    def _keep_text_rows(self, rows: int, sets) -> None:
        """Keep the rows of a search with words and without filters (rows: every row it
        matched), when common enough and read at the state its words are known at."""
        if self.text == "TRUE" or self.groups or sets.state != self.known.state:
            return
        texts = self.known.texts
        if rows.bit_count() >= TEXT_ROWS_FROM and len(texts) < TEXTS_KEPT:
            texts[self._text_key()] = rows

    def _counted_from_sets(self, row: Row, sets) -> tuple[facet_bits.Admitted, list, list[str]]:
        """The rows each count admits, the option and group counts (as _facet_answers' sums)
        and the groups counted, of a search counted over the sets (_set_answers)."""
        universe, groups, province_wide, remote = self._set_groups(sets, row[4])
        admitted, others = facet_bits.admitted_by_sets(universe, groups, province_wide, remote)
        sums = [
            (others.get(name, admitted.everyone) & sets.flagged(flag)).bit_count()
            for name, flag in _FLAG_GROUPS.items()
        ]
        sums += [row[3][0], *(others[name].bit_count() for name in groups)]
        return admitted, sums, list(groups)

    def _set_groups(
        self, sets, radius_ids: list[int] | None
    ) -> tuple[int, dict[str, int], int, int]:
        """Of a search counted over the sets: the rows it may count (visible, and near enough
        when radius_ids, the ids of the services with a place within its radius, are given),
        the rows each of its other filter groups admits, the province-wide and the remote
        rows (these when it includes them)."""
        province_wide = sets.flagged(schema.FLAG_PROVINCE_WIDE)
        remote = sets.flagged(schema.FLAG_REMOTE) if self.params.include_remote else 0
        universe = sets.visible(self.public)
        text_rows = self._text_rows() if self.text != "TRUE" else None
        if text_rows is not None:
            universe &= text_rows
        if "radius" in self.groups:
            universe &= facet_bits.bit_set(radius_ids) | province_wide | remote
        groups = {
            name: self._group_rows(sets, name, province_wide, remote)
            for name in self.groups
            if name not in _STRICT_GROUPS
        }
        return universe, groups, province_wide, remote

    def _count_over_sets(self, sets, radius_ids: list[int] | None) -> int:
        """How many rows a search counted over the sets (_counted_by_sets) matches."""
        rows, groups, _wide, _remote = self._set_groups(sets, radius_ids)
        for admits in groups.values():
            rows &= admits
        return rows.bit_count()

    def _group_rows(self, sets, name: str, province_wide: int, remote: int) -> int:
        """The rows a filter group admits, from the sets: a flag's, or a facet's (the province-
        wide and the remote services as region_condition admits them)."""
        if name in _FLAG_GROUPS:
            return sets.flagged(_FLAG_GROUPS[name])
        values = getattr(self.params, name)
        rows = sets.having(schema.FACETS[name], values)
        if name == "regions":
            rows |= (province_wide if schema.serves_every_region(values) else 0) | remote
        return rows

    def _answer(self, statement: str, with_facets: bool) -> tuple[Row, facet_bits.FacetSets | None]:
        """The row of the search's statement and, with facets, the bit sets of the tables'
        state it was read in (once more when they changed meanwhile)."""
        sets = None
        for _try in range(facet_bits.SETS_TRIES if with_facets else 1):
            row = self._execute(statement)
            # The total is NULL only when not answered (the automatic radius chose another).
            if not with_facets or row[0] is None:
                break
            state = facet_bits.state_of(row[2])
            sets = facet_bits.sets_for(self.session, state)
            if sets.state == state:
                break
        return row, sets

    def _statement(
        self,
        matched: _MatchedRows,
        start: int,
        count: int,
        with_facets: bool,
        auto_radius: AutoRadius | None,
    ) -> str:
        """The search's statement: total, page and, with facets, the state of the tables, the
        option counts and the rows each facet count admits. With an automatic radius, then
        the located counts, and the rest only when they choose this search's radius: a
        subquery of the select list runs only when its value is read."""
        columns = self._matched_columns(matched, with_facets)
        order = self.order()
        ctes = [
            f"m AS MATERIALIZED (SELECT {', '.join(columns)} FROM search_document d "
            f"WHERE {' AND '.join(self._matched_where(matched, with_facets))})",
            *self._page_ctes(matched, order, start, count),
        ]
        places = (
            "(SELECT json_agg(json_build_array(pl.lat, pl.lon)) FROM search_place pl "
            "WHERE pl.service_id = page.service_id)"
        )
        answers = [
            f"(SELECT count(*) FROM m WHERE {matched.ok()})",
            f"(SELECT json_agg(json_build_array(page.service_id, page.pw, page.remote, {places}) "
            f"ORDER BY {order}) FROM page)",
        ]
        if with_facets:
            counts = self._set_answers() if matched.by_sets else self._facet_answers(matched)
            answers += [facet_bits.STATE_SQL, *counts]
        if auto_radius is not None:
            ctes += self._located_ctes(auto_radius)
            answers = _when_chosen(answers, auto_radius)
        return f"{self.with_ctes(ctes)}SELECT {', '.join(answers)}"

    def _matched_columns(self, matched: _MatchedRows, with_facets: bool) -> list[str]:
        """The columns of the matched rows (m): what the page and the counts read of them."""
        name_key = "name_en_key" if self.params.locale == "en" else "name_fr_key"
        columns = [
            "d.service_id",
            f"d.{name_key} AS name_key",
            f"({self.score()}) AS score",
            f"{_flag(schema.FLAG_PROVINCE_WIDE)} AS pw",
            f"{_flag(schema.FLAG_REMOTE)} AS remote",
            f"{self._remote()} AS rx",
        ]
        columns += [
            f"({condition}) AS {flag}"
            for name, condition in self.groups.items()
            if (flag := matched.flags.get(name))
        ]
        if with_facets:
            columns += [
                f"{_flag(schema.FLAG_ACCEPTING)} AS accepting",
                f"{_flag(schema.FLAG_TRAINED)} AS trained",
                # Opening hours are tested in the count, only on the rows it counts.
                f"{_flag(schema.FLAG_ALWAYS_OPEN)} AS always",
                "d.open_week",
                "d.closed_days",
                "d.closed_hours",
            ]
        return columns

    def _page_ctes(self, matched: _MatchedRows, order: str, start: int, count: int) -> list[str]:
        """CTEs: the page (count rows of the result from start, in order) and, near a point,
        what it reads: each matched row's nearest place (k, km on the plane; a row with a place
        gets a distance unless it is province-wide).

        Sorted by distance, a page needs only the nearest rows: when the places within
        NEAR_FIRST_KM hold enough rows (close), the page is taken among them alone; otherwise,
        and for any other order, every matched row is measured and sorted."""
        columns = ["m.service_id", "m.score", "m.name_key", "m.pw", "m.remote"]
        window = f"ORDER BY {order} LIMIT {int(count)} OFFSET {int(start)}"

        def page(source: str, where: str = matched.ok()) -> str:
            rows = f"SELECT {', '.join(columns)} FROM {source} WHERE {where}"
            return f"SELECT * FROM ({rows}) x {window}"

        if self.params.near is None:
            return [f"page AS ({page('m')})"]
        columns += ["(k.km IS NOT NULL AND NOT m.pw) AS eligible", "k.km"]
        lat, lon = self.params.near
        plane = _plane_sql(self.sql, lat, lon)
        # One grouped join rather than one lookup per row.
        every = (
            f"k AS (SELECT p.service_id, min({plane}) AS km FROM search_place p "
            f"WHERE p.service_id IN (SELECT m.service_id FROM m WHERE {matched.ok()}) GROUP BY 1)"
        )
        measured = "m LEFT JOIN k ON k.service_id = m.service_id"
        if self.params.sort != "distance":
            return [every, f"page AS ({page(measured)})"]
        enough = f"(SELECT count(*) FROM close) >= {int(start + count)}"
        nearest = page(
            "m JOIN close k ON k.service_id = m.service_id", f"{matched.ok()} AND {enough}"
        )
        farther = page(measured, f"{matched.ok()} AND NOT {enough}")
        return [
            *self._close_ctes(matched, plane),
            every,
            f"page AS (({nearest}) UNION ALL ({farther}))",
        ]

    def _close_ctes(self, matched: _MatchedRows, plane: str) -> list[str]:
        """CTEs: the places within NEAR_FIRST_KM (box), then the nearest place of each row of the
        result among them (close).

        Few places, each one's row is looked up by its key (OFFSET 0: the planner may not turn
        it into a join, which read every row the words match again) and tested for every filter
        group (matched()); many places, the matched rows are hashed (25,000 for "clinique":
        16 ms at 60,000 services, where its 969 places near Québec were looked up in 7 ms)."""
        lat, lon = self.params.near
        box = (
            f"box AS MATERIALIZED (SELECT p.service_id, min({plane}) AS km FROM search_place p "
            f"WHERE {_box_sql(self.sql, lat, lon, NEAR_FIRST_KM)} "
            f"GROUP BY 1 HAVING min({plane}) <= {self.sql.bind(NEAR_FIRST_KM)})"
        )
        wide = _flag(schema.FLAG_PROVINCE_WIDE)
        row = (
            "SELECT 1 FROM search_document d WHERE d.service_id = b.service_id "
            f"AND {self.matched()} AND NOT {wide} OFFSET 0"
        )
        # Counted once, and the matched rows only as far as needed.
        bound = f"(SELECT count(*) * {LOOKUP_COST} FROM box)"
        few = (
            f"few AS MATERIALIZED (SELECT {bound} < (SELECT count(*) FROM "
            f"(SELECT 1 FROM m LIMIT {bound} + 1) x) AS few)"
        )
        close = (
            f"close AS MATERIALIZED (SELECT b.service_id, b.km FROM box b, LATERAL ({row}) d "
            "WHERE (SELECT few FROM few) UNION ALL SELECT b.service_id, b.km FROM box b "
            "WHERE NOT (SELECT few FROM few) AND b.service_id IN "
            f"(SELECT m.service_id FROM m WHERE {matched.ok()} AND NOT m.pw))"
        )
        return [box, few, close]

    def _matched_where(self, matched: _MatchedRows, with_facets: bool) -> list[str]:
        """The conditions of the matched rows: visible, the words, the strict groups (every
        group, for a search counted over the sets) and enough of the others."""
        where = [self.base, self.text]
        if matched.by_sets or not with_facets:
            return where + list(self.groups.values())
        where += [c for name, c in self.groups.items() if name in _STRICT_GROUPS]
        conditions = [c for name, c in self.groups.items() if name not in _STRICT_GROUPS]
        if len(conditions) > 1:
            # A row that fails two groups counts nowhere: every count leaves out one group at
            # most. Said as an OR of ANDs, the planner may find the rows through the indexes.
            nearly = [
                "(" + " AND ".join(c for j, c in enumerate(conditions) if j != i) + ")"
                for i in range(len(conditions))
            ]
            where.append("(" + " OR ".join(nearly) + ")")
        return where

    def _set_answers(self) -> list[str]:
        """The answers of a search counted over the sets (_counted_by_sets): how many matched
        rows are open now (as a one-count list), and, with a radius, the ids of the services
        with a place within it (or NULL)."""
        open_now = f"(SELECT json_build_array(count(*) FILTER (WHERE {self.open_now('m')})) FROM m)"
        return [open_now, self._radius_ids()]

    def _radius_ids(self) -> str:
        """SQL: the ids of the services with a place within the search's radius; NULL without
        a radius."""
        if "radius" not in self.groups:
            return "NULL"
        places = self._places_within(self.params.radius_km)
        return f"(SELECT array_agg(DISTINCT {places}.service_id) FROM {places})"

    def _facet_answers(self, matched: _MatchedRows) -> list[str]:
        """The answers of the counts: the options and each group's (one row per count), then
        the ids of the matched rows each facet count reads (facet_bits.Admitted): those every
        group admits, those only one facet's filter refuses, the wide and the remote ones."""
        ok = matched.ok
        sums = [
            f"count(*) FILTER (WHERE {ok('accepting_only')} AND m.accepting)",
            f"count(*) FILTER (WHERE {ok('trained_only')} AND m.trained)",
            f"count(*) FILTER (WHERE {ok('open_now')} AND {self.open_now('m')})",
            *(f"count(*) FILTER (WHERE {ok(name)})" for name in matched.flags),
        ]
        # A row that fails a group other than a facet's (accepting, open now, the radius…) is
        # counted for no facet value.
        others = [flag for name, flag in matched.flags.items() if name not in schema.FACETS]
        counted = " AND ".join(f"m.{flag}" for flag in others) or "TRUE"
        admitted = [
            ok(),
            *(f"{counted} AND NOT m.{matched.flags[name]}" for name in _failing_facets(matched)),
            f"{counted} AND (m.pw OR m.rx)",
            f"{counted} AND m.rx",
        ]
        ids = ", ".join(f"array_agg(m.service_id) FILTER (WHERE {rows})" for rows in admitted)
        return [
            f"(SELECT json_build_array({', '.join(sums)}) FROM m)",
            f"(SELECT json_build_array({ids}) FROM m)",
        ]

    def _distances_and_labels(self, page: list) -> tuple[dict[int, float], dict[int, str]]:
        from .query import LABEL_PROVINCE_WIDE, LABEL_REMOTE

        distances: dict[int, float] = {}
        labels: dict[int, str] = {}
        near = self.params.near
        for service_id, province_wide, remote, places in page:
            if province_wide:
                labels[service_id] = LABEL_PROVINCE_WIDE
            elif remote and not places:
                labels[service_id] = LABEL_REMOTE
            if near is not None and places and not province_wide:
                plane = Plane(*near)
                lat, lon = min(places, key=lambda place: plane.distance(*place))
                distances[service_id] = round(geodesic_km(near[0], near[1], lat, lon), 1)
        return distances, labels

    def _options_of(self, found: Found, sums: list, groups: list[str]) -> None:
        """The option counts, and each group's count without it (_facet_answers' sums)."""
        options = sums[: len(_OPTION_NAMES)]
        found.without = dict(zip(groups, sums[len(_OPTION_NAMES) :], strict=True))
        found.facets["options"] = dict(zip(_OPTION_NAMES, options, strict=True))

    def _located_ctes(self, auto_radius: AutoRadius) -> list[str]:
        """CTEs: the rows that only the radius may refuse, province-wide ones apart
        (located_rows), then (located) for each radius of auto_radius how many of them have a
        place within it (c0, c1…), counting no further than enough.

        The rows are found on their own, not among the matched rows (m): those are read only
        when the first radius is chosen. Each count reads the rows in turn, looking up each
        one's places, until it has enough: a common word near a town stops after a few rows
        (a whole pass measured the places of every row, 25,000 for "clinique" at 60,000
        services)."""
        wide = _flag(schema.FLAG_PROVINCE_WIDE)
        counts = ", ".join(
            f"(SELECT count(*) FROM (SELECT 1 FROM located_rows WHERE EXISTS (SELECT 1 "
            f"FROM search_place p WHERE p.service_id = located_rows.service_id "
            f"AND {self._place_within(radius)}) LIMIT {int(auto_radius.enough)}) l) AS c{i}"
            for i, radius in enumerate(auto_radius.radii)
        )
        return [
            f"located_rows AS MATERIALIZED (SELECT d.service_id FROM search_document d "
            f"WHERE {self.matched(without='radius')} AND NOT {wide})",
            f"located AS MATERIALIZED (SELECT {counts})",
        ]


def _when_chosen(answers: list[str], auto_radius: AutoRadius) -> list[str]:
    """The answers of a search at the first radius of auto_radius, each read only when that
    radius is chosen (CTE located counts enough within it), then the located counts."""
    chosen = f"(SELECT c0 FROM located) >= {int(auto_radius.enough)}"
    counts = ", ".join(f"c{i}" for i in range(len(auto_radius.radii)))
    return [
        *(f"CASE WHEN {chosen} THEN {answer} END" for answer in answers),
        f"(SELECT json_build_array({counts}) FROM located)",
    ]


def _failing_facets(matched: _MatchedRows) -> list[str]:
    """The facets with a filter of their own in this search (a row refused by one of them still
    counts for that facet's values)."""
    return [name for name in schema.FACETS if name in matched.flags]


def _box_sql(sql: Sql, lat: float, lon: float, km: float) -> str:
    """SQL: the place p lies in the box around the point that holds everything within km (read
    through the lat/lon index)."""
    min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, km)
    return (
        f"p.lat BETWEEN {sql.bind(min_lat)} AND {sql.bind(max_lat)} "
        f"AND p.lon BETWEEN {sql.bind(min_lon)} AND {sql.bind(max_lon)}"
    )


def _plane_sql(sql: Sql, lat: float, lon: float) -> str:
    plane = Plane(lat, lon)
    return (
        f"sqrt(power((p.lat - {sql.bind(lat)}) * {sql.bind(plane.ky)}, 2) "
        f"+ power((p.lon - {sql.bind(lon)}) * {sql.bind(plane.kx)}, 2))"
    )


def _haversine_sql(sql: Sql, lat: float, lon: float) -> str:
    lat_r = sql.bind(math.radians(lat))
    lon_d = sql.bind(lon)
    cos_lat = sql.bind(math.cos(math.radians(lat)))
    h = (
        f"power(sin((radians(p.lat) - {lat_r}) / 2), 2) "
        f"+ {cos_lat} * cos(radians(p.lat)) * power(sin(radians(p.lon - {lon_d}) / 2), 2)"
    )
    return f"(2 * {sql.bind(EARTH_RADIUS_KM)} * asin(least(1.0, sqrt({h}))))"


def one_edit(word: str, other: str) -> bool:
    """Whether other is one insertion, deletion, substitution or swap of neighbours from word."""
    if word == other or abs(len(word) - len(other)) > 1:
        return False
    if len(word) == len(other):
        diff = [i for i, (a, b) in enumerate(zip(word, other, strict=True)) if a != b]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and word[diff[0]] == other[diff[1]]
            and word[diff[1]] == other[diff[0]]
        )
    short, long = (word, other) if len(word) < len(other) else (other, word)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


# Tunables shared with the Whoosh side (read at call time so tests may change them there).


def query_words_of(q: str) -> list[tuple[str, bool]]:
    from .query import _words

    return _words(q)


def _fuzzy_min_length() -> int:
    from .query import FUZZY_MIN_LENGTH

    return FUZZY_MIN_LENGTH


def _guessable(word: str) -> bool:
    """Whether a typo in word is tolerated (long enough, letters only)."""
    return len(word) >= _fuzzy_min_length() and word.isalpha()


def _prefixable(word: str, last: bool) -> bool:
    """Whether word may stand for the words it begins (the last one, still being typed)."""
    return last and len(word) >= _prefix_min_length()


def _fuzzy_below() -> int:
    from .query import FUZZY_BELOW

    return FUZZY_BELOW


def _prefix_min_length() -> int:
    from .query import PREFIX_MIN_LENGTH

    return PREFIX_MIN_LENGTH


def _expansion_limit() -> int:
    from .query import EXPANSION_LIMIT

    return EXPANSION_LIMIT


def _recently_verified_days() -> int:
    from .query import recently_verified_days

    return recently_verified_days()
