"""The in-memory side of the index: per-segment bitsets that make filters, facets and paging cheap.

Whoosh segments are immutable (only deletions change), so everything read from a segment is kept
until the segment disappears: after an edit, a process reads only the small new segment. Sets of
documents are Python ints used as bitsets: intersecting or counting 60,000 documents costs
microseconds, so facet counts and filters never loop over documents in Python.
"""

from __future__ import annotations

import heapq
import json
import math
import threading
import unicodedata
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from ..geo.distance import EARTH_RADIUS_KM, bounding_box, haversine_km
from . import schema

CELL_DEG = 0.1  # grid cell for the distance prefilter: about 11 km north-south
FINE_DEG = 0.01  # a crowded cell (a city) is searched in cells of about a kilometre
CROWDED_CELL = 512
# Within this share of a radius the plane distance is trusted; nearer the edge the great-circle
# distance decides (the same rule as the PostgreSQL backend's).
PLANE_TRUSTED = 0.97
# Up to this many candidates, a radius is checked on each one's places (about 2 µs each)
# rather than over the whole catalogue (milliseconds at 60,000 services).
FEW_TO_CHECK = 1000
# Measuring every document of a set costs about what walking the cells to count of them does
# when total² = count·size (for documents spread evenly): below that, each is measured.
MEASURE_EACH = 1.0
# A walk through the name order gives up after this many times the steps it expected (and at
# least WALK_AT_LEAST), and ranks the members instead.
WALK_BUDGET = 4
WALK_AT_LEAST = 1000
NO_DAY = -1
TERM_CACHE_SIZE = 1024
CELL_ORDER_CACHE_SIZE = 64


# --- Bitsets --------------------------------------------------------------------------------------


_MASKS = tuple(1 << i for i in range(8))


def to_bits(positions: Iterable[int]) -> int:
    """The bitset with a bit set at each position."""
    found = positions if isinstance(positions, list) else list(positions)
    if not found:
        return 0
    buf = bytearray((max(found) >> 3) + 1)
    masks = _MASKS
    for pos in found:
        buf[pos >> 3] |= masks[pos & 7]
    return int.from_bytes(buf, "little")


def positions(bits: int, limit: int | None = None) -> list[int]:
    """Set positions of bits in ascending order (at most limit of them)."""
    text = format(bits, "b")[::-1]
    found: list[int] = []
    pos = text.find("1")
    while pos != -1 and (limit is None or len(found) < limit):
        found.append(pos)
        pos = text.find("1", pos + 1)
    return found


class Membership:
    """Constant-time 'is this document in the set' for many lookups against one bitset."""

    __slots__ = ("_bytes",)

    def __init__(self, bits: int):
        self._bytes = bits.to_bytes((bits.bit_length() >> 3) + 1, "little")

    def __contains__(self, doc: int) -> bool:
        byte = doc >> 3
        return byte < len(self._bytes) and bool(self._bytes[byte] >> (doc & 7) & 1)


class LRU(OrderedDict):
    """A small least-recently-used cache."""

    def __init__(self, size: int):
        super().__init__()
        self.size = size
        self.lock = threading.Lock()

    def get_or(self, key, compute: Callable[[], object]):
        with self.lock:
            if key in self:
                self.move_to_end(key)
                return self[key]
        value = compute()
        with self.lock:
            self[key] = value
            if len(self) > self.size:
                self.popitem(last=False)
        return value


# --- Distances ------------------------------------------------------------------------------------


class Plane:
    """An equirectangular projection around a point: cheap distances, exact bounds for cells."""

    def __init__(self, lat: float, lon: float):
        self.lat, self.lon = lat, lon
        self.kx = math.radians(1) * EARTH_RADIUS_KM * math.cos(math.radians(lat))
        self.ky = math.radians(1) * EARTH_RADIUS_KM

    def distance(self, lat: float, lon: float) -> float:
        return math.hypot((lat - self.lat) * self.ky, (lon - self.lon) * self.kx)

    def nearest_in(self, cell: tuple[int, int], size: float = CELL_DEG) -> float:
        """The distance from the point to the nearest spot of a grid cell."""
        lat0, lon0 = cell[0] * size, cell[1] * size
        return self.distance(
            min(max(self.lat, lat0), lat0 + size), min(max(self.lon, lon0), lon0 + size)
        )

    def farthest_in(self, cell: tuple[int, int]) -> float:
        """The distance from the point to the farthest corner of a grid cell."""
        lat0, lon0 = cell[0] * CELL_DEG, cell[1] * CELL_DEG
        lat1, lon1 = lat0 + CELL_DEG, lon0 + CELL_DEG
        corners = ((lat0, lon0), (lat1, lon0), (lat0, lon1), (lat1, lon1))
        return max(self.distance(a, b) for a, b in corners)


def _keep_smallest(best: list[float], km: float, count: int) -> None:
    """Keeps in best, a max-heap of negated distances, the count smallest distances met."""
    if len(best) < count:
        heapq.heappush(best, -km)
    elif km < -best[0]:
        heapq.heapreplace(best, -km)


def cell_of(lat: float, lon: float, size: float = CELL_DEG) -> tuple[int, int]:
    return math.floor(lat / size), math.floor(lon / size)


# Ligatures that Unicode does not decompose, read as their letters in French ("Œuvre" is "oeuvre").
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})


def sort_key(name: str) -> str:
    """A name as it sorts for people: without accents, case or ligatures ("École" next to
    "ecole", "Œuvre" next to "oeuvre")."""
    decomposed = unicodedata.normalize("NFKD", name.casefold().translate(_LIGATURES))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class NameKeys:
    """The sort keys of a segment's documents, in document order, as UTF-8 in one buffer.

    60,000 str objects weigh megabytes in every worker; one buffer and its offsets weigh the
    characters. UTF-8 bytes compare in code point order, so the keys sort as the strings did
    (and as PostgreSQL's COLLATE "C" sorts the same keys).
    """

    __slots__ = ("_building", "buffer", "offsets")

    def __init__(self) -> None:
        self._building = bytearray()  # while the segment is read
        self.buffer = b""
        self.offsets = array("q", [0])  # document d's key is buffer[offsets[d]:offsets[d + 1]]

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def append(self, key: bytes) -> None:
        """The key of the next document."""
        self._building += key
        self.offsets.append(len(self._building))

    def fill_to(self, count: int) -> None:
        """Empty keys for documents without a payload, up to count documents."""
        while len(self.offsets) <= count:
            self.offsets.append(len(self._building))

    def freeze(self) -> None:
        """Done reading: the keys become one immutable buffer."""
        self.buffer, self._building = bytes(self._building), bytearray()

    def __getitem__(self, doc: int) -> bytes:
        return self.buffer[self.offsets[doc] : self.offsets[doc + 1]]


# --- One segment ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SegmentHandle:
    """What the engine needs from one backend segment."""

    key: str
    size: int
    deleted: frozenset[int]
    postings: Callable[[str, str], list[int]]  # (field, term) -> local doc numbers
    values: Callable[[str], list[str]]  # keyword field -> the terms present
    payloads: Callable[[], Iterator[bytes]]
    near: Callable[[str], list[str]]  # word -> indexed words one edit away
    prefixed: Callable[[str, str, int], list[str]]  # (field, prefix, limit) -> indexed terms


def _minutes_open(opens: int, closes: int) -> list[tuple[int, int, int]]:
    """(day shift, from, to) minute ranges of one schedule row; closing at 00:00 means midnight."""
    if closes == 0:
        closes = 1440
    if closes > opens:
        return [(0, opens, closes)]
    return [(0, opens, 1440), (1, 0, closes)]  # runs past midnight into the next day


class SegmentData:
    """Everything queries use from one segment, read once: keyword bitsets, places, hours, names."""

    def __init__(self, handle: SegmentHandle):
        self.key = handle.key
        self.size = size = handle.size
        self.handle = handle
        # Flat arrays rather than objects per document: a province is 60,000 documents.
        self.ids = array("q", bytes(8 * size))
        self.names_fr = NameKeys()
        self.names_en = NameKeys()
        self.verified = array("l", [NO_DAY]) * size
        self.modified = array("d", bytes(8 * size))
        self.lat = array("d", [math.nan]) * size  # first place; more places in extra_places
        self.lon = array("d", [math.nan]) * size
        self.extra_places: dict[int, list[tuple[float, float]]] = {}
        # weekday -> (opening minutes, closing minutes, documents), one entry per opening
        self.hours = {day: (array("H"), array("H"), array("l")) for day in range(1, 8)}
        self.closures: list[tuple[int, int, int]] = []
        self.partial_closures: list[tuple[int, int, int, int, int]] = []
        cell_docs: dict[tuple[int, int], list[int]] = {}
        self._read_payloads(handle, cell_docs)
        for names in (self.names_fr, self.names_en):
            names.fill_to(size)
            names.freeze()
        self.present = to_bits(doc for doc, sid in enumerate(self.ids) if sid)
        self.located = to_bits(doc for doc, lat in enumerate(self.lat) if lat == lat)  # not NaN
        self.cells = {cell: array("l", docs) for cell, docs in cell_docs.items()}
        self.bits: dict[tuple[str, str], int] = {}
        for name in schema.KEYWORD_FIELDS:
            if name in ("org", "term"):
                continue  # looked up on demand: too many values to keep
            for value in handle.values(name):
                self.bits[(name, value)] = to_bits(handle.postings(name, value))
        self._terms = LRU(TERM_CACHE_SIZE)
        self._daily = LRU(8)
        self._name_order: dict[str, array] = {}
        # cell -> fine cell -> documents, for the crowded cells a query searched more finely
        self._fine: dict[tuple[int, int], dict[tuple[int, int], array]] = {}

    def _read_payloads(self, handle: SegmentHandle, cell_docs: dict) -> None:
        for doc, raw in enumerate(handle.payloads()):
            if not raw:
                continue
            data = json.loads(raw)
            self.ids[doc] = data["id"]
            self._add_names(doc, *data["names"])
            if data["verified"] is not None:
                self.verified[doc] = data["verified"]
            self.modified[doc] = data["modified"]
            for index, (lat, lon) in enumerate(data["coords"]):
                if index == 0:
                    self.lat[doc], self.lon[doc] = lat, lon
                else:
                    self.extra_places.setdefault(doc, []).append((lat, lon))
                cell_docs.setdefault(cell_of(lat, lon), []).append(doc)
            for weekday, opens, closes in data["hours"]:
                for shift, start, end in _minutes_open(opens, closes):
                    starts, ends, docs = self.hours[(weekday - 1 + shift) % 7 + 1]
                    starts.append(start)
                    ends.append(end)
                    docs.append(doc)
            for first, last, *minutes in data["closed"]:
                if minutes:  # closed only between two hours of each day
                    self.partial_closures.append((first, last, minutes[0], minutes[1], doc))
                else:
                    self.closures.append((first, last, doc))

    def _add_names(self, doc: int, name_fr: str, name_en: str | None) -> None:
        self.names_fr.fill_to(doc)
        self.names_en.fill_to(doc)
        key_fr = sort_key(name_fr).encode()
        self.names_fr.append(key_fr)
        self.names_en.append(sort_key(name_en).encode() if name_en else key_fr)

    def fine_cells(self, cell: tuple[int, int]) -> dict[tuple[int, int], array]:
        """The documents with a place in a cell, by fine cell (worked out when first asked: only
        crowded cells are searched finely)."""
        if cell not in self._fine:
            fine: dict[tuple[int, int], array] = {}
            for doc in dict.fromkeys(self.cells.get(cell, ())):  # once each, in document order
                spots = {
                    cell_of(lat, lon, FINE_DEG)
                    for lat, lon in self.places(doc)
                    if cell_of(lat, lon) == cell
                }
                for spot in spots:
                    fine.setdefault(spot, array("l")).append(doc)
            self._fine[cell] = fine
        return self._fine[cell]

    def places(self, doc: int) -> list[tuple[float, float]]:
        lat = self.lat[doc]
        if lat != lat:  # NaN: no place
            return []
        return [(lat, self.lon[doc]), *self.extra_places.get(doc, ())]

    def name(self, doc: int, locale: str) -> bytes:
        return self.names_en[doc] if locale == "en" else self.names_fr[doc]

    def term(self, field: str, text: str) -> int:
        return self._terms.get_or((field, text), lambda: to_bits(self.handle.postings(field, text)))

    def open_at(self, day: int, weekday: int, minute: int) -> int:
        """Documents open at that local minute: 24/7 or within their hours, minus closures."""

        def compute() -> int:
            starts, ends, docs = self.hours[weekday]
            open_docs = [d for s, e, d in zip(starts, ends, docs, strict=True) if s <= minute < e]
            bits = to_bits(open_docs) | self.bits.get(("flag", schema.FLAG_ALWAYS_OPEN), 0)
            closed_now = to_bits(
                doc
                for first, last, start, end, doc in self.partial_closures
                if first <= day <= last and start <= minute < end
            )
            return bits & ~self.closed_on(day) & ~closed_now

        return self._daily.get_or(("open", day, minute), compute)

    def closed_on(self, day: int) -> int:
        return self._daily.get_or(
            ("closed", day),
            lambda: to_bits(doc for first, last, doc in self.closures if first <= day <= last),
        )

    def verified_since(self, day: int) -> int:
        return self._daily.get_or(
            ("verified", day),
            lambda: to_bits(doc for doc, seen in enumerate(self.verified) if seen >= day),
        )

    def modified_after(self, timestamp: float) -> int:
        return to_bits(doc for doc, moment in enumerate(self.modified) if moment > timestamp)

    def name_order(self, locale: str) -> array:
        """Local documents sorted by name in locale."""
        if locale not in self._name_order:
            names = self.names_en if locale == "en" else self.names_fr
            order = sorted(range(self.size), key=names.__getitem__)
            self._name_order[locale] = array("l", order)
        return self._name_order[locale]


# --- The whole index, as one numbering ------------------------------------------------------------


class IndexView:
    """A consistent view over the segments of one index version, numbered end to end."""

    def __init__(self, parts: list[tuple[SegmentData, frozenset[int]]]):
        self.parts: list[tuple[SegmentData, int]] = []
        offset = 0
        live = 0
        for data, deleted in parts:
            alive = data.present & ~to_bits(deleted)
            live |= alive << offset
            self.parts.append((data, offset))
            offset += data.size
        self.size = offset
        self.live = live
        self._offsets = [offset for _, offset in self.parts]
        self._cache: dict = {}
        self._lock = threading.Lock()
        self._cell_orders = LRU(CELL_ORDER_CACHE_SIZE)
        self._radii = LRU(CELL_ORDER_CACHE_SIZE)
        self._expansions = LRU(TERM_CACHE_SIZE)

    def _memo(self, key, compute: Callable[[], object]):
        if key not in self._cache:
            value = compute()
            with self._lock:
                self._cache[key] = value
        return self._cache[key]

    def _join(self, local: Callable[[SegmentData], int]) -> int:
        bits = 0
        for data, offset in self.parts:
            part = local(data)
            if part:
                bits |= part << offset
        return bits & self.live

    def keyword(self, field: str, value: str) -> int:
        if field in ("org", "term"):
            return self._join(lambda data: data.term(field, value))
        return self._memo(
            ("kw", field, value), lambda: self._join(lambda d: d.bits.get((field, value), 0))
        )

    def values(self, field: str) -> set[str]:
        return {value for data, _ in self.parts for (name, value) in data.bits if name == field}

    def term(self, field: str, text: str) -> int:
        return self._join(lambda data: data.term(field, text))

    def words(self, key, expand: Callable[[SegmentHandle], list[str]], limit: int) -> list[str]:
        """Indexed words that expand finds in any segment (at most limit, shortest first),
        remembered under key for this index version."""

        def compute() -> list[str]:
            found = {word for data, _ in self.parts for word in expand(data.handle)}
            return sorted(found, key=lambda word: (len(word), word))[:limit]

        return self._expansions.get_or(key, compute)

    def open_at(self, day: int, weekday: int, minute: int) -> int:
        return self._join(lambda data: data.open_at(day, weekday, minute))

    def verified_since(self, day: int) -> int:
        return self._memo(("verified", day), lambda: self._join(lambda d: d.verified_since(day)))

    def modified_after(self, timestamp: float) -> int:
        return self._join(lambda data: data.modified_after(timestamp))

    @property
    def located(self) -> int:
        return self._memo("located", lambda: self._join(lambda data: data.located))

    # Per document ---------------------------------------------------------------------------------

    def _locate(self, doc: int) -> tuple[SegmentData, int]:
        from bisect import bisect_right

        index = bisect_right(self._offsets, doc) - 1
        data, offset = self.parts[index]
        return data, doc - offset

    def service_id(self, doc: int) -> int:
        data, local = self._locate(doc)
        return data.ids[local]

    def name_key(self, doc: int, locale: str) -> bytes:
        data, local = self._locate(doc)
        return data.name(local, locale)

    def places(self, doc: int) -> list[tuple[float, float]]:
        data, local = self._locate(doc)
        return data.places(local)

    # Distance -------------------------------------------------------------------------------------

    # Documents by grid cell are kept as lists, not bitsets: a bitset costs a bit per document of
    # the whole index, thousands of cells of them would weigh tens of megabytes.

    def cell_keys(self) -> set[tuple[int, int]]:
        return self._memo("cells", lambda: {cell for data, _ in self.parts for cell in data.cells})

    def cell_docs(self, cell: tuple[int, int]) -> list[int]:
        """Every document with a place in a cell (deleted ones included: callers mask them)."""

        def merge() -> list[int]:
            docs: list[int] = []
            for data, offset in self.parts:
                docs.extend(doc + offset for doc in data.cells.get(cell, ()))
            return docs

        return self._memo(("cell", cell), merge)

    def cell_bits(self, cell: tuple[int, int]) -> int:
        return self._memo(("cell bits", cell), lambda: to_bits(self.cell_docs(cell)))

    def fine_cells(self, cell: tuple[int, int]) -> dict[tuple[int, int], array]:
        """The documents of a cell by fine cell, numbered for the whole view."""

        def merge() -> dict[tuple[int, int], array]:
            merged: dict[tuple[int, int], array] = {}
            for data, offset in self.parts:
                for fine, docs in data.fine_cells(cell).items():
                    merged.setdefault(fine, array("l")).extend(doc + offset for doc in docs)
            return merged

        return self._memo(("fine", cell), merge)

    def cell_list(self) -> list[tuple[int, int]]:
        """The non-empty cells, in order: cell_order refers to them by position."""
        return self._memo("cell list", lambda: sorted(self.cell_keys()))

    def cell_order(self, lat: float, lon: float) -> tuple[array, array]:
        """The nearest possible distance to every non-empty cell, nearest first, and the cell's
        position in cell_list: two flat arrays, as dozens of points are remembered, with
        thousands of cells each."""

        def compute() -> tuple[array, array]:
            plane = Plane(lat, lon)
            cells = self.cell_list()
            order = sorted((plane.nearest_in(cell), index) for index, cell in enumerate(cells))
            return array("d", [km for km, _ in order]), array("l", [index for _, index in order])

        return self._cell_orders.get_or((lat, lon), compute)

    def within(self, lat: float, lon: float, radius_km: float) -> int:
        """Documents with a place within radius_km (remembered for this index version)."""
        return self._radii.get_or((lat, lon, radius_km), lambda: self._within(lat, lon, radius_km))

    def _within(self, lat: float, lon: float, radius_km: float) -> int:
        """A bounding box picks the grid cells; cells wholly inside the circle are taken whole,
        the documents of cells the circle cuts are checked place by place."""
        plane = Plane(lat, lon)
        keys = self.cell_keys()
        min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, radius_km)
        low, high = cell_of(min_lat, min_lon), cell_of(max_lat, max_lon)
        inside: list[int] = []
        edge: set[int] = set()
        for row in range(low[0], high[0] + 1):
            for column in range(low[1], high[1] + 1):
                cell = (row, column)
                if cell not in keys:
                    continue
                # Wholly inside by the margin _place_within trusts the plane within, so a cell
                # taken whole holds only what checking its places one by one would keep.
                if plane.farthest_in(cell) <= radius_km * PLANE_TRUSTED:
                    inside.extend(self.cell_docs(cell))
                elif plane.nearest_in(cell) <= radius_km:
                    edge.update(self.cell_docs(cell))
        close = [doc for doc in edge if self._place_within(doc, plane, radius_km)]
        return to_bits(inside + close) & self.live

    def within_among(self, candidates: int, lat: float, lon: float, radius_km: float) -> int:
        """The documents of candidates with a place within radius_km, as within() finds them:
        a few candidates are checked one by one rather than the whole catalogue's places."""
        located = candidates & self.located
        if located.bit_count() > FEW_TO_CHECK:
            return self.within(lat, lon, radius_km) & candidates
        plane = Plane(lat, lon)
        close = [doc for doc in positions(located) if self._place_within(doc, plane, radius_km)]
        return to_bits(close) & self.live

    def _place_within(self, doc: int, plane: Plane, radius_km: float) -> bool:
        for lat, lon in self.places(doc):
            approx = plane.distance(lat, lon)
            if approx <= radius_km * PLANE_TRUSTED:
                return True
            # Near the edge, settle with the great-circle distance.
            near_edge = approx <= radius_km * (2 - PLANE_TRUSTED)
            if near_edge and haversine_km(plane.lat, plane.lon, lat, lon) <= radius_km:
                return True
        return False

    def nearest_first(
        self, bits: int, lat: float, lon: float, count: int
    ) -> list[tuple[int, float]]:
        """The count documents of bits nearest to the point, (doc, approximate km), nearest first.

        Cells are visited nearest first; a document is final once no unvisited cell can hold
        anything nearer, so the work follows the page asked for, not the size of the catalogue.
        """
        plane = Plane(lat, lon)
        total = bits.bit_count()
        if total * total <= count * self.size * MEASURE_EACH:
            # Few documents, maybe far apart: measuring each beats walking the cells to them.
            return self._each_measured(bits, plane)
        members = Membership(bits)
        found: list[tuple[float, int]] = []
        best: list[float] = []  # the count smallest distances found so far, as a max-heap
        measured: set[int] = set()  # a document with places in several cells is met in each
        # Cells nearest first (a sorted list is a heap); a crowded cell is replaced by its fine
        # cells, so a city of thousands of services is not measured whole for one page.
        cells = self.cell_list()
        heap: list = [
            (near, 0, index, None) for near, index in zip(*self.cell_order(lat, lon), strict=True)
        ]
        while heap:
            near, fine, where, docs = heapq.heappop(heap)  # where: a cell's position, a fine cell
            if len(measured) == total or (len(best) >= count and -best[0] <= near):
                break  # every document is measured, or no cell left holds a nearer one
            if not fine:
                docs = self._coarse_cell_docs(cells[where], bits, plane, heap)
                if docs is None:
                    continue
            for doc in docs:
                # A document with two places in one cell is listed twice in it: measure it once.
                if doc in members and doc not in measured:
                    measured.add(doc)
                    km = self.nearest(doc, plane)
                    found.append((km, doc))
                    _keep_smallest(best, km, count)
        found.sort()
        return [(doc, km) for km, doc in found]

    def _each_measured(self, bits: int, plane: Plane) -> list[tuple[int, float]]:
        """Every document of bits, (doc, approximate km), nearest first."""
        measures = sorted((self.nearest(doc, plane), doc) for doc in positions(bits))
        return [(doc, km) for km, doc in measures]

    def _coarse_cell_docs(
        self, cell: tuple[int, int], bits: int, plane: Plane, heap: list
    ) -> list[int] | None:
        """The documents of a cell to measure; None when the cell is crowded with matches and
        its fine cells were put on the heap instead."""
        docs = self.cell_docs(cell)
        if len(docs) <= CROWDED_CELL:
            return docs
        # A crowded cell is worth a bitset: the matches in it come at C speed...
        hits = self.cell_bits(cell) & bits
        if hits.bit_count() <= CROWDED_CELL:
            return positions(hits)
        # ...and if they are many, it is searched by its fine cells.
        for fine_cell, fine_docs in self.fine_cells(cell).items():
            heapq.heappush(heap, (plane.nearest_in(fine_cell, FINE_DEG), 1, fine_cell, fine_docs))
        return None

    def nearest(self, doc: int, plane: Plane) -> float:
        data, local = self._locate(doc)
        km = plane.distance(data.lat[local], data.lon[local])
        for lat, lon in data.extra_places.get(local, ()):
            km = min(km, plane.distance(lat, lon))
        return km

    # Name order -----------------------------------------------------------------------------------

    def first_by_name(self, bits: int, count: int, locale: str) -> list[int]:
        """The count documents of bits first in name order."""
        total = bits.bit_count()
        if not total or count <= 0:
            return []
        # Sorting the members costs total·log(total); walking the global order costs about
        # count·size/total. Take the cheaper one.
        if total * math.log2(total + 1) <= count * self.size / total:
            docs = positions(bits)
            docs.sort(key=lambda doc: (self.name_key(doc, locale), doc))
            return docs[:count]
        # The estimate holds when the members are spread through the alphabet; when they bunch
        # (a word most of whose services are named "Thérapie …"), the walk stops at a budget
        # and the members are ranked instead.
        budget = max(WALK_BUDGET * count * self.size // total, WALK_AT_LEAST)
        members = Membership(bits)
        found = []
        for step, doc in enumerate(self._by_name(locale)):
            if doc in members:
                found.append(doc)
                if len(found) == count:
                    break
            elif step > budget:
                rank = self.name_ranks(locale)
                return heapq.nsmallest(count, positions(bits), key=rank.__getitem__)
        return found

    def name_ranks(self, locale: str) -> array:
        """Each document's place in name order (worked out when first needed by this view)."""

        def compute() -> array:
            rank = array("l", [0]) * self.size
            for place, doc in enumerate(self._by_name(locale)):
                rank[doc] = place
            return rank

        return self._memo(("name ranks", locale), compute)

    def _by_name(self, locale: str) -> Iterator[int]:
        """Every document of the view in name order."""
        if len(self.parts) == 1:  # one segment (a fresh index): its order, names unread
            data, offset = self.parts[0]
            return (local + offset for local in data.name_order(locale))
        streams = [_named(data, offset, locale) for data, offset in self.parts]
        return (doc for _, doc in heapq.merge(*streams))


def _named(data: SegmentData, offset: int, locale: str) -> Iterator[tuple[bytes, int]]:
    """(name, global doc) of a segment's documents in name order."""
    names = data.names_en if locale == "en" else data.names_fr
    buffer, offsets = names.buffer, names.offsets
    for local in data.name_order(locale):
        yield buffer[offsets[local] : offsets[local + 1]], local + offset
