"""The outbox drained into the PostgreSQL backend's tables (SEARCH_BACKEND=postgresql).

The same outbox as for Whoosh; only the writer differs. A drainer takes a transaction-level
advisory lock, reads the outbox and the services announced, rewrites their rows and deletes the
outbox rows in one transaction: whichever app server drains, every server reads the result at
once, and a drainer never writes an older version of a service over a newer one.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from ..extensions import db
from . import backend_postgresql
from .documents import documents_for, iter_documents, listed_service_ids
from .models import SearchOutbox

DRAIN_BATCH = 500
REBUILD_BATCH = 500


def drain() -> int:
    """Apply the outbox to the search tables; returns the services applied."""
    applied = 0
    with Session(db.engine) as session:
        while True:
            backend_postgresql.take_writer_lock(session)
            if backend_postgresql.is_empty(session) and listed_service_ids(session):
                # Never filled (a new installation, or one that searched with Whoosh until now).
                _rebuild(session)
            rows = session.execute(
                select(SearchOutbox.id, SearchOutbox.service_id)
                .order_by(SearchOutbox.id)
                .limit(DRAIN_BATCH)
            ).all()
            if not rows:
                session.commit()
                return applied
            documents = documents_for(session, sorted({row.service_id for row in rows}))
            backend_postgresql.apply(
                session,
                [d for d in documents.values() if d is not None],
                [service_id for service_id, d in documents.items() if d is None],
            )
            session.execute(delete(SearchOutbox).where(SearchOutbox.id.in_([r.id for r in rows])))
            session.commit()
            session.expunge_all()
            applied += len(documents)


def rebuild(advance: Callable[[int], None] | None = None) -> int:
    """Refill the search tables from the catalogue in one transaction (readers see the old rows
    until it commits), then apply what the outbox announced meanwhile."""
    with Session(db.engine) as session:
        backend_postgresql.take_writer_lock(session)
        count = _rebuild(session, advance)
        session.commit()
    drain()
    analyze()
    return count


def analyze() -> None:
    """VACUUM ANALYZE the search tables after a rebuild: the planner needs their statistics
    (without them it reads every row instead of using the GIN index), and the rows replaced
    leave dead tuples. VACUUM cannot run inside a transaction: autocommit.

    TRUNCATE false: VACUUM does not give a table's emptied end back to the system. That needs
    the table alone, and while the app servers search, PostgreSQL waits up to 5 s a table for it
    (and may then hold searches back while it cuts). The space stays for the next fill."""
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for table in backend_postgresql.TABLES:
            connection.execute(text(f"VACUUM (ANALYZE, TRUNCATE false) {table}"))


def _rebuild(session: Session, advance: Callable[[int], None] | None = None) -> int:
    backend_postgresql.clear(session)
    ids = listed_service_ids(session)
    batch, count = [], 0
    for document in iter_documents(session, ids):
        batch.append(document)
        if len(batch) >= REBUILD_BATCH:
            count += backend_postgresql.apply(session, batch, [])
            batch = []
        if advance is not None:
            advance(1)
    count += backend_postgresql.apply(session, batch, [])
    return count
