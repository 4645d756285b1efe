"""A rate-limit storage in the application's own database: `RATELIMIT_STORAGE_URI=database://`.

Every web worker and every app server shares the database, so a limit counts every attempt once,
whatever the number of processes, with nothing more to install or run. Each counter is one row,
incremented by a single atomic upsert (SQLite ≥ 3.35 and PostgreSQL), in its own short
transaction: a request that fails and rolls back still counts.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from flask import current_app
from limits.storage import Storage
from sqlalchemy import Column, Float, Integer, String, Table, case, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from .database import Base

rate_limit_counter = Table(
    "rate_limit_counter",
    Base.metadata,
    # Flask-Limiter's key: prefix, hashed identity and scope (never an address or e-mail in clear).
    Column("key", String(255), primary_key=True),
    Column("count", Integer, nullable=False),
    # Seconds since the epoch, as the limits library counts time.
    Column("expires_at", Float, nullable=False, index=True),
)

# Both dialects' INSERT know ON CONFLICT DO UPDATE, which the generic insert() does not.
_INSERTS: dict[str, Callable[[Table], postgresql.Insert | sqlite.Insert]] = {
    "postgresql": postgresql.insert,
    "sqlite": sqlite.insert,
}


class DatabaseStorage(Storage):
    """Fixed-window counters kept in the `rate_limit_counter` table of the app's database."""

    STORAGE_SCHEME = ["database"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    @staticmethod
    def _engine() -> Engine:
        # The engine of the app serving this request: the storage outlives no app of its own.
        return current_app.extensions["sqlalchemy"].engine

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Add amount to key's counter, starting a new window when the last one is over."""
        now = time.time()
        table = rate_limit_counter
        engine = self._engine()
        insert = _INSERTS[engine.dialect.name](table).values(
            key=key, count=amount, expires_at=now + expiry
        )
        window_over = table.c.expires_at <= now
        upsert = insert.on_conflict_do_update(
            index_elements=[table.c.key],
            set_={
                "count": case((window_over, amount), else_=table.c.count + amount),
                "expires_at": case((window_over, now + expiry), else_=table.c.expires_at),
            },
        ).returning(table.c.count)
        with engine.begin() as connection:
            count = connection.execute(upsert).scalar_one()
            # Forget the windows that are over, so the table holds only live counters.
            connection.execute(delete(table).where(table.c.expires_at <= now))
        return count

    def get(self, key: str) -> int:
        row = self._row(key)
        return row.count if row is not None else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return row.expires_at if row is not None else time.time()

    def _row(self, key: str):
        table = rate_limit_counter
        query = select(table.c.count, table.c.expires_at).where(
            table.c.key == key, table.c.expires_at > time.time()
        )
        with self._engine().connect() as connection:
            return connection.execute(query).first()

    def check(self) -> bool:
        try:
            with self._engine().connect() as connection:
                connection.execute(select(1))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        with self._engine().begin() as connection:
            return connection.execute(delete(rate_limit_counter)).rowcount

    def clear(self, key: str) -> None:
        with self._engine().begin() as connection:
            connection.execute(delete(rate_limit_counter).where(rate_limit_counter.c.key == key))
