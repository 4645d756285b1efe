"""The facet counts of the PostgreSQL backend, taken in the app server over bit sets.

Counted in SQL, the facets of a broad search unnest every code of every matched row: 330,000
codes for "clinique" at 60,000 services, about 100 ms. Each app server process keeps instead,
for each facet value, the services that have it as one integer used as a bit set (bit n:
service n), read from search_document once. A search statement answers which matched rows
each count admits; a count is then the number of bits two sets share.

The sets follow the search tables through search_state's token: each write of the one writer
(`apply`, `clear`) sets a new random token in its own transaction, and each search statement
reads the token with the rows. A process whose sets carry another token reads them again, and
the search runs its statement again (SETS_TRIES times at most), so that the counts and the
rows come from the same state of the tables.
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
# SQL: the token of the search tables' current state (NULL before any write).
STATE_SQL = "(SELECT s.token FROM search_state s WHERE s.id = 1)"
_REGIONS_OF_REMOTE = (schema.PROVINCE_WIDE, schema.OUTSIDE_QUEBEC)


@dataclass(frozen=True)
class FacetSets:
    """Each facet value's services as a bit set, as the search tables held them at token."""

    token: int | None
    members: Mapping[tuple[str, str], int]  # (facet column, value) -> bit set of service ids

    def values_of(self, column: str) -> set[str]:
        return {value for facet, value in self.members if facet == column}


@dataclass(frozen=True)
class Admitted:
    """The matched rows that the facet counts of one search read, as bit sets."""

    everyone: int  # rows that every filter group admits
    failing: Mapping[str, int]  # facet name -> rows refused by that facet's filter only
    wide: int  # rows counted for every region (province-wide; remote ones when included)
    remote: int  # rows counted for province-wide and outside Québec (remote, when included)


_sets: dict[str, FacetSets] = {}


def new_token(session: Session) -> None:
    """Mark a new state of the search tables (the writer calls it in its transaction)."""
    session.execute(
        text(
            "INSERT INTO search_state (id, token) VALUES (1, :token) "
            "ON CONFLICT (id) DO UPDATE SET token = EXCLUDED.token"
        ),
        {"token": secrets.randbits(62)},
    )


def sets_for(session: Session, token: int | None) -> FacetSets:
    """This process's sets of the database session reads; read again unless they carry token
    (the answer may then carry a newer token still: the caller compares)."""
    key = session.get_bind().engine.url.render_as_string(hide_password=True)
    kept = _sets.get(key)
    if kept is None or kept.token != token:
        kept = _sets[key] = _read_sets(session)
    return kept


def _read_sets(session: Session) -> FacetSets:
    """Every facet value's members and the token, in one statement (one state of the tables)."""
    token, pairs = session.execute(
        text(
            f"SELECT {STATE_SQL}, (SELECT json_agg(json_build_array(c.facet, c.value, g.ids)) "  # noqa: S608 - our own constant
            "FROM search_facet_code c JOIN (SELECT u.code, array_agg(d.service_id) AS ids "
            "FROM search_document d, unnest(d.facet_codes) u (code) GROUP BY u.code) g "
            "ON g.code = c.id)"
        )
    ).one()
    members = {(facet, value): bit_set(ids) for facet, value, ids in pairs or []}
    return FacetSets(token, members)


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
                members |= admitted.remote if value in _REGIONS_OF_REMOTE else admitted.wide
            counted[value] = (members & rows).bit_count()
    return counts
