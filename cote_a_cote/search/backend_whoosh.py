"""The Whoosh backend: analyzers, the on-disk index, its single writer lock, and segment access.

This is the only module that imports whoosh. Layout of the index directory:

    writer.lock     the exclusive lock of THE writer (fcntl.flock, released if the process dies);
                    it holds the writer's pid, so a lock kept by an orphan of a dead writer is
                    taken over
    current         symlink to the complete generation in use, swapped atomically by a rebuild
    gen-*/          one complete Whoosh index each, with a READY marker written last
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import gc
import json
import logging
import os
import re
import secrets
import shutil
import signal
import sys
import threading
import warnings
import weakref
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from whoosh import fields, formats, multiproc
from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.automata import lev
from whoosh.codec.base import Automata
from whoosh.codec.whoosh3 import W3Codec, W3LeafMatcher
from whoosh.columns import VarBytesColumn
from whoosh.index import Index, create_in, open_dir
from whoosh.lang import stemmer_for_language, stopwords_for_language
from whoosh.reading import ReaderClosed, SegmentReader, TermNotFound
from whoosh.searching import Searcher
from whoosh.support.charset import accent_map

from . import schema
from .documents import IndexDocument
from .engine import SegmentHandle

log = logging.getLogger(__name__)

READY = "READY"
CURRENT = "current"
LOCK_FILE = "writer.lock"
WORD_PATTERN = r"\w+"
# A build writes segments of BUILD_SEGMENT_DOCS documents per indexing process, never merged:
# few enough for queries, small enough that Whoosh's posting pool (BUILD_MEMORY_MB per
# process) sorts them in memory instead of spilling runs to disk and merging them back.
BUILD_MEMORY_MB = 400
BUILD_SEGMENT_DOCS = 8_000
# Updates add small segments; only those are merged together, never the build's segments
# (Whoosh's default policy would rewrite them all once there are a few dozen).
UPDATE_SEGMENT_MAX_DOCS = 1_000
VOCABULARY = "vocabulary"


class IndexUnavailable(Exception):
    """The index is missing, half-built or unreadable: it must be rebuilt."""


# --- Analysis -------------------------------------------------------------------------------------
#
# Analysis happens here, before Whoosh, once per text: lowercase, accents folded (Whoosh's
# accent_map), French and English stop words dropped, then each distinct word stemmed by Whoosh's
# French and English Snowball stemmers. Whoosh stores the resulting terms as given. Folding before
# stemming makes "therapie" and "thérapie" share their stems; analysing each distinct word once,
# in C-speed string operations, is what keeps a 60,000-service rebuild short.

_WORD = re.compile(WORD_PATTERN)


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """French and English stop words, accent-folded, applied to both languages alike."""
    return frozenset(
        word.translate(accent_map)
        for lang in schema.LANGUAGES
        for word in stopwords_for_language(lang)
    )


def words(text: str) -> list[str]:
    """The words of a text as the index sees them before stemming, in order, without repeats."""
    stops = stop_words()
    found = _WORD.findall(text.lower().translate(accent_map))
    return list(dict.fromkeys(w for w in found if len(w) > 1 and w not in stops))


query_words = words


@lru_cache(maxsize=len(schema.LANGUAGES))
def _stemmer(language: str):
    return stemmer_for_language(language)


@lru_cache(maxsize=50_000)
def stem(language: str, word: str) -> str:
    return _stemmer(language)(word)


def stems(word: str) -> tuple[str, ...]:
    """The French and the English stem of a word (once when they are the same)."""
    french, english = stem("fr", word), stem("en", word)
    return (french,) if french == english else (french, english)


# --- Schema ---------------------------------------------------------------------------------------


class TermsField(fields.FieldType):
    """A field whose terms were analysed before Whoosh: given as a list, stored as they are, with
    document ids only (ranking uses levels, not frequencies)."""

    def __init__(self):
        # scorable only so Whoosh keeps a field-length column: without one, its writer looks on
        # disk for that column once per posting, which makes a rebuild ten times slower.
        super().__init__(formats.Existence(), SpaceSeparatedTokenizer(), scorable=True)

    def index(self, value, **kwargs):
        terms = value.split() if isinstance(value, str) else value
        return ((term.encode("utf-8"), 1, 1.0, b"") for term in set(terms))


class BuildCodec(W3Codec):
    """Whoosh's codec without per-posting length statistics: they serve BM25 block skipping,
    which this index does not use, and reading them back costs more than writing a posting."""

    length_stats = False


def whoosh_schema() -> fields.Schema:
    spec: dict[str, fields.FieldType] = {
        schema.UNIQUE_FIELD: fields.ID(unique=True),
        schema.PAYLOAD_FIELD: fields.COLUMN(VarBytesColumn()),
    }
    for name in (*schema.KEYWORD_FIELDS, *schema.TEXT_FIELDS, schema.WORDS_FIELD):
        spec[name] = TermsField()
    return fields.Schema(**spec)


# --- Indexing processes that die with the writer -------------------------------------------------

# Descriptors of the writer locks this process holds: a forked indexing process closes its copies,
# so the lock never outlives the writer that took it.
_HELD_LOCKS: set[int] = set()
_PR_SET_PDEATHSIG = 1


def _same_file(handle, path: Path) -> bool:
    try:
        return os.stat(path).st_ino == os.fstat(handle.fileno()).st_ino
    except FileNotFoundError:
        return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (dead, not yet reaped) counts as dead: it holds no descriptor any more.
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except (OSError, IndexError):
        return True


def _die_with_parent(parent_pid: int) -> None:
    """In a forked indexing process: be killed when the writer dies, and drop its lock copy."""
    for fd in list(_HELD_LOCKS):
        # Closing (never unlocking) a copy leaves the writer's lock as it is.
        with contextlib.suppress(OSError):
            os.close(fd)
    _HELD_LOCKS.clear()
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            log.warning(
                "prctl(PR_SET_PDEATHSIG) failed: %s", errno.errorcode.get(ctypes.get_errno())
            )
    if os.getppid() != parent_pid:  # the writer died before the signal was armed
        os._exit(1)


class _IndexingProcess(multiproc.SubWriterTask):
    """Whoosh's indexing process, bound to the life of the writer that started it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._writer_pid = os.getpid()

    def run(self):
        _die_with_parent(self._writer_pid)
        super().run()


# MpWriter starts its processes through this module-level name.
multiproc.SubWriterTask = _IndexingProcess


def _stop_indexing_processes(writer) -> None:
    """End the processes of a build that failed or was interrupted (SIGTERM, Ctrl-C)."""
    for task in getattr(writer, "tasks", []):
        with contextlib.suppress(Exception):
            task.terminate()
            task.join(5)


def _whoosh_fields(document: IndexDocument, spelled: set[str] | None = None) -> dict:
    """Whoosh's fields for a document; its guessable words go to spelled when given (a rebuild
    stores them once for the whole index), else into the document itself."""
    values = {
        schema.UNIQUE_FIELD: str(document.service_id),
        schema.PAYLOAD_FIELD: json.dumps(document.payload, separators=(",", ":")).encode(),
    }
    values.update(document.keywords)
    own: set[str] = set()
    for level in schema.TEXT_FIELDS:
        found = words(document.texts.get(level) or "")
        values[level] = [form for word in found for form in stems(word)]
        own.update(w for w in found if len(w) >= schema.WORDS_MIN_LENGTH and w.isalpha())
    if spelled is None:
        values[schema.WORDS_FIELD] = list(own)
    else:
        spelled |= own
    return values


def merge_update_segments(writer, segments):
    """Whoosh merge policy: small segments left by updates merge into one; the rest stay."""
    small = [seg for seg in segments if seg.doc_count_all() < UPDATE_SEGMENT_MAX_DOCS]
    if len(small) < 2:
        return segments
    for seg in small:
        reader = SegmentReader(writer.storage, writer.schema, seg)
        writer.add_reader(reader)
        reader.close()
    return [seg for seg in segments if seg not in small]


# --- Store ----------------------------------------------------------------------------------------


class WhooshStore:
    """One index directory: building, updating and opening it."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    # The writer lock --------------------------------------------------------------------------

    @contextlib.contextmanager
    def writer_lock(self, blocking: bool) -> Iterator[bool]:
        """Hold THE writer lock; if another process holds it and not blocking, yield False."""
        self.root.mkdir(parents=True, exist_ok=True)
        handle = self._acquire(blocking)
        if handle is None:
            yield False
            return
        _HELD_LOCKS.add(handle.fileno())
        try:
            handle.truncate(0)
            handle.write(f"{os.getpid()}\n".encode())
            handle.flush()
            yield True
        finally:
            _HELD_LOCKS.discard(handle.fileno())
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()

    def _acquire(self, blocking: bool):
        """The locked lock file, or None (not blocking and another live writer holds it)."""
        path = self.root / LOCK_FILE
        while True:
            handle = open(path, "a+b")  # noqa: SIM115 - closed by writer_lock
            try:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    if self._take_over_stale(handle, path):
                        handle.close()
                        continue
                    if not blocking:
                        handle.close()
                        return None
                    fcntl.flock(handle, fcntl.LOCK_EX)
                # A lock taken over meanwhile left this file unlinked: lock the new one instead.
                if not _same_file(handle, path):
                    handle.close()
                    continue
                return handle
            except BaseException:
                handle.close()
                raise

    def _take_over_stale(self, handle, path: Path) -> bool:
        """Unlink a lock file whose recorded writer is dead, though something still locks it.

        Only an orphan that inherited the dead writer's descriptor can hold such a lock (indexing
        processes of older versions did); new writers then lock a fresh file.
        """
        handle.seek(0)
        recorded = handle.read(32).decode("ascii", "replace").strip()
        if not recorded.isdigit() or _alive(int(recorded)):
            return False
        if not _same_file(handle, path):
            return True  # already taken over: look again
        log.warning("writer.lock held for writer %s, which is dead: taking it over", recorded)
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        return True

    # Generations ------------------------------------------------------------------------------

    def current_path(self) -> Path | None:
        """The complete index in use, or None when missing, half-built or of another version."""
        link = self.root / CURRENT
        try:
            target = self.root / os.readlink(link)
            marker = (target / READY).read_text().strip()
        except OSError:
            return None
        return target if marker == str(schema.SCHEMA_VERSION) else None

    def build(self, documents: Iterable[IndexDocument], procs: int = 1) -> int:
        """Write a complete new generation, then swap it in; the caller holds the writer lock.

        procs > 1 spreads the indexing over that many processes (Whoosh's MpWriter); only for the
        reindex command, never inside a web worker."""
        target = self._new_generation()
        index = create_in(str(target), whoosh_schema())
        try:
            count = _write_documents(index, documents, procs)
        except BaseException:
            index.close()
            shutil.rmtree(target, ignore_errors=True)
            raise
        index.close()
        self._mark_ready(target)
        self._swap(target)
        return count

    def _new_generation(self) -> Path:
        """A new, empty generation directory, named by its time and a random part."""
        self.root.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        target = self.root / f"gen-{stamp}-{secrets.token_hex(4)}"
        target.mkdir()
        return target

    def _mark_ready(self, target: Path) -> None:
        with open(target / READY, "w") as marker:
            marker.write(str(schema.SCHEMA_VERSION))
            marker.flush()
            os.fsync(marker.fileno())

    def _swap(self, target: Path) -> None:
        previous = self.current_path()
        temporary = self.root / f"{CURRENT}.{secrets.token_hex(4)}"
        os.symlink(target.name, temporary)
        os.replace(temporary, self.root / CURRENT)  # atomic: readers see old or new, never none
        keep = {target.name, previous.name if previous else None}
        for old in self.root.glob("gen-*"):
            # The previous generation stays for readers still using it; older ones go.
            if old.name not in keep:
                shutil.rmtree(old, ignore_errors=True)

    def apply(self, upserts: list[IndexDocument], removals: list[int]) -> None:
        """Replace or delete documents in the current index; the caller holds the writer lock."""
        path = self.current_path()
        if path is None:
            raise IndexUnavailable(str(self.root))
        try:
            index = open_dir(str(path))
        except Exception as error:
            forget_failure(error)
            raise IndexUnavailable(str(path)) from error
        # Not compound: Whoosh reads a compound segment into memory, once per process.
        writer = index.writer(codec=BuildCodec(), compound=False)
        try:
            for service_id in removals:
                writer.delete_by_term(schema.UNIQUE_FIELD, str(service_id))
            for document in upserts:
                writer.update_document(**_whoosh_fields(document))
        except BaseException:
            _stop_indexing_processes(writer)
            writer.cancel()
            index.close()
            raise
        writer.commit(mergetype=merge_update_segments)
        index.close()

    def reader(self) -> Reader:
        return Reader(self)


def _build_writer(index: Index, procs: int):
    """A writer for a rebuild: over procs processes when more than one."""
    options = {"procs": procs, "multisegment": True} if procs > 1 else {}
    return index.writer(limitmb=BUILD_MEMORY_MB, codec=BuildCodec(), compound=False, **options)


def _write_documents(index: Index, documents: Iterable[IndexDocument], procs: int) -> int:
    """Write every document and the vocabulary into a new index; returns the documents written.
    On any failure the indexing processes are stopped and the writer cancelled."""
    writer = _build_writer(index, procs)
    count = 0
    spelled: set[str] = set()
    try:
        for document in documents:
            writer.add_document(**_whoosh_fields(document, spelled))
            count += 1
            if count % (BUILD_SEGMENT_DOCS * procs) == 0:
                # One segment per slice, never merged: Whoosh's in-memory pool stays small
                # (no spill to disk and merge back), and the engine reads segments anyway.
                writer.commit(merge=False)
                writer = _build_writer(index, procs)
        # The words near misses are looked up in, once for all: a document with no payload,
        # which no search ever returns.
        writer.add_document(**{schema.UNIQUE_FIELD: VOCABULARY, schema.WORDS_FIELD: spelled})
        writer.commit(merge=False)
    except BaseException:
        _stop_indexing_processes(writer)
        writer.cancel()
        raise
    return count


# --- Reading --------------------------------------------------------------------------------------


class Reader:
    """A long-lived searcher for one process, refreshed before each query (cheap if unchanged)."""

    def __init__(self, store: WhooshStore):
        self.store = store
        self._lock = threading.Lock()
        self._path: Path | None = None
        self._index: Index | None = None
        self._searcher: Searcher | None = None
        self._pid = os.getpid()
        # Replaced searchers stay open until the next replacement, for queries still using them.
        self._open: list = []
        weakref.finalize(self, _close_all, self._open)

    def segments(self) -> list[SegmentHandle]:
        """Handles on the segments of the latest complete index version."""
        with self._lock:
            try:
                searcher, path = self._refresh()
                leaves = searcher.reader().leaf_readers()
                # An empty index has one reader without a segment: no documents, no handle.
                return [
                    _handle(path, leaf)
                    for leaf, _ in leaves
                    if getattr(leaf, "segment", lambda: None)() is not None
                ]
            except IndexUnavailable:
                self._close_all()
                raise
            except Exception as error:
                where = str(self._path or self.store.root)
                forget_failure(error)
                self._close_all()
                raise IndexUnavailable(where) from error

    def _refresh(self) -> tuple[Searcher, Path]:
        """The searcher of the latest complete index version (reopened when it changed) and
        that version's path."""
        path = self.store.current_path()
        if path is None:
            raise IndexUnavailable(str(self.store.root))
        searcher, index = self._searcher, self._index
        if path != self._path or os.getpid() != self._pid or searcher is None or index is None:
            index = open_dir(str(path))
            searcher = index.searcher()
            self._replace(searcher, path)
            self._index, self._pid = index, os.getpid()
        elif not searcher.up_to_date():
            # Not Searcher.refresh(): it reuses segment readers whose deletions changed, and they
            # keep reporting the old deletions. A fresh reader costs a few file opens per segment.
            searcher = index.searcher()
            self._replace(searcher, path)
        return searcher, path

    def _replace(self, searcher: Searcher | None, path: Path | None) -> None:
        retired = [s for s in self._open if s is not self._searcher]
        _close_all(retired)
        self._open[:] = [s for s in (self._searcher, searcher) if s is not None]
        self._searcher, self._path = searcher, path
        if searcher is None:
            self._index = None

    def close(self) -> None:
        with self._lock:
            self._close_all()

    def _close_all(self) -> None:
        _close_all(self._open)
        self._open.clear()
        self._searcher = self._index = self._path = None


def forget_failure(error: BaseException) -> None:
    """Free what a failed read of a damaged index left open, without a ResourceWarning.

    Whoosh does not close the files it was reading when it fails on a damaged index: they live on
    in the error's traceback and would be closed, with a warning, whenever the error is dropped.
    Drop the tracebacks now, on purpose; the error itself (type and message) is kept.
    """
    log.warning("search index unreadable: %r", error)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        seen: BaseException | None = error
        while seen is not None:
            seen.__traceback__ = None
            seen = seen.__cause__ or seen.__context__
        gc.collect()


def _close_all(searchers: list) -> None:
    for searcher in searchers:
        with contextlib.suppress(Exception):
            searcher.close()


def _handle(path: Path, leaf: SegmentReader) -> SegmentHandle:
    reading = _LeafReading(leaf, f"{path.name}:{leaf.segment().segment_id()}")
    return SegmentHandle(
        key=reading.key,
        size=leaf.doc_count_all(),
        deleted=frozenset(leaf.deleted_docs_set) if leaf.has_deletions() else frozenset(),
        postings=reading.postings,
        values=reading.values,
        payloads=reading.payloads,
        near=reading.near,
        prefixed=reading.prefixed,
    )


class _LeafReading:
    """What the engine reads of one segment of the index, named by key."""

    def __init__(self, leaf: SegmentReader, key: str):
        self.leaf, self.key = leaf, key

    def postings(self, field: str, text: str) -> list[int]:
        try:
            return _ids_of(self.leaf.postings(field, text))
        except TermNotFound:
            return []
        except ReaderClosed as error:  # replaced while this query ran: the caller starts again
            raise IndexUnavailable(self.key) from error

    def values(self, field: str) -> list[str]:
        leaf = self.leaf
        return list(leaf.field_terms(field)) if field in leaf.indexed_field_names() else []

    def payloads(self) -> Iterator[bytes]:
        if not self.leaf.has_column(schema.PAYLOAD_FIELD):
            return iter(())
        return iter(self.leaf.column_reader(schema.PAYLOAD_FIELD, translate=False))

    def near(self, word: str) -> list[str]:
        """Indexed words one edit from word (a swap of two neighbours counts as one edit)."""
        leaf = self.leaf
        found = set(Automata.find_matches(_one_edit(word), leaf.cursor(schema.WORDS_FIELD)))
        for i in range(1, len(word) - 1):  # the automaton knows no swaps: try each one
            swapped = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
            if (schema.WORDS_FIELD, swapped) in leaf:
                found.add(swapped)
        found.discard(word)
        return sorted(found)

    def prefixed(self, field: str, prefix: str, limit: int) -> list[str]:
        found: list[str] = []
        for text in self.leaf.expand_prefix(field, prefix):
            found.append(text.decode("utf-8") if isinstance(text, bytes) else text)
            if len(found) >= limit:
                break
        return found


def _ids_of(matcher) -> list[int]:
    """Every document id of a posting list, a block at a time.

    Whoosh's all_ids() steps through postings one Python call at a time; reading whole blocks is
    several times faster. Deleted documents may be included: the engine masks them out."""
    leaf = getattr(matcher, "child", matcher)  # the deletions filter, if any, is not needed
    if not isinstance(leaf, W3LeafMatcher):
        return list(matcher.all_ids())
    found: list[int] = []
    while leaf.is_active():
        if leaf._ids is None:
            leaf._read_ids()
        found.extend(leaf._ids)
        leaf._next_block()
    return found


@lru_cache(maxsize=256)
def _one_edit(text: str):
    """The automaton of every word one edit from text, keeping its first letter."""
    return lev.levenshtein_automaton(text, 1, prefix=1).to_dfa()
