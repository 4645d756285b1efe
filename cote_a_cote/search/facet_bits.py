"""The facet counts of the PostgreSQL backend, taken in the app server over bit sets.

Counted in SQL, the facets of a broad search unnest every code of every matched row: 330,000
codes for "clinique" at 60,000 services, about 100 ms. Each app server process keeps instead,
for each facet value, the services that have it as one integer used as a bit set (bit n:
service n), read from search_document. A search statement answers which matched rows each
count admits; a count is then the number of bits two sets share.

The sets follow the search tables through search_change: each write of the one writer
(`apply`, `clear`) adds a row in its own transaction, with a random token and the services it
rewrote (none listed: all of them). Each search statement reads the newest row's version and
token. A process whose sets are older reads again only the rows of the services changed since
(every row when its own state is no longer in the log, or after a `clear`), and the search runs
its statement again (SETS_TRIES times at most), so the counts and the rows come from the same
state of the tables. The writer keeps the last KEPT_CHANGES rows of the log.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from . import schema

# How many times a search reads its rows again when the sets changed meanwhile (a drain that
# committed between the statement and the reading of the sets).
SETS_TRIES = 3
# The writes the log keeps: a process whose sets are older reads every row again.
KEPT_CHANGES = 1000
# Past this many services changed since its sets, a process reads every row again.
CHANGED_AT_MOST = 5000
# Facet values read at a time when a process reads every row (_read_sets).
SETS_READ_BATCH = 16
# SQL: the search tables' state, [version, token] of the newest write (NULL before any write).
STATE_SQL = (
    "(SELECT json_build_array(c.version, c.token) FROM search_change c "
    "ORDER BY c.version DESC LIMIT 1)"
)
# The sets also hold each audience's rows, under this name (not a facet column): the rows a
# search without words can see.
AUDIENCE = "audience"
# And the rows of each flag (search_document.flags, one bit each), under this name.
FLAG = "flag"
FLAG_BITS = {
    schema.FLAG_ACCEPTING: 1,
    schema.FLAG_TRAINED: 2,
    schema.FLAG_REMOTE: 4,
    schema.FLAG_PROVINCE_WIDE: 8,
    schema.FLAG_ALWAYS_OPEN: 16,
}


@dataclass(frozen=True)
class FacetSets:
    """Each facet value's services as a bit set, and each audience's (AUDIENCE), as the search
    tables held them in state."""

    state: tuple[int, int] | None  # (version, token) of search_change's newest row
    members: Mapping[tuple[str, str], int]  # (facet column, value) -> bit set of service ids

    def values_of(self, column: str) -> set[str]:
        return {value for facet, value in self.members if facet == column}

    def visible(self, public: bool) -> int:
        """The rows an audience sees: the public ones, or (intervenantes) every row."""
        if public:
            return self.members.get((AUDIENCE, schema.AUDIENCE_PUBLIC), 0)
        every = 0
        for value in self.values_of(AUDIENCE):
            every |= self.members[(AUDIENCE, value)]
        return every

    def flagged(self, flag: str) -> int:
        """The rows that have a flag (schema.FLAG_*)."""
        return self.members.get((FLAG, flag), 0)

    def having(self, column: str, values) -> int:
        """The rows that have one of the values of a facet column."""
        rows = 0
        for value in values:
            rows |= self.members.get((column, value), 0)
        return rows


@dataclass(frozen=True)
class Admitted:
    """The matched rows that the facet counts of one search read, as bit sets."""

    everyone: int  # rows that every filter group admits
    failing: Mapping[str, int]  # facet name -> rows refused by that facet's filter only
    wide: int  # rows counted for every region (province-wide; remote ones when included)
    remote: int  # rows counted for province-wide and outside Québec (remote, when included)


_sets: dict[str, FacetSets] = {}


def state_of(answer: list | None) -> tuple[int, int] | None:
    """The state a search statement read (STATE_SQL's answer)."""
    return (int(answer[0]), int(answer[1])) if answer else None


def record_change(session: Session, service_ids: Iterable[int] | None) -> None:
    """Log a write of the search tables (service_ids None: every row), in the writer's
    transaction; the oldest entries beyond KEPT_CHANGES go."""
    session.execute(
        text(
            "INSERT INTO search_change (token, service_ids) "
            "VALUES (:token, CAST(:ids AS integer[]))"
        ),
        {"token": secrets.randbits(62), "ids": None if service_ids is None else list(service_ids)},
    )
    session.execute(
        text(
            "DELETE FROM search_change WHERE version <= "
            "(SELECT max(version) FROM search_change) - :kept"
        ),
        {"kept": KEPT_CHANGES},
    )


def sets_for(session: Session, state: tuple[int, int] | None) -> FacetSets:
    """This process's sets of the database session reads, brought up to date unless they are
    of state (they may then be of a newer state still: the caller compares)."""
    key = database_key(session)
    kept = _sets.get(key)
    if kept is None or kept.state != state:
        updated = _updated(session, kept, kept.state) if kept and kept.state else None
        kept = _sets[key] = updated or _read_sets(session)
    return kept


def database_key(session: Session) -> str:
    """The key of what a process keeps for the database a session reads (its URL, without the
    password): an app server may hold engines on more than one."""
    return session.get_bind().engine.url.render_as_string(hide_password=True)


def _updated(session: Session, kept: FacetSets, since: tuple[int, int]) -> FacetSets | None:
    """kept with the rows changed since its state read again, in one statement; None when the
    log no longer reaches back to kept's state, or lists every row since."""
    changes, rows = session.execute(
        text(
            "WITH c AS (SELECT version, token, service_ids FROM search_change "
            "WHERE version >= :version) "
            "SELECT (SELECT json_agg(json_build_array(version, token, service_ids) "
            "ORDER BY version) FROM c), "
            "(SELECT json_agg(json_build_array(d.service_id, (SELECT json_agg("
            "json_build_array(f.facet, f.value)) FROM search_facet_code f "
            "WHERE f.id = ANY(d.facet_codes)), d.audience, d.flags)) FROM search_document d "
            "WHERE d.service_id IN "
            "(SELECT unnest(c.service_ids) FROM c WHERE c.version > :version))"
        ),
        {"version": since[0]},
    ).one()
    if not changes or state_of(changes[0]) != since:
        return None
    lists = [entry[2] for entry in changes[1:]]
    if any(ids is None for ids in lists):
        return None
    changed = {service_id for ids in lists for service_id in ids}
    if len(changed) > CHANGED_AT_MOST:
        return None
    return FacetSets(state_of(changes[-1]), _replaced(kept.members, changed, rows or []))


def _replaced(members: Mapping[tuple[str, str], int], changed: set[int], rows: list) -> dict:
    """members with the changed services' bits replaced by what their rows hold now (a service
    without a row left the search)."""
    kept = ~bit_set(changed)
    added: dict[tuple[str, str], list[int]] = {}
    for service_id, pairs, audience, flags in rows:
        own = [(FLAG, flag) for flag, bit in FLAG_BITS.items() if flags & bit]
        for facet, value in [*(pairs or []), (AUDIENCE, audience), *own]:
            added.setdefault((facet, value), []).append(service_id)
    replaced = {pair: bits & kept for pair, bits in members.items()}
    for pair, ids in added.items():
        replaced[pair] = replaced.get(pair, 0) | bit_set(ids)
    return {pair: bits for pair, bits in replaced.items() if bits}


def _read_sets(session: Session) -> FacetSets:
    """Every facet value's members, each audience's, each flag's and the state, in one
    statement (one state of the tables).

    One row per value, read a few at a time through a server-side cursor: each value's ids
    become its bit set before the next are read. Read as one JSON document, the ids of every
    value were all in memory at once as Python integers (12 codes a service: 3 million at
    250,000 services, about 120 MiB)."""
    state, members = None, {}
    flags = ", ".join(f"('{flag}', {bit})" for flag, bit in FLAG_BITS.items())
    statement = text(
        f"SELECT {STATE_SQL}, c.facet, c.value, g.ids "  # noqa: S608 - our own constant
        "FROM search_facet_code c JOIN (SELECT u.code, array_agg(d.service_id) AS ids "
        "FROM search_document d, unnest(d.facet_codes) u (code) GROUP BY u.code) g "
        f"ON g.code = c.id UNION ALL SELECT {STATE_SQL}, '{AUDIENCE}', d.audience, "
        "array_agg(d.service_id) FROM search_document d GROUP BY d.audience "
        f"UNION ALL SELECT {STATE_SQL}, '{FLAG}', f.flag, array_agg(d.service_id) "
        f"FROM search_document d JOIN (VALUES {flags}) f (flag, bit) ON d.flags & f.bit <> 0 "
        "GROUP BY f.flag"
    )
    rows = session.execute(statement, execution_options={"yield_per": SETS_READ_BATCH})
    for answer, facet, value, ids in rows:
        state = answer
        members[(facet, value)] = bit_set(ids)
    if not members:
        state = session.execute(text(f"SELECT {STATE_SQL}")).scalar()  # noqa: S608 - constant
    return FacetSets(state_of(state), members)


def bit_set(ids: Iterable[int] | None) -> int:
    """The ids as one integer whose bit n is set for id n."""
    ids = list(ids or [])
    if not ids:
        return 0
    bits = bytearray(max(ids) // 8 + 1)
    for service_id in ids:
        bits[service_id >> 3] |= 1 << (service_id & 7)
    return int.from_bytes(bits, "little")


def admitted_from(lists: list, failing_names: list[str]) -> Admitted:
    """The Admitted of a search statement's answer: [everyone, one list per name of
    failing_names, wide, remote], each a list of ids (or null)."""
    everyone, *failing, wide, remote = (bit_set(ids) for ids in lists)
    return Admitted(everyone, dict(zip(failing_names, failing, strict=True)), wide, remote)


def admitted_by_sets(
    universe: int, groups: Mapping[str, int], wide: int, remote: int
) -> tuple[Admitted, dict[str, int]]:
    """The Admitted of a search whose every filter group is a set of rows (groups: name -> the
    rows it admits), among the rows universe holds (visible, near enough); wide and remote: the
    rows counted for every region, and for the codes that are no region. Also, per group, the
    rows every other group admits."""
    others = {}
    for name in groups:
        rows = universe
        for other, admits in groups.items():
            if other != name:
                rows &= admits
        others[name] = rows
    everyone = universe
    counted = universe  # admitted by every group but the facets'
    for name, admits in groups.items():
        everyone &= admits
        if name not in schema.FACETS:
            counted &= admits
    failing = {name: others[name] & ~groups[name] for name in groups if name in schema.FACETS}
    return Admitted(everyone, failing, counted & (wide | remote), counted & remote), others


def facet_counts(
    sets: FacetSets, admitted: Admitted, asked: Mapping[str, Iterable[str]]
) -> dict[str, dict[str, int]]:
    """Each facet's count of every value present in the tables (and of every value asked for,
    zero when no row has it). A facet counts the rows every other filter group admits; a wide
    row counts for every region, a remote row for province-wide and outside Québec."""
    counts: dict[str, dict[str, int]] = {}
    for name, column in schema.FACETS.items():
        rows = admitted.everyone | admitted.failing.get(name, 0)
        counted = counts[name] = {}
        for value in sorted(sets.values_of(column) | set(asked.get(name, ()))):
            members = sets.members.get((column, value), 0)
            if name == "regions":
                members |= admitted.remote if value in schema.NOT_A_REGION else admitted.wide
            counted[value] = (members & rows).bit_count()
    return counts
