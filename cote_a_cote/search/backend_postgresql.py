# ruff: noqa: S608 - statements are composed of this module's own fragments; every value, and
# every stem of the query text, is a bound parameter.
"""The PostgreSQL backend (SEARCH_BACKEND=postgresql): search rows in the database itself.

Every app server reads the same tables, so an edit drained through one is found through all at
once; nothing lives on a server's disk. Writing: the outbox drainer (sync.py) turns each announced
service into one search_document row (plus its search_place rows and vocabulary words), under a
transaction-level advisory lock so two drainers never write an older version over a newer one.

Reading: one search is a handful of statements: the page (with its total), the facet counts over
the matched set (one statement for every group), and, only when nothing matched, the counts of the
widenings. Words are analysed exactly as for Whoosh (folded, French and English Snowball stems),
so both backends match the same documents; a tsquery is built from those stems, each quoted as a
lexeme, never from the text typed.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.orm import Session

from ..config import LOCAL_ZONE
from ..geo.distance import EARTH_RADIUS_KM, bounding_box, geodesic_km
from . import schema
from .backend_whoosh import stems, words
from .documents import IndexDocument
from .engine import Plane, sort_key

# Serialises drainers and rebuilds across every app server (an arbitrary, fixed key).
WRITER_LOCK_KEY = 7_311_013
# PostgreSQL refuses longer lexemes (in a tsvector or a tsquery): such a "word" is never indexed,
# and a query word that long matches nothing (Whoosh finds no document with it either).
MAX_LEXEME_BYTES = 2046
TRIGRAM_THRESHOLD = 0.2
LEVEL_WEIGHTS = {"name": "A", "terms": "B", "body": "C"}
KEYWORD_COLUMNS = (
    "region",
    "need",
    "sector",
    "lang",
    "population",
    "exploitation",
    "access",
    "flag",
    "term",
    "excluded",
)


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


def _row(document: IndexDocument) -> tuple[dict, set[str]]:
    keywords, payload = document.keywords, document.payload
    levels: dict[str, list[str]] = {}
    spelled: set[str] = set()
    for level in schema.TEXT_FIELDS:
        found = words(document.texts.get(level) or "")
        levels[level] = sorted({form for word in found for form in _storable(stems(word))})
        spelled.update(
            w for w in _storable(found) if len(w) >= schema.WORDS_MIN_LENGTH and w.isalpha()
        )
    name_fr, name_en = payload["names"]
    row = {
        "service_id": document.service_id,
        "organization_id": payload["org"],
        "audience": keywords.get("audience", [schema.AUDIENCE_INTERVENANTES])[0],
        **{name: list(keywords.get(name, [])) for name in KEYWORD_COLUMNS},
        "min_age": int(keywords["min_age"][0]) if keywords.get("min_age") else None,
        "max_age": int(keywords["max_age"][0]) if keywords.get("max_age") else None,
        "tsv": _tsvector(levels),
        "name_fr_key": sort_key(name_fr),
        "name_en_key": sort_key(name_en) if name_en else sort_key(name_fr),
        "verified_day": payload["verified"],
        "modified": payload["modified"],
        "open_ranges": json.dumps(_open_ranges(payload["hours"])),
        "closed": json.dumps(payload["closed"]),
    }
    return row, spelled


def _storable(forms: Iterable[str]) -> list[str]:
    return [form for form in forms if form and len(form.encode("utf-8")) <= MAX_LEXEME_BYTES]


def _tsvector(levels: dict[str, list[str]]) -> str:
    """The tsvector text of a row: each stem at a position of its level, weighted by level
    (a weight only holds on a position)."""
    entries = []
    for position, level in enumerate(schema.TEXT_FIELDS, start=1):
        weight = LEVEL_WEIGHTS[level]
        entries += [f"{lexeme(stem)}:{position}{weight}" for stem in levels[level]]
    return " ".join(entries)


_INSERT = text(
    """
    INSERT INTO search_document (service_id, organization_id, audience, region, need, sector,
        lang, population, exploitation, access, flag, term, excluded, min_age, max_age, tsv,
        name_fr_key, name_en_key, verified_day, modified, open_ranges, closed)
    VALUES (:service_id, :organization_id, :audience, :region, :need, :sector, :lang,
        :population, :exploitation, :access, :flag, :term, :excluded, :min_age, :max_age,
        CAST(:tsv AS tsvector),
        :name_fr_key, :name_en_key, :verified_day, :modified,
        CAST(:open_ranges AS jsonb), CAST(:closed AS jsonb))
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
    rows, places, spelled = [], [], set()
    for document in upserts:
        row, own = _row(document)
        rows.append(row)
        spelled |= own
        for lat, lon in document.payload["coords"]:
            places.append({"service_id": document.service_id, "lat": lat, "lon": lon})
    if rows:
        session.execute(_INSERT, rows)
    if places:
        session.execute(
            text(
                "INSERT INTO search_place (service_id, lat, lon) VALUES (:service_id, :lat, :lon)"
            ),
            places,
        )
    if spelled:
        session.execute(
            text(
                "INSERT INTO search_word (word) SELECT unnest(CAST(:words AS text[])) "
                "ON CONFLICT DO NOTHING"
            ),
            {"words": sorted(spelled)},
        )
    return len(rows)


def clear(session: Session) -> None:
    """Empty every search table (a rebuild refills them in the same transaction)."""
    for table in ("search_document", "search_place", "search_word"):
        session.execute(text(f"DELETE FROM {table}"))


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
    """A condition under construction, with its bound parameters."""

    params: dict = field(default_factory=dict)
    _n: int = 0

    def bind(self, value) -> str:
        self._n += 1
        name = f"p{self._n}"
        self.params[name] = value
        return f":{name}"

    def matches(self, forms: Iterable[str], weights: str = "", prefix: bool = False) -> str:
        """SQL: the row's tsvector holds one of forms (at one of weights; as a prefix)."""
        lexemes = [lexeme(form, weights, prefix) for form in _storable(forms)]
        if not lexemes:
            return "FALSE"
        return f"d.tsv @@ CAST({self.bind(' | '.join(lexemes))} AS tsquery)"


def _has(sql: Sql, column: str, value: str) -> str:
    return f"{sql.bind(value)} = ANY(d.{column})"


def _any_of(sql: Sql, column: str, values: list[str]) -> str:
    return f"d.{column} && CAST({sql.bind(list(values))} AS text[])"


@dataclass
class WordSpec:
    score: str  # SQL: points this word gives a document
    match: str  # SQL: the document matches this word


class Plan:
    """The SQL conditions of one search: visible rows, each word, each filter group."""

    def __init__(self, session: Session, params, audience_public: bool, now: datetime):
        self.session, self.params, self.now = session, params, now
        self.sql = Sql()
        self.base = (
            f"d.audience = {self.sql.bind(schema.AUDIENCE_PUBLIC)}" if audience_public else "TRUE"
        )
        self.words = [self._word(w, last) for w, last in query_words_of(params.q)]
        self.text = self._text()
        self.groups = self._groups()

    # Words ----------------------------------------------------------------------------------------

    def _count(self, condition: str) -> int:
        statement = f"SELECT count(*) FROM search_document d WHERE {self.base} AND ({condition})"
        return self.session.execute(text(statement), self.sql.params).scalar_one()

    def _word(self, word: str, last: bool) -> WordSpec:
        sql = self.sql
        forms = stems(word)
        levels = []
        for level in schema.TEXT_FIELDS:
            weight = LEVEL_WEIGHTS[level]
            levels.append(sql.matches(forms, weight))
        exact = sql.matches(forms)
        loose_parts = []
        guessable = len(word) >= _fuzzy_min_length() and word.isalpha()
        if guessable and self._count(exact) < _fuzzy_below():
            others = self._near_words(word)
            loose_forms = sorted({form for other in others for form in stems(other)})
            if loose_forms:
                loose_parts.append(sql.matches(loose_forms))
        if last and len(word) >= _prefix_min_length():
            loose = " OR ".join([exact, *loose_parts])
            if not self._count(loose):
                loose_parts.append(sql.matches([word], prefix=True))
        loose = " OR ".join(loose_parts) if loose_parts else "FALSE"
        points = [points for _, points in schema.TEXT_LEVELS]
        cases = " ".join(
            f"WHEN {condition} THEN {score}"
            for condition, score in zip(levels, points, strict=True)
        )
        score = f"(CASE {cases} WHEN {loose} THEN {schema.FUZZY_POINTS} ELSE 0 END)"
        return WordSpec(score=score, match=f"({exact} OR {loose})")

    def _near_words(self, word: str) -> list[str]:
        """Corpus words one edit from word (keeping its first letter; a swap is one edit)."""
        # One edit can leave a six-letter word only 0.27 similar (a swap): below pg_trgm's
        # default 0.3 threshold, so lower it for this transaction; one_edit() settles.
        self.session.execute(
            text("SELECT set_config('pg_trgm.similarity_threshold', :limit, true)"),
            {"limit": str(TRIGRAM_THRESHOLD)},
        )
        found = self.session.execute(
            text(
                "SELECT word FROM search_word WHERE word % :word AND left(word, 1) = :first "
                "AND length(word) BETWEEN :shortest AND :longest"
            ),
            {"word": word, "first": word[0], "shortest": len(word) - 1, "longest": len(word) + 1},
        ).scalars()
        close = {other for other in found if other != word and one_edit(word, other)}
        return sorted(close, key=lambda w: (len(w), w))[: _expansion_limit()]

    def _text(self) -> str:
        if not self.words:
            return "TRUE"
        joiner = " OR " if self.params.any_word else " AND "
        return "(" + joiner.join(spec.match for spec in self.words) + ")"

    # Filters --------------------------------------------------------------------------------------

    def _remote(self) -> str:
        return _has(self.sql, "flag", schema.FLAG_REMOTE) if self.params.include_remote else "FALSE"

    def region_condition(self, codes: list[str]) -> str:
        sql = self.sql
        parts = [_any_of(sql, "region", codes)]
        if any(code not in (schema.PROVINCE_WIDE, schema.OUTSIDE_QUEBEC) for code in codes):
            parts.append(_has(sql, "flag", schema.FLAG_PROVINCE_WIDE))
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
                groups[name] = _any_of(sql, column, list(values))
        if p.taxonomy_term_ids:
            groups["taxonomy_term_ids"] = _any_of(
                sql, "term", [str(i) for i in p.taxonomy_term_ids]
            )
        if p.organization_id is not None:
            groups["organization_id"] = f"d.organization_id = {sql.bind(p.organization_id)}"
        if p.modified_after is not None:
            groups["modified_after"] = f"d.modified > {sql.bind(p.modified_after.timestamp())}"
        if p.accepting_only:
            groups["accepting_only"] = _has(sql, "flag", schema.FLAG_ACCEPTING)
        if p.trained_only:
            groups["trained_only"] = _has(sql, "flag", schema.FLAG_TRAINED)
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

    def open_now(self) -> str:
        sql = self.sql
        local = self.now.astimezone(LOCAL_ZONE)
        minute = sql.bind(local.hour * 60 + local.minute)
        weekday, day = sql.bind(local.isoweekday()), sql.bind(local.date().toordinal())
        within = (
            "EXISTS (SELECT 1 FROM jsonb_array_elements(d.open_ranges) h "
            f"WHERE (h->>0)::int = {weekday} AND (h->>1)::int <= {minute} "
            f"AND {minute} < (h->>2)::int)"
        )
        closed = (
            "EXISTS (SELECT 1 FROM jsonb_array_elements(d.closed) c "
            f"WHERE (c->>0)::int <= {day} AND {day} <= (c->>1)::int)"
        )
        always = _has(sql, "flag", schema.FLAG_ALWAYS_OPEN)
        return f"(({always} OR {within}) AND NOT {closed})"

    def within(self, radius_km: float) -> str:
        """Rows with a place within radius_km: a bounding box on the indexed coordinates, then
        the same test as Whoosh's (plane distance, great-circle distance near the edge)."""
        sql = self.sql
        lat, lon = self.params.near
        min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, radius_km)
        plane = _plane_sql(sql, lat, lon)
        radius = sql.bind(float(radius_km))
        great_circle = _haversine_sql(sql, lat, lon)
        return (
            "d.service_id IN (SELECT p.service_id FROM search_place p "
            f"WHERE p.lat BETWEEN {sql.bind(min_lat)} AND {sql.bind(max_lat)} "
            f"AND p.lon BETWEEN {sql.bind(min_lon)} AND {sql.bind(max_lon)} "
            f"AND ({plane} <= {radius} * 0.97 "
            f"OR ({plane} <= {radius} * 1.03 AND {great_circle} <= {radius})))"
        )

    def radius_condition(self, radius_km: float) -> str:
        province_wide = _has(self.sql, "flag", schema.FLAG_PROVINCE_WIDE)
        return f"({self.within(radius_km)} OR {province_wide} OR {self._remote()})"

    def matched(self, without: str | None = None) -> str:
        parts = [self.base, self.text]
        parts += [group for name, group in self.groups.items() if name != without]
        return " AND ".join(parts)

    def count(self) -> int:
        statement = f"SELECT count(*) FROM search_document d WHERE {self.matched()}"
        return self.session.execute(text(statement), self.sql.params).scalar_one()

    # Ranking and the page -------------------------------------------------------------------------

    def score(self) -> str:
        sql = self.sql
        recent = self.now.date().toordinal() - _recently_verified_days()
        boosts = {
            "trained": _has(sql, "flag", schema.FLAG_TRAINED),
            "accepting": _has(sql, "flag", schema.FLAG_ACCEPTING),
            "recent": f"coalesce(d.verified_day >= {sql.bind(recent)}, FALSE)",
        }
        parts = [spec.score for spec in self.words]
        parts += [
            f"(CASE WHEN {boosts[name]} THEN {points} ELSE 0 END)"
            for name, points in schema.BOOST_POINTS
        ]
        return " + ".join(parts)

    def eligible(self) -> str:
        """Rows that get a distance: located, and not province-wide (those get a label)."""
        province_wide = _has(self.sql, "flag", schema.FLAG_PROVINCE_WIDE)
        located = "EXISTS (SELECT 1 FROM search_place p WHERE p.service_id = d.service_id)"
        return f"({located} AND NOT {province_wide})"

    def page(self, start: int, count: int) -> tuple[list[int], int]:
        p, sql = self.params, self.sql
        name = "name_en_key" if p.locale == "en" else "name_fr_key"
        columns = [f"d.{name} AS name_key", f"({self.score()}) AS score"]
        if p.near is not None:
            plane = _plane_sql(sql, *p.near)
            distance = (
                f"(SELECT min({plane}) FROM search_place p WHERE p.service_id = d.service_id)"
            )
            columns += [f"{self.eligible()} AS eligible", f"{distance} AS km"]
        if p.sort == "name":
            order = 'name_key COLLATE "C", service_id'
        elif p.sort == "distance" and p.near is not None:
            order = (
                "(NOT eligible), CASE WHEN eligible THEN round(km::numeric, 3) END, "
                'score DESC, name_key COLLATE "C", service_id'
            )
        elif p.near is not None:
            order = (
                "score DESC, (NOT eligible), CASE WHEN eligible THEN km END, "
                "CASE WHEN eligible THEN '' ELSE name_key END COLLATE \"C\", service_id"
            )
        else:
            order = 'score DESC, name_key COLLATE "C", service_id'
        statement = (
            f"WITH m AS (SELECT d.service_id, {', '.join(columns)} "
            f"FROM search_document d WHERE {self.matched()}) "
            f"SELECT service_id, count(*) OVER () FROM m ORDER BY {order} "
            f"LIMIT {int(count)} OFFSET {int(start)}"
        )
        rows = self.session.execute(text(statement), sql.params).all()
        total = rows[0][1] if rows else (self.count() if start else 0)
        return [row[0] for row in rows], total

    # Facets ---------------------------------------------------------------------------------------

    def facets(self) -> dict[str, dict[str, int]]:
        """Every group's counts, each over the rows the other groups and the words match, in
        one statement."""
        p, sql = self.params, self.sql
        present = self.values()
        names = list(self.groups)
        flags = ", ".join(f"({self.groups[name]}) AS g{i}" for i, name in enumerate(names))
        # Every count needs the words to match, so only matching rows are read (through the GIN
        # index), without their tsvector; MATERIALIZED evaluates each group's condition once per
        # row instead of once per count (an inlined CTE repeats it in every FILTER).
        kept = ", ".join(f"d.{column}" for column in (*KEYWORD_COLUMNS, "open_ranges", "closed"))
        columns = [kept, "TRUE AS t"] + ([flags] if flags else [])

        def others(without: str) -> str:
            parts = ["t"] + [f"g{i}" for i, name in enumerate(names) if name != without]
            return " AND ".join(parts)

        counts: list[str] = []
        keys: list[tuple[str, str]] = []
        for name, column in schema.FACETS.items():
            for value in sorted(present.get(column, set()) | set(getattr(p, name))):
                if name == "regions":
                    condition = self.region_condition([value]).replace("d.", "m.")
                else:
                    condition = f"{sql.bind(value)} = ANY(m.{column})"
                counts.append(f"count(*) FILTER (WHERE {others(name)} AND {condition})")
                keys.append((name, value))
        options = {
            "accepting_only": _has(sql, "flag", schema.FLAG_ACCEPTING),
            "trained_only": _has(sql, "flag", schema.FLAG_TRAINED),
            "open_now": self.open_now(),
        }
        for name, condition in options.items():
            condition = condition.replace("d.", "m.")
            counts.append(f"count(*) FILTER (WHERE {others(name)} AND {condition})")
            keys.append(("options", name))
        statement = (
            f"WITH m AS MATERIALIZED (SELECT {', '.join(columns)} FROM search_document d "
            f"WHERE {self.base} AND {self.text}) "
            f"SELECT {', '.join(counts)} FROM m"
        )
        row = self.session.execute(text(statement), sql.params).one()
        result: dict[str, dict[str, int]] = {name: {} for name in schema.FACETS}
        result["options"] = {}
        for (name, value), number in zip(keys, row, strict=True):
            result[name][value] = number
        return result

    def values(self) -> dict[str, set[str]]:
        """The values each facet's column holds anywhere in the table."""
        selects = " UNION ".join(
            f"SELECT '{column}' AS col, unnest({column}) AS v FROM search_document"
            for column in schema.FACETS.values()
        )
        found: dict[str, set[str]] = {}
        for column, value in self.session.execute(text(selects)):
            found.setdefault(column, set()).add(value)
        return found

    # Distances ------------------------------------------------------------------------------------

    def distances_and_labels(self, ids: list[int]) -> tuple[dict[int, float], dict[int, str]]:
        from .query import LABEL_PROVINCE_WIDE, LABEL_REMOTE

        distances: dict[int, float] = {}
        labels: dict[int, str] = {}
        if not ids:
            return distances, labels
        rows = self.session.execute(
            text("SELECT service_id, flag FROM search_document WHERE service_id = ANY(:ids)"),
            {"ids": ids},
        ).all()
        flags = {service_id: set(flag) for service_id, flag in rows}
        places: dict[int, list[tuple[float, float]]] = {}
        for service_id, lat, lon in self.session.execute(
            text("SELECT service_id, lat, lon FROM search_place WHERE service_id = ANY(:ids)"),
            {"ids": ids},
        ):
            places.setdefault(service_id, []).append((lat, lon))
        near = self.params.near
        for service_id in ids:
            flag = flags.get(service_id, set())
            if schema.FLAG_PROVINCE_WIDE in flag:
                labels[service_id] = LABEL_PROVINCE_WIDE
            elif schema.FLAG_REMOTE in flag and not places.get(service_id):
                labels[service_id] = LABEL_REMOTE
            own = places.get(service_id)
            if near is not None and own and schema.FLAG_PROVINCE_WIDE not in flag:
                plane = Plane(*near)
                lat, lon = min(own, key=lambda place: plane.distance(*place))
                distances[service_id] = round(geodesic_km(near[0], near[1], lat, lon), 1)
        return distances, labels

    def located_counts(self, radii: list[float | None]) -> dict[float | None, int]:
        base = f"{self.matched()} AND {self.eligible()}"
        counts = []
        for radius in radii:
            condition = self.within(radius) if radius else "TRUE"
            counts.append(f"count(*) FILTER (WHERE {condition})")
        statement = f"SELECT {', '.join(counts)} FROM search_document d WHERE {base}"
        row = self.session.execute(text(statement), self.sql.params).one()
        return dict(zip(radii, row, strict=True))


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
