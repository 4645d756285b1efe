"""Keeping the index true to the database: an outbox written with each change, one writer at a time.

1. Session events record the ids of the services a flush touches into search_outbox, in the same
   transaction, so a change and its announcement commit (or roll back) together.
2. After a commit, the committing process tries to become THE writer (a non-blocking flock). If
   it gets the lock it applies the outbox until it is empty; if not, the holder will see the new
   rows, because it keeps draining until the outbox is empty and checks again after releasing.
3. Readers keep one long-lived searcher per process and a view of per-segment bitsets, refreshed
   before each query; only segments written since the last query are read.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial

from flask import Flask, current_app, has_app_context
from sqlalchemy import delete, event, insert, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from ..catalogue.models import (
    Closure,
    Location,
    Organization,
    Region,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceAttribute,
    ServiceLanguage,
    TaxonomyTerm,
)
from ..config import settings
from ..database import utcnow
from ..extensions import db
from .backend_postgresql import on_connect
from .backend_whoosh import IndexUnavailable, WhooshStore, forget_failure
from .documents import IndexDocument, documents_for, iter_documents, listed_service_ids
from .engine import IndexView, SegmentData
from .models import SearchOutbox

log = logging.getLogger(__name__)

DRAIN_BATCH = 500
_IDS = "search.service_ids"
_NEW = "search.new_services"
_PENDING = "search.pending"
_CHILDREN = (ServiceAttribute, ServiceLanguage, ServiceArea, Schedule, Closure, ServiceAtLocation)


# --- Per-application state ------------------------------------------------------------------------


@dataclass
class SearchState:
    store: WhooshStore
    lock: threading.Lock = field(default_factory=threading.Lock)
    segments: dict[str, SegmentData] = field(default_factory=dict)
    signature: tuple = ()
    view: IndexView | None = None

    def __post_init__(self):
        self.reader = self.store.reader()


def init_sync(app: Flask) -> None:
    """Give app its index and make every commit of catalogue changes reach it."""
    app.extensions["search"] = SearchState(WhooshStore(app.config["SEARCH_INDEX_DIR"]))
    _listen()


def _postgresql() -> bool:
    """Whether search rows live in PostgreSQL (SEARCH_BACKEND=postgresql) rather than Whoosh."""
    return settings().search_backend == "postgresql"


def _state() -> SearchState:
    return current_app.extensions["search"]


# --- Reading --------------------------------------------------------------------------------------


def current_view() -> IndexView:
    """The view of the latest index version, rebuilding the index first if it is unusable."""
    state = _state()
    try:
        return _refresh_view(state)
    except IndexUnavailable:
        pass
    # A writer elsewhere may have merged away a segment while it was being read: try the latest
    # version once more before calling the index damaged.
    try:
        return _refresh_view(state)
    except IndexUnavailable:
        log.warning("search index missing or unreadable: checking it under the writer lock")
    repair_index()
    return _refresh_view(state)


def _refresh_view(state: SearchState) -> IndexView:
    handles = state.reader.segments()
    # Deletions only ever grow inside a segment, so their count tells whether it changed.
    signature = tuple((h.key, len(h.deleted)) for h in handles)
    with state.lock:
        if signature == state.signature and state.view is not None:
            return state.view
        parts = []
        kept = {}
        for handle in handles:
            data = state.segments.get(handle.key)
            if data is None:
                try:
                    data = SegmentData(handle)
                except Exception as error:  # a damaged segment file: the index must be rebuilt
                    forget_failure(error)
                    state.reader.close()
                    raise IndexUnavailable(handle.key) from error
            data.handle = handle  # the newest reader of the same, unchanged segment
            kept[handle.key] = data
            parts.append((data, handle.deleted))
        state.segments = kept
        state.view = IndexView(parts)
        state.signature = signature
        return state.view


# --- Writing --------------------------------------------------------------------------------------


def repair_index() -> None:
    """Rebuild the index if it is missing or damaged; checked under the writer lock, where no
    other process can be changing it, so a passing race never costs a rebuild."""
    state = _state()
    with state.store.writer_lock(blocking=True):
        if not _readable(state.store):
            _rebuild_locked(state)
    drain()


def _readable(store: WhooshStore) -> bool:
    probe = store.reader()
    try:
        for handle in probe.segments():
            SegmentData(handle)
        return True
    except Exception as error:
        forget_failure(error)
        return False
    finally:
        probe.close()


def rebuild_index(advance: Callable[[int], None] | None = None, procs: int = 1) -> int:
    """Rebuild the whole index from the database into a new generation and swap it in."""
    if _postgresql():
        from . import sync_postgresql

        return sync_postgresql.rebuild(advance)
    state = _state()
    with state.store.writer_lock(blocking=True):
        count = _rebuild_locked(state, advance, procs)
        # Changes committed during the rebuild may or may not be in it: apply them again.
        _drain_locked(state)
    drain()
    return count


def count_indexable() -> int:
    with Session(db.engine) as session:
        return len(listed_service_ids(session))


def _rebuild_locked(
    state: SearchState, advance: Callable[[int], None] | None = None, procs: int = 1
) -> int:
    with Session(db.engine) as session:
        ids = listed_service_ids(session)
    # One contiguous share of the services per indexing process.
    share = max(1, -(-len(ids) // procs))
    sources = [partial(_documents_of, ids[i : i + share]) for i in range(0, len(ids), share)]
    return state.store.build(sources, advance, after_fork=lambda: db.engine.dispose(close=False))


def _documents_of(service_ids: list[int]) -> Iterator[IndexDocument]:
    """The documents of service_ids, read through a session of their own."""
    with Session(db.engine) as session:
        yield from iter_documents(session, service_ids)


def drain() -> int:
    """Apply the outbox to the index if no other process is doing it; returns services applied."""
    if _postgresql():
        from . import sync_postgresql

        return sync_postgresql.drain()
    state = _state()
    applied = 0
    while True:
        with state.store.writer_lock(blocking=False) as mine:
            if not mine:
                return applied  # the holder drains until empty, then checks again after release
            applied += _drain_locked(state)
        # A row committed while we held the lock, by a process that then failed to take it, is
        # ours to apply: look again now that the lock is free.
        if not _outbox_has_rows():
            return applied


def _outbox_has_rows() -> bool:
    with Session(db.engine) as session:
        return session.scalar(select(SearchOutbox.id).limit(1)) is not None


def _drain_locked(state: SearchState) -> int:
    applied = 0
    with Session(db.engine) as session:
        if state.store.current_path() is None:
            _rebuild_locked(state)
        while True:
            rows = session.execute(
                select(SearchOutbox.id, SearchOutbox.service_id)
                .order_by(SearchOutbox.id)
                .limit(DRAIN_BATCH)
            ).all()
            if not rows:
                return applied
            # The services are read after their outbox rows: what is indexed is at least as new
            # as the change announced; a later change brings a later row.
            documents = documents_for(session, sorted({row.service_id for row in rows}))
            try:
                state.store.apply(
                    [d for d in documents.values() if d is not None],
                    [service_id for service_id, d in documents.items() if d is None],
                )
            except IndexUnavailable:
                _rebuild_locked(state)  # read after the rows: it holds their changes too
            session.execute(delete(SearchOutbox).where(SearchOutbox.id.in_([r.id for r in rows])))
            session.commit()
            session.expunge_all()
            applied += len(documents)


def enqueue(session: Session, service_ids) -> None:
    """Announce services changed by bulk SQL that bypasses the ORM events; flushes nothing."""
    _write_outbox(session, set(service_ids))


# --- Session events -------------------------------------------------------------------------------

_listening = False
_listen_lock = threading.Lock()


def _listen() -> None:
    global _listening
    with _listen_lock:
        if _listening:
            return
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _after_rollback)
        event.listen(Engine, "connect", on_connect)
        _listening = True


def _before_flush(session: Session, _context, _instances) -> None:
    ids: set[int] = session.info.setdefault(_IDS, set())
    new_services: list[Service] = session.info.setdefault(_NEW, [])
    with session.no_autoflush:
        for obj in session.new:
            if isinstance(obj, Service):
                new_services.append(obj)
            elif isinstance(obj, _CHILDREN) and obj.service_id is not None:
                ids.add(obj.service_id)
        for obj in [*session.dirty, *session.deleted]:
            if obj in session.dirty and not session.is_modified(obj):
                continue
            ids.update(_affected(session, obj))


def _affected(session: Session, obj) -> set[int]:
    """Ids of the services whose document depends on an existing row being changed or deleted."""
    if isinstance(obj, Service):
        return {obj.id}
    if isinstance(obj, _CHILDREN):
        return {obj.service_id} if obj.service_id is not None else set()
    if isinstance(obj, Organization) and obj.id is not None:
        return set(session.scalars(select(Service.id).where(Service.organization_id == obj.id)))
    if isinstance(obj, Location) and obj.id is not None:
        return set(
            session.scalars(
                select(ServiceAtLocation.service_id).where(ServiceAtLocation.location_id == obj.id)
            )
        )
    if isinstance(obj, TaxonomyTerm) and obj.id is not None:
        return _services_under_term(session, obj)
    if isinstance(obj, Region):
        return _services_in_region(session, obj)
    return set()


def _services_under_term(session: Session, term: TaxonomyTerm) -> set[int]:
    """Services tagged with the term or a term under it, or whose provider's sector it is.

    A term's labels and keywords are indexed for the services of the terms under it too."""
    family = select(TaxonomyTerm.id).where(
        or_(
            TaxonomyTerm.id == term.id,
            TaxonomyTerm.code.startswith(f"{term.code}.", autoescape=True),
        )
    )
    tagged = select(ServiceAttribute.service_id).where(
        ServiceAttribute.taxonomy_term_id.in_(family)
    )
    in_sector = (
        select(Service.id).join(Service.organization).where(Organization.sector_id.in_(family))
    )
    return set(session.scalars(tagged)) | set(session.scalars(in_sector))


def _services_in_region(session: Session, region: Region) -> set[int]:
    """Services that serve the region or have a place in it."""
    serving = select(ServiceArea.service_id).where(ServiceArea.region_code == region.code)
    located = (
        select(ServiceAtLocation.service_id)
        .join(Location, Location.id == ServiceAtLocation.location_id)
        .where(Location.region_code == region.code)
    )
    query = select(Service.id).where(or_(Service.id.in_(serving), Service.id.in_(located)))
    return set(session.scalars(query))


def _after_flush(session: Session, _context) -> None:
    ids: set[int] = session.info.pop(_IDS, set())
    ids.update(s.id for s in session.info.pop(_NEW, []) if s.id is not None)
    _write_outbox(session, ids)


def _write_outbox(session: Session, ids: set[int]) -> None:
    if not ids:
        return
    now = utcnow()
    session.connection().execute(
        insert(SearchOutbox),
        [{"service_id": service_id, "created_at": now} for service_id in sorted(ids)],
    )
    session.info[_PENDING] = True


def _after_commit(session: Session) -> None:
    if not session.info.pop(_PENDING, False):
        return
    if not has_app_context() or "search" not in current_app.extensions:
        return
    try:
        drain()
    except Exception:
        # The change is committed and its outbox rows stay: the next drain applies them.
        current_app.logger.exception("search index update failed; it will be retried")


def _after_rollback(session: Session) -> None:
    for key in (_IDS, _NEW, _PENDING):
        session.info.pop(key, None)
