"""The SQLite FTS5 baseline: same corpus, same queries, unicode61 with remove_diacritics.

It has no stemming and no typo tolerance; it is the yardstick for speed, not for relevance.
"""

from __future__ import annotations

import math
import sqlite3
from pathlib import Path

from .queries import BenchQuery

LINKS = ("regions", "needs", "languages", "access")


def build(path: Path, services: list[dict], labels: dict[str, str]) -> sqlite3.Connection:
    """A fresh FTS5 database of services; labels maps a term code to its 'fr en' label text."""
    conn = sqlite3.connect(path)
    conn.executescript(
        """
        CREATE VIRTUAL TABLE doc USING fts5(
            name, description, labels, tokenize = 'unicode61 remove_diacritics 2');
        CREATE TABLE meta (id INTEGER PRIMARY KEY, accepting INT, trained INT, public INT,
                           lat REAL, lon REAL, remote INT);
        """
    )
    for link in LINKS:
        conn.execute(f"CREATE TABLE {link} (id INT, code TEXT)")
    for index, service in enumerate(services, start=1):
        terms = (
            service["needs"] + service["populations"] + service["exploitation"] + service["access"]
        )
        conn.execute(
            "INSERT INTO doc (rowid, name, description, labels) VALUES (?, ?, ?, ?)",
            (
                index,
                f"{service['name_fr']} {service['name_en']} {service['organization_name']}",
                f"{service['description_fr']} {service['description_en']}",
                " ".join(labels.get(code, "") for code in terms),
            ),
        )
        conn.execute(
            "INSERT INTO meta VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                index,
                service["capacity"] == "accepting",
                service["trained"],
                not service["intervenantes_only"],
                service["latitude"],
                service["longitude"],
                service["is_remote"],
            ),
        )
        for link in LINKS:
            conn.executemany(
                f"INSERT INTO {link} VALUES (?, ?)", [(index, code) for code in service[link]]
            )
    for link in LINKS:
        conn.execute(f"CREATE INDEX ix_{link} ON {link} (code, id)")
    conn.execute("CREATE INDEX ix_meta_geo ON meta (lat, lon)")
    conn.commit()
    return conn


def _match_expression(q: str) -> str | None:
    words = [w for w in q.replace("'", " ").replace("-", " ").split() if len(w) > 1]
    if not words:
        return None
    return " AND ".join('"' + w.replace('"', "") + '"' for w in words)


def run(conn: sqlite3.Connection, query: BenchQuery, per_page: int = 20) -> tuple[int, list[int]]:
    """(total, ids of the first page) for query, with the same filters as the engine."""
    where, args, joins = ["meta.public = 1"], [], ""
    match = _match_expression(query.q)
    if match:
        joins = "JOIN doc ON doc.rowid = meta.id"
        where.append("doc MATCH ?")
        args.append(match)
    for link in LINKS:
        codes = getattr(query, link)
        if codes:
            marks = ",".join("?" * len(codes))
            where.append(f"meta.id IN (SELECT id FROM {link} WHERE code IN ({marks}))")
            args.extend(codes)
    if query.accepting_only:
        where.append("meta.accepting = 1")
    if query.trained_only:
        where.append("meta.trained = 1")
    order = "bm25(doc)" if match else "meta.id"
    if query.near:
        _name, lat, lon = query.near
        if query.radius_km:
            dlat = query.radius_km / 111.0
            dlon = query.radius_km / (111.0 * math.cos(math.radians(lat)))
            where.append("meta.lat BETWEEN ? AND ? AND meta.lon BETWEEN ? AND ?")
            args.extend([lat - dlat, lat + dlat, lon - dlon, lon + dlon])
        if query.sort == "distance":
            scale = math.cos(math.radians(lat)) ** 2
            order = (
                f"((meta.lat - {lat}) * (meta.lat - {lat}) + "
                f"(meta.lon - {lon}) * (meta.lon - {lon}) * {scale})"
            )
    sql_where = " AND ".join(where)
    total = conn.execute(f"SELECT count(*) FROM meta {joins} WHERE {sql_where}", args).fetchone()[0]
    ids = [
        row[0]
        for row in conn.execute(
            f"SELECT meta.id FROM meta {joins} WHERE {sql_where} ORDER BY {order} LIMIT ?",
            [*args, per_page],
        )
    ]
    return total, ids
