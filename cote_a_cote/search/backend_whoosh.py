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
import dataclasses
import errno
import fcntl
import gc
import json
import logging
import multiprocessing
import operator
import os
import re
import secrets
import shutil
import signal
import sys
import threading
import warnings
import weakref
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from functools import lru_cache
from itertools import chain
from pathlib import Path

from whoosh import fields, formats
from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.automata import lev
from whoosh.codec.base import Automata
from whoosh.codec.whoosh3 import W3Codec, W3LeafMatcher, W3PostingsWriter
from whoosh.columns import VarBytesColumn
from whoosh.index import Index, create_in, open_dir
from whoosh.lang import stemmer_for_language, stopwords_for_language
from whoosh.reading import ReaderClosed, SegmentReader, TermNotFound
from whoosh.searching import Searcher
from whoosh.support.charset import accent_map
from whoosh.writing import SegmentWriter

from . import schema
from .documents import IndexDocument
from .engine import SegmentHandle

log = logging.getLogger(__name__)

# A source of documents to index: called once, in the process that indexes them.
DocumentSource = Callable[[], Iterable[IndexDocument]]

READY = "READY"
CURRENT = "current"
LOCK_FILE = "writer.lock"
WORD_PATTERN = r"\w+"
# A build writes segments of at most BUILD_SEGMENT_DOCS documents per indexing process, never
# merged. Measured at 60,000 services (make bench, idle): segments of 8,000 answer the engine's
# queries in 19.6 ms at p95 and build in 24 s; segments of 40,000, 30.7 ms and 32.5 s.
BUILD_SEGMENT_DOCS = 8_000
# An indexing process reports its progress every PROGRESS_EVERY documents.
PROGRESS_EVERY = 500
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


# Analysed words are remembered: a catalogue says the same few thousand words again and again, so a
# rebuild folds and stems each one once. A cache is emptied when it grows past this size.
ANALYSIS_CACHE_SIZE = 200_000


class _WordCache(dict):
    """word -> what analyse(word) gives, computed on first use (lookups stay in C)."""

    def __init__(self, analyse):
        super().__init__()
        self.analyse = analyse

    def __missing__(self, word):
        if len(self) >= ANALYSIS_CACHE_SIZE:
            self.clear()
        value = self[word] = self.analyse(word)
        return value


def _fold(word: str) -> str:
    """A lowercased word folded, or "" when it is not indexed (a stop word, one letter)."""
    folded = word.translate(accent_map)
    return "" if len(folded) < 2 or folded in stop_words() else folded


@lru_cache(maxsize=len(schema.LANGUAGES))
def _stemmer(language: str):
    return stemmer_for_language(language)


def _both_stems(word: str) -> tuple[str, ...]:
    french, english = _stemmer("fr")(word), _stemmer("en")(word)
    return (french,) if french == english else (french, english)


def _guessable(word: str) -> bool:
    return len(word) >= schema.WORDS_MIN_LENGTH and word.isalpha()


_FOLDED = _WordCache(_fold)
_STEMS = _WordCache(_both_stems)
_GUESSABLE = _WordCache(_guessable)
# The few characters Whoosh's accent map turns from non-word characters (combining marks) into
# letters: a text holding one (decomposed text, rare) is folded whole before it is split, since
# folding can join its words.
_JOINING = re.compile(
    "[" + "".join(re.escape(chr(c)) for c in accent_map if not _WORD.fullmatch(chr(c))) + "]"
)


def words(text: str) -> list[str]:
    """The words of a text as the index sees them before stemming, in order, without repeats."""
    lowered = text.lower()
    if _JOINING.search(lowered):
        stops = stop_words()
        found = _WORD.findall(lowered.translate(accent_map))
        return list(dict.fromkeys(w for w in found if len(w) > 1 and w not in stops))
    # Without such a character, folding maps word characters to word characters only, so folding
    # each word after the split gives what folding the text before it would.
    folded = dict.fromkeys(map(_FOLDED.__getitem__, dict.fromkeys(_WORD.findall(lowered))))
    folded.pop("", None)
    return list(folded)


query_words = words


def stems(word: str) -> tuple[str, ...]:
    """The French and the English stem of a word (once when they are the same)."""
    return _STEMS[word]


# Texts analysed lately: services tagged alike share their taxonomy text word for word.
_ANALYSED: dict[str, tuple[list[str], tuple[str, ...]]] = {}
ANALYSED_CACHE_SIZE = 4_096


def analysed(text: str) -> tuple[list[str], tuple[str, ...]]:
    """A text's stems (each word's French and English stem) and its guessable words."""
    known = _ANALYSED.get(text)
    if known is None:
        found = words(text)
        known = (
            list(chain.from_iterable(map(_STEMS.__getitem__, found))),
            tuple(filter(_GUESSABLE.__getitem__, found)),
        )
        if len(text) < 2_000:
            if len(_ANALYSED) >= ANALYSED_CACHE_SIZE:
                _ANALYSED.clear()
            _ANALYSED[text] = known
    return known[0].copy(), known[1]


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

    def postings_writer(self, dbfile, byteids=False):
        return _PostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )


class _PostingsWriter(W3PostingsWriter):
    """Whoosh's posting writer with its block's lists shrunk in C instead of one Python step per
    posting: the same bytes."""

    def _mini_ids(self):
        ids = self._ids
        if self._byteids:
            return tuple(ids)
        return tuple(map(operator.sub, ids, chain((0,), ids)))

    def _mini_weights(self):
        weights = self._weights
        if weights.count(1.0) == len(weights):
            return None
        return super()._mini_weights()


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
        forms, guessable = analysed(document.texts.get(level) or "")
        values[level] = forms
        own.update(guessable)
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

    def build(
        self,
        sources: Sequence[DocumentSource],
        advance: Callable[[int], None] | None = None,
        after_fork: Callable[[], None] | None = None,
    ) -> int:
        """Write a complete new generation, then swap it in; the caller holds the writer lock.

        Each source gives one slice of the documents. The first is indexed in this process, each
        other one in a forked indexing process of its own (which first calls after_fork, to drop
        the database connections it inherited); advance(n) is told of every n documents written.
        Several sources only for the reindex command, never inside a web worker."""
        target = self._new_generation()
        index = create_in(str(target), whoosh_schema())
        try:
            count = _write_sources(index, sources, advance or (lambda _n: None), after_fork)
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
            writer.cancel()
            index.close()
            raise
        writer.commit(mergetype=merge_update_segments)
        index.close()

    def reader(self) -> Reader:
        return Reader(self)


class BuildWriter(SegmentWriter):
    """Whoosh's segment writer for a rebuild, with its postings kept as arrays of document numbers.

    Whoosh's own writer keeps one tuple per posting in its pool (about 150 bytes each), sorts
    them all, then hands them one by one to the codec. Every posting of this index is a term's
    presence in a document (weight 1, no value), so here each term keeps an array of document
    numbers and its blocks are written whole, as the codec would have written them: the same
    segment files for a fraction of the time and memory (tests/search/test_build_writer.py
    compares both writers' indexes)."""

    def __init__(self, index: Index):
        # Never Whoosh's own lock: the generation is new and THE writer lock is held.
        super().__init__(index, _lk=False, codec=BuildCodec(), compound=False)
        self.postings: dict[str, dict[str, array]] = {}

    def add_document(self, **values):
        docnum, per, postings = self.docnum, self.perdocwriter, self.postings
        per.start_doc(docnum)
        for name in sorted(values):
            value, field = values[name], self.schema[name]
            if value is None:
                continue
            length = 0
            if field.indexed:
                terms = postings.setdefault(name, {})
                for term in _terms(field, value):
                    found = terms.get(term)
                    if found is None:
                        found = terms[term] = array("I")
                    found.append(docnum)
                    length += 1
            stored = value if field.stored else None
            if stored is not None or (length and field.scorable):
                per.add_field(name, field, stored, length if field.scorable else 0)
            if field.column_type is not None:
                per.add_column_value(name, field.column_type, field.to_column_value(value))
        per.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self):
        self.perdocwriter.close()
        writer = self.fieldwriter
        for name in sorted(self.postings):
            writer.start_field(name, self.schema[name])
            terms = self.postings[name]
            # UTF-8 keeps the order of code points: sorted texts are sorted bytes.
            for term in sorted(terms):
                writer.start_term(term.encode("utf-8"))
                _add_postings(writer._postwriter, terms[term])
                writer.finish_term()
            writer.finish_field()
        writer.close()
        self.postings = {}


def _terms(field, value) -> Iterable[str]:
    """The terms a value gives, each once; every field of this index gives weight 1, no value."""
    if isinstance(field, TermsField):
        return set(value.split() if isinstance(value, str) else value)
    found = []
    for term, _freq, weight, vbytes in field.index(value):
        if weight != 1.0 or vbytes:
            raise ValueError(f"field {field!r} gives weighted postings")
        found.append(term.decode("utf-8"))
    return found


_ONES = array("f", [1.0]) * 1024


def _add_postings(writer, numbers: array) -> None:
    """A term's document numbers into the codec's posting writer, block by block: what calling
    add_posting(number, 1.0, b"") for each would do."""
    limit = writer._blocklimit
    for start in range(0, len(numbers), limit):
        if writer._ids:
            writer._write_block()
        block = numbers[start : start + limit]
        writer._ids.extend(block)
        writer._weights.extend(_ONES[: len(block)])
        writer._maxweight = 1.0


@dataclasses.dataclass
class _Slice:
    """What indexing one source gave: its segments, its guessable words, its document count."""

    segments: list = dataclasses.field(default_factory=list)
    spelled: set[str] = dataclasses.field(default_factory=set)
    documents: int = 0


def _write_slice(
    index: Index, documents: Iterable[IndexDocument], advance: Callable[[int], None], every: int
) -> _Slice:
    """Write documents as segments of the generation (not yet listed in its table of contents);
    advance(every) after each every documents."""
    done = _Slice()
    writer = BuildWriter(index)
    try:
        for document in documents:
            writer.add_document(**_whoosh_fields(document, done.spelled))
            done.documents += 1
            if done.documents % every == 0:
                advance(every)
            if writer.doc_count() >= BUILD_SEGMENT_DOCS:
                done.segments.append(writer._finalize_segment())
                writer = BuildWriter(index)
        if writer.doc_count():
            done.segments.append(writer._finalize_segment())
        else:
            writer._close_segment()
    except BaseException:
        writer._close_segment()
        raise
    if done.documents % every:
        advance(done.documents % every)
    return done


def _write_sources(
    index: Index,
    sources: Sequence[DocumentSource],
    advance: Callable[[int], None],
    after_fork: Callable[[], None] | None,
) -> int:
    """Write every source's documents, then the vocabulary, then the table of contents."""
    processes = [_IndexingProcess(index, source, after_fork) for source in sources[1:]]
    try:

        def here(count: int) -> None:
            advance(count)
            for process in processes:
                process.poll(advance)

        slices = [_write_slice(index, sources[0](), here, 1)] if sources else []
        slices += [process.result(advance) for process in processes]
    finally:
        for process in processes:
            process.stop()
    spelled = set().union(*(done.spelled for done in slices))
    # The words near misses are looked up in, once for all: a document with no payload, which no
    # search ever returns.
    last = BuildWriter(index)
    last.add_document(**{schema.UNIQUE_FIELD: VOCABULARY, schema.WORDS_FIELD: spelled})
    segments = [segment for done in slices for segment in done.segments]
    segments.append(last._finalize_segment())
    last._commit_toc(segments)
    last._finish()
    return sum(done.documents for done in slices)


class _IndexingProcess:
    """A forked process indexing one source; it dies with the writer that started it."""

    def __init__(self, index: Index, source: DocumentSource, after_fork):
        context = multiprocessing.get_context("fork")
        self.connection, theirs = context.Pipe(duplex=False)
        self.process = context.Process(
            target=_index_in_child, args=(theirs, index, source, after_fork, os.getpid())
        )
        self.process.start()
        theirs.close()
        self.done: _Slice | None = None

    def poll(self, advance: Callable[[int], None]) -> None:
        """Pass on the progress reported so far; keep the slice once it has come."""
        while self.done is None and self.connection.poll():
            try:
                kind, value = self.connection.recv()
            except EOFError:
                code = self.process.exitcode
                raise RuntimeError(f"an indexing process ended with status {code}") from None
            if kind == "progress":
                advance(value)
            elif kind == "done":
                self.done = value
            else:
                raise RuntimeError(f"an indexing process failed: {value}")

    def result(self, advance: Callable[[int], None]) -> _Slice:
        while self.done is None:
            self.connection.poll(None)
            self.poll(advance)
        return self.done

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
        self.process.join(5)
        self.connection.close()


def _index_in_child(connection, index: Index, source: DocumentSource, after_fork, parent: int):
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent(parent)
    try:
        if after_fork is not None:
            after_fork()

        def report(count: int) -> None:
            connection.send(("progress", count))

        done = _write_slice(index, source(), report, PROGRESS_EVERY)
        connection.send(("done", done))
    except BaseException as error:
        connection.send(("failed", f"{type(error).__name__}: {error}"))
        raise
    finally:
        connection.close()


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
