# ruff: noqa: S608 - statements are composed of this module's own fragments; values are bound.
"""The PostgreSQL side of the benchmark: a private database, and the raw full-text baseline.

The baseline is what a plain PostgreSQL full-text search costs on the same corpus and queries:
one tsvector per service (French and English configurations over unaccented text, weighted
name > labels > description), one GIN index, the same filters as the FTS5 baseline, ranked by
ts_rank, no facets, no typo tolerance, no synonyms. It is the yardstick for the backend's speed.
"""

from __future__ import annotations

import math
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from sqlalchemy import create_engine, make_url, text

from .fts5 import LINKS
from .queries import BenchQuery

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def server_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)


@contextmanager
def private_database(size: int) -> Iterator[str]:
    """A database of our own beside BENCH_DATABASE_URL's, dropped afterwards (even on failure)."""
    url = make_url(server_url())
    name = f"cac_bench_{size}_{os.getpid()}_{secrets.token_hex(3)}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def connect(database_url: str) -> psycopg.Connection:
    """A plain psycopg connection (no SQLAlchemy in the timed path), autocommit."""
    url = make_url(database_url)
    return psycopg.connect(
        host=url.host,
        port=url.port or 5432,
        user=url.username,
        password=url.password,
        dbname=url.database,
        autocommit=True,
    )


_SCHEMA = """
CREATE EXTENSION IF NOT EXISTS unaccent;
DROP TABLE IF EXISTS raw_doc;
CREATE TABLE raw_doc (
    id integer PRIMARY KEY, public boolean, accepting boolean, trained boolean,
    lat double precision, lon double precision,
    regions text[], needs text[], languages text[], access text[],
    name text, labels text, description text, tsv tsvector);
"""
_TSV = """
UPDATE raw_doc SET tsv =
    setweight(to_tsvector('french', unaccent(name)), 'A')
    || setweight(to_tsvector('english', unaccent(name)), 'A')
    || setweight(to_tsvector('french', unaccent(labels)), 'B')
    || setweight(to_tsvector('english', unaccent(labels)), 'B')
    || setweight(to_tsvector('french', unaccent(description)), 'C')
    || setweight(to_tsvector('english', unaccent(description)), 'C');
"""


def build(conn: psycopg.Connection, services: list[dict], labels: dict[str, str]) -> None:
    """Fill raw_doc from the corpus, compute the tsvectors and index them."""
    conn.execute(_SCHEMA)
    with conn.cursor() as cursor:
        copy_sql = (
            "COPY raw_doc (id, public, accepting, trained, lat, lon, regions, needs, "
            "languages, access, name, labels, description) FROM STDIN"
        )
        with cursor.copy(copy_sql) as copy:
            for index, service in enumerate(services, start=1):
                terms = (
                    service["needs"]
                    + service["populations"]
                    + service["exploitation"]
                    + service["access"]
                )
                copy.write_row(
                    (
                        index,
                        not service["intervenantes_only"],
                        service["capacity"] == "accepting",
                        service["trained"],
                        service["latitude"],
                        service["longitude"],
                        *(service[link] for link in LINKS),
                        " ".join(
                            (service["name_fr"], service["name_en"], service["organization_name"])
                        ),
                        " ".join(labels.get(code, "") for code in terms),
                        f"{service['description_fr']} {service['description_en']}",
                    )
                )
    conn.execute(_TSV)
    conn.execute("CREATE INDEX ix_raw_doc_tsv ON raw_doc USING gin (tsv)")
    for link in LINKS:
        conn.execute(f"CREATE INDEX ix_raw_doc_{link} ON raw_doc USING gin ({link})")
    conn.execute("CREATE INDEX ix_raw_doc_geo ON raw_doc (lat, lon)")
    conn.execute("VACUUM ANALYZE raw_doc")


_QUERY = (
    "(plainto_tsquery('french', unaccent(%(q)s)) || plainto_tsquery('english', unaccent(%(q)s)))"
)


def run(conn: psycopg.Connection, query: BenchQuery, per_page: int = 20) -> tuple[int, list[int]]:
    """(total, ids of the first page), one round trip, the same filters as the FTS5 baseline."""
    where, args = ["public"], {"q": query.q, "per_page": per_page}
    order = "id"
    if query.q.strip():
        where.append(f"tsv @@ {_QUERY}")
        order = f"ts_rank(tsv, {_QUERY}) DESC, id"
    for link in LINKS:
        codes = getattr(query, link)
        if codes:
            where.append(f"{link} && %({link})s::text[]")
            args[link] = list(codes)
    if query.accepting_only:
        where.append("accepting")
    if query.trained_only:
        where.append("trained")
    if query.near:
        _name, lat, lon = query.near
        if query.radius_km:
            dlat = query.radius_km / 111.0
            dlon = query.radius_km / (111.0 * math.cos(math.radians(lat)))
            where.append("lat BETWEEN %(lat0)s AND %(lat1)s AND lon BETWEEN %(lon0)s AND %(lon1)s")
            args.update(lat0=lat - dlat, lat1=lat + dlat, lon0=lon - dlon, lon1=lon + dlon)
        if query.sort == "distance":
            args.update(lat=lat, lon=lon, scale=math.cos(math.radians(lat)) ** 2)
            order = "(lat - %(lat)s) ^ 2 + (lon - %(lon)s) ^ 2 * %(scale)s"
    rows = conn.execute(
        f"SELECT id, count(*) OVER () FROM raw_doc WHERE {' AND '.join(where)} "
        f"ORDER BY {order} LIMIT %(per_page)s",
        args,
    ).fetchall()
    return (rows[0][1] if rows else 0), [row[0] for row in rows]
