"""The search contract: parameters in, one page of service ids (plus facets) out.

Visibility is enforced here whatever the parameters: the index only holds services of approved
providers, and the PUBLIC audience only ever sees public ones.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

from flask import g, has_request_context
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ..catalogue.models import (
    Location,
    Organization,
    Region,
    Service,
    ServiceArea,
    TaxonomyTerm,
)
from ..config import LOCAL_ZONE, settings
from ..database import utcnow
from ..extensions import db
from ..geo.distance import geodesic_km
from . import schema
from .backend_whoosh import IndexUnavailable, query_words, stems
from .engine import IndexView, Membership, Plane, SegmentHandle
from .sync import current_view

MAX_WORDS = 8
FUZZY_MIN_LENGTH = 6  # one typo is tolerated in words this long or longer
FUZZY_BELOW = 3  # ... and only when the exact word is this rare, so typos never flood results
PREFIX_MIN_LENGTH = 3  # the last word, still being typed, may be a prefix
EXPANSION_LIMIT = 20  # words a near miss or a prefix may stand for
MAX_PER_PAGE = 200
RADIUS_CHOICES = (5, 10, 25, 50, 100, 200)
NEARBY_REGIONS = 3
OPTIONS = ("accepting_only", "trained_only", "open_now")
LABEL_PROVINCE_WIDE = "province_wide"
LABEL_REMOTE = "remote"


class Audience(enum.Enum):
    PUBLIC = "public"  # anonymous visitors, provider staff, the HSDS API: public services only
    INTERVENANTE = "intervenante"  # intervenantes and admins: public + intervenantes-only


@dataclass
class SearchParams:
    q: str = ""
    regions: list[str] = field(default_factory=list)  # region codes "01".."17", "QC", "HQ"
    needs: list[str] = field(default_factory=list)  # taxonomy term codes
    sectors: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)  # ISO 639 codes
    populations: list[str] = field(default_factory=list)
    exploitation: list[str] = field(default_factory=list)
    access: list[str] = field(default_factory=list)  # access feature term codes
    taxonomy_term_ids: list[int] = field(default_factory=list)  # any taxonomy, by id (HSDS)
    organization_id: int | None = None
    modified_after: datetime | None = None
    accepting_only: bool = False
    trained_only: bool = False
    open_now: bool = False
    near: tuple[float, float] | None = None  # (lat, lon)
    radius_km: float | None = None
    sort: str = "relevance"  # "relevance" | "distance" | "name"
    page: int = 1
    per_page: int = 20
    # Beyond the contract, all optional:
    include_remote: bool = False  # region and radius filters also admit remote services
    any_word: bool = False  # match any word of q instead of all of them
    # Who the person is (never stored): hide the services that would turn them away.
    person_age: int | None = None
    person_populations: list[str] = field(default_factory=list)
    hide_turned_away: bool = False
    locale: str = "fr"  # for the name order

    def centre(self) -> tuple[float, float]:
        """near, where only a search near a place can be (sorting or filtering by distance)."""
        if self.near is None:
            raise ValueError("this search is near no place")
        return self.near


@dataclass
class Widening:
    """A way out of zero results: how to change the search, and how many results that gives."""

    kind: str  # "region" | "remote" | "radius" | "anywhere" | "drop" | "any_word" | "no_words"
    value: str | None
    count: int
    params: SearchParams


@dataclass
class SearchResult:
    total: int
    service_ids: list[int]  # this page, in order
    distances_km: dict[int, float]  # service id -> distance for this page (when near given)
    facets: dict[str, dict[str, int]]  # facet name -> value code -> count (empty when not asked)
    labels: dict[int, str] = field(default_factory=dict)  # id -> LABEL_* instead of a distance
    widenings: list[Widening] = field(default_factory=list)  # when nothing matched (with facets)
    # With an automatic radius: the one chosen (None: any distance), and for each of its radii
    # how many services have a place within it, counted up to AutoRadius.enough.
    radius_km: float | None = None
    located: dict[float, int] = field(default_factory=dict)


@dataclass(frozen=True)
class AutoRadius:
    """A radius that widens: the search runs within the first of radii that holds at least
    enough located services (province-wide and remote ones are shown apart, not by distance),
    else at any distance."""

    radii: tuple[float, ...]
    enough: int

    def choice(self, located: dict[float, int]) -> float | None:
        """The radius chosen, from how many services each radius holds."""
        return next((r for r in self.radii if located[r] >= self.enough), None)


# --- The plan of one search -----------------------------------------------------------------------


class _Plan:
    """The bitsets of one search: visible documents, text levels, and each filter group."""

    def __init__(self, view: IndexView, params: SearchParams, audience: Audience, now: datetime):
        self.view, self.params, self.now = view, params, now
        base = view.live
        if audience is not Audience.INTERVENANTE:
            base &= view.keyword("audience", schema.AUDIENCE_PUBLIC)
        self.base = base
        self.words = [_word_levels(view, w, last, base) for w, last in _words(params.q)]
        self.text = self._text_bits()
        self.groups = self._groups()

    def _text_bits(self) -> int:
        if not self.words:
            return self.base
        matches = [self.base & _union(bits for _, bits in levels) for levels in self.words]
        combined = matches[0]
        for bits in matches[1:]:
            combined = combined | bits if self.params.any_word else combined & bits
        return combined

    def _remote(self) -> int:
        return self.view.keyword("flag", schema.FLAG_REMOTE) if self.params.include_remote else 0

    def region_bits(self, code: str) -> int:
        """A region's services, province-wide ones included (they serve every region)."""
        bits = self.view.keyword("region", code)
        if schema.serves_every_region([code]):
            bits |= self.view.keyword("flag", schema.FLAG_PROVINCE_WIDE)
        return bits | self._remote()

    def _groups(self) -> dict[str, int]:
        p, view = self.params, self.view
        groups: dict[str, int] = {}
        if p.regions:
            groups["regions"] = _union(self.region_bits(code) for code in p.regions)
        for name, field_name in schema.FACETS.items():
            values = getattr(p, name)
            if values and name != "regions":
                groups[name] = _union(view.keyword(field_name, v) for v in values)
        if p.taxonomy_term_ids:
            groups["taxonomy_term_ids"] = _union(
                view.keyword("term", str(i)) for i in p.taxonomy_term_ids
            )
        if p.organization_id is not None:
            groups["organization_id"] = view.keyword("org", str(p.organization_id))
        if p.modified_after is not None:
            groups["modified_after"] = view.modified_after(p.modified_after.timestamp())
        if p.accepting_only:
            groups["accepting_only"] = view.keyword("flag", schema.FLAG_ACCEPTING)
        if p.trained_only:
            groups["trained_only"] = view.keyword("flag", schema.FLAG_TRAINED)
        if p.open_now:
            groups["open_now"] = self.open_now()
        if p.near is not None and p.radius_km:
            groups["radius"] = self.radius_bits(p.radius_km)
        if p.hide_turned_away and (p.person_age is not None or p.person_populations):
            groups["hide_turned_away"] = self.base & ~self.turned_away()
        return groups

    def turned_away(self) -> int:
        """Services whose age limits or excluded populations leave the person out."""
        p, view = self.params, self.view
        bits = _union(view.keyword("excluded", code) for code in p.person_populations)
        if p.person_age is not None:
            age = p.person_age
            bits |= _union(
                view.keyword("min_age", v) for v in view.values("min_age") if int(v) > age
            )
            bits |= _union(
                view.keyword("max_age", v) for v in view.values("max_age") if int(v) < age
            )
        return bits

    def open_now(self) -> int:
        local = self.now.astimezone(LOCAL_ZONE)
        minute = local.hour * 60 + local.minute
        return self.view.open_at(local.date().toordinal(), local.isoweekday(), minute)

    def radius_bits(self, radius_km: float) -> int:
        lat, lon = self.params.centre()
        # Every use of a group is within what the words match: only those need checking.
        close = self.view.within_among(self.text, lat, lon, radius_km)
        return close | self.view.keyword("flag", schema.FLAG_PROVINCE_WIDE) | self._remote()

    def matched(self, without: str | None = None) -> int:
        bits = self.text
        for name, group in self.groups.items():
            if name != without:
                bits &= group
        return bits

    # Facets ---------------------------------------------------------------------------------------

    def facets(self) -> dict[str, dict[str, int]]:
        counts: dict[str, dict[str, int]] = {}
        for name, field_name in schema.FACETS.items():
            others = self.matched(without=name)
            values = self.view.values(field_name) | set(getattr(self.params, name))
            value_bits = (
                self.region_bits
                if name == "regions"
                else (lambda v, f=field_name: self.view.keyword(f, v))
            )
            counts[name] = {v: (others & value_bits(v)).bit_count() for v in sorted(values)}
        option_bits = {
            "accepting_only": lambda: self.view.keyword("flag", schema.FLAG_ACCEPTING),
            "trained_only": lambda: self.view.keyword("flag", schema.FLAG_TRAINED),
            "open_now": self.open_now,
        }
        counts["options"] = {
            name: (self.matched(without=name) & bits()).bit_count()
            for name, bits in option_bits.items()
        }
        return counts

    # Ranking --------------------------------------------------------------------------------------

    def buckets(self, bits: int) -> list[tuple[int, int]]:
        """(score, documents) from best to worst: text levels, then the boosts."""
        tiers = {0: bits}
        for levels in self.words:
            tiers = _split(tiers, levels)
        recent_day = self.now.date().toordinal() - recently_verified_days()
        boosts = {
            "trained": self.view.keyword("flag", schema.FLAG_TRAINED),
            "accepting": self.view.keyword("flag", schema.FLAG_ACCEPTING),
            "recent": self.view.verified_since(recent_day),
        }
        for name, points in schema.BOOST_POINTS:
            tiers = _split(tiers, [(points, boosts[name])])
        return sorted(((s, b) for s, b in tiers.items() if b), reverse=True)

    def page(self, bits: int, start: int, count: int) -> list[int]:
        p = self.params
        if p.sort == "name":
            return self.view.first_by_name(bits, start + count, p.locale)[start:]
        buckets = self.buckets(bits)
        if p.sort == "distance" and p.near is not None:
            return self._by_distance(bits, buckets, start, count)
        found: list[int] = []
        for _score, members in buckets:
            size = members.bit_count()
            if start >= size:
                start -= size
                continue
            found += self._within_bucket(members, start + count - len(found))[start:]
            start = 0
            if len(found) >= count:
                break
        return found[:count]

    def distance_eligible(self, bits: int) -> int:
        """Documents that get a distance: located, and not province-wide (those get a label)."""
        return bits & self.view.located & ~self.view.keyword("flag", schema.FLAG_PROVINCE_WIDE)

    def _within_bucket(self, members: int, count: int) -> list[int]:
        p = self.params
        if p.near is None:
            return self.view.first_by_name(members, count, p.locale)
        located = self.distance_eligible(members)
        lat, lon = p.near
        ordered = [doc for doc, _ in self.view.nearest_first(located, lat, lon, count)[:count]]
        if len(ordered) < count:
            ordered += self.view.first_by_name(members & ~located, count - len(ordered), p.locale)
        return ordered

    def _by_distance(self, bits: int, buckets, start: int, count: int) -> list[int]:
        p = self.params
        lat, lon = p.centre()
        located = self.distance_eligible(bits)
        scores = [(score, Membership(members)) for score, members in buckets]

        def score(doc: int) -> int:
            return next((s for s, members in scores if doc in members), 0)

        wanted = start + count
        near = self.view.nearest_first(located, lat, lon, wanted)
        if len(near) > wanted:
            # Keep the page and whatever ties with its last distance (services at one address).
            last = round(near[wanted - 1][1], 3)
            near = [item for item in near if round(item[1], 3) <= last]
        near.sort(
            key=lambda item: (
                round(item[1], 3),
                -score(item[0]),
                self.view.name_key(item[0], p.locale),
            )
        )
        ordered = [doc for doc, _ in near[: start + count]]
        if len(ordered) < start + count:
            rest = bits & ~located
            ordered += self._by_score_then_name(rest, buckets, start + count - len(ordered))
        return ordered[start : start + count]

    def _by_score_then_name(self, bits: int, buckets, count: int) -> list[int]:
        found: list[int] = []
        for _score, members in buckets:
            if len(found) >= count:
                break
            found += self.view.first_by_name(members & bits, count - len(found), self.params.locale)
        return found


def _union(parts) -> int:
    bits = 0
    for part in parts:
        bits |= part
    return bits


def _split(tiers: dict[int, int], levels: list[tuple[int, int]]) -> dict[int, int]:
    """Move each document up by the points of the first level it belongs to."""
    moved: dict[int, int] = {}
    for score, bits in tiers.items():
        rest = bits
        for points, level in levels:
            part = rest & level
            if part:
                moved[score + points] = moved.get(score + points, 0) | part
                rest &= ~part
        if rest:
            moved[score] = moved.get(score, 0) | rest
    return moved


def _words(q: str) -> list[tuple[str, bool]]:
    words = query_words(q or "")[:MAX_WORDS]
    return [(word, index == len(words) - 1) for index, word in enumerate(words)]


def _word_levels(view: IndexView, word: str, last: bool, base: int) -> list[tuple[int, int]]:
    """(points, documents) for one query word: names, taxonomy labels, other text, near misses."""
    levels, exact = [], 0
    forms = stems(word)
    for level, points in schema.TEXT_LEVELS:
        bits = _union(view.term(level, form) for form in forms)
        levels.append((points, bits))
        exact |= bits
    loose = 0
    # Only words: a near miss of a number or a code (postal code, phone) is another thing.
    guessable = len(word) >= FUZZY_MIN_LENGTH and word.isalpha()
    if guessable and (exact & base).bit_count() < FUZZY_BELOW:
        others = view.words(("near", word), lambda h: h.near(word), EXPANSION_LIMIT)
        loose = _union(
            view.term(level, form)
            for other in others
            for form in stems(other)
            for level in schema.TEXT_FIELDS
        )
    if last and len(word) >= PREFIX_MIN_LENGTH and not (exact | loose) & base:
        # Still being typed: the stems it begins.
        for level in schema.TEXT_FIELDS:
            begun = view.words(("prefix", level, word), _prefixed(level, word), EXPANSION_LIMIT)
            loose |= _union(view.term(level, form) for form in begun)
    levels.append((schema.FUZZY_POINTS, loose & ~exact))
    return levels


def _prefixed(level: str, word: str) -> Callable[[SegmentHandle], list[str]]:
    """What finds, in one segment, the stems of a text level that begin with word."""

    def expand(handle: SegmentHandle) -> list[str]:
        return handle.prefixed(level, word, EXPANSION_LIMIT)

    return expand


def word_stems(q: str) -> set[str]:
    """Stems of the words of q in every language, to tell which labels a query matched."""
    return {form for word, _ in _words(q) for form in stems(word)}


def label_matches(label: str, wanted: set[str]) -> bool:
    return any(form in wanted for word in query_words(label) for form in stems(word))


# --- The contract ---------------------------------------------------------------------------------


def search_services(
    params: SearchParams,
    audience: Audience,
    with_facets: bool = False,
    auto_radius: AutoRadius | None = None,
) -> SearchResult:
    """One page of matching services, best first, with facet counts when asked for.

    auto_radius (near a place): params.radius_km is left aside; the search runs within the
    radius auto_radius chooses, which the result tells with the counts it was chosen from.
    """
    params = replace(
        params, page=max(1, params.page), per_page=min(max(1, params.per_page), MAX_PER_PAGE)
    )
    if auto_radius is not None and params.near is not None and auto_radius.radii:
        params = replace(params, radius_km=auto_radius.radii[0])
    else:
        auto_radius = None
    if uses_postgresql():
        return _search_postgresql(params, audience, with_facets, auto_radius)
    try:
        return _search(params, audience, with_facets, auto_radius)
    except IndexUnavailable:
        # A segment reader was replaced while this query read from it: once more, afresh.
        return _search(params, audience, with_facets, auto_radius)


def uses_postgresql() -> bool:
    """Whether this app searches with the PostgreSQL backend (SEARCH_BACKEND)."""
    return settings().search_backend == "postgresql"


def _postgresql_plan(params: SearchParams, audience: Audience):
    """The PostgreSQL plan of a search. The plans of one request share what their words come to
    (the radius counts, then the search, read the same words), as the tables' state was when
    the first one read it."""
    from . import backend_postgresql

    public = audience is not Audience.INTERVENANTE
    known = g.get("search_words") if has_request_context() else None
    plan = backend_postgresql.Plan(db.session(), params, public, utcnow(), known=known)
    if has_request_context():
        g.search_words = plan.known
    return plan


def _search_postgresql(
    params: SearchParams, audience: Audience, with_facets: bool, auto_radius: AutoRadius | None
):
    plan, found = _postgresql_found(params, audience, with_facets, auto_radius)
    params = plan.params
    result = SearchResult(found.total, found.service_ids, found.distances_km, {}, found.labels)
    result.radius_km, result.located = params.radius_km, found.located
    if with_facets:
        result.facets = found.facets
        if found.total == 0:

            def counts(changes: list[SearchParams]) -> list[int]:
                # Dropping one filter group: counted already by the search's own statement;
                # the others in one more statement.
                known = {
                    i: number
                    for i, changed in enumerate(changes)
                    for name, number in found.without.items()
                    if name != "radius" and changed == replace(_without(params, name), page=1)
                }
                rest = iter(plan.counts([c for i, c in enumerate(changes) if i not in known]))
                return [known[i] if i in known else next(rest) for i in range(len(changes))]

            result.widenings = _widenings(params, list(plan.groups), len(plan.words), counts)
    return result


def _postgresql_found(
    params: SearchParams, audience: Audience, with_facets: bool, auto_radius: AutoRadius | None
):
    """The plan of a search and its answer. With an automatic radius, the search at the first
    radius counts the others too, and answers only when that radius is chosen: otherwise once
    more, at the one chosen."""
    plan = _postgresql_plan(params, audience)
    start = (params.page - 1) * params.per_page
    found = plan.search(start, params.per_page, with_facets, auto_radius)
    if auto_radius is None or (chosen := auto_radius.choice(found.located)) == params.radius_km:
        return plan, found
    again = _postgresql_plan(replace(params, radius_km=chosen), audience)
    answer = again.search(start, params.per_page, with_facets)
    answer.located = found.located
    return again, answer


def _search(
    params: SearchParams, audience: Audience, with_facets: bool, auto_radius: AutoRadius | None
) -> SearchResult:
    view = current_view()
    plan = _Plan(view, params, audience, utcnow())
    located = _located(plan, auto_radius) if auto_radius is not None else {}
    if auto_radius is not None and (chosen := auto_radius.choice(located)) != params.radius_km:
        params = replace(params, radius_km=chosen)
        plan = _Plan(view, params, audience, plan.now)
    matched = plan.matched()
    total = matched.bit_count()
    start = (params.page - 1) * params.per_page
    docs = plan.page(matched, start, params.per_page) if start < total else []
    ids = [view.service_id(doc) for doc in docs]
    result = SearchResult(total=total, service_ids=ids, distances_km={}, facets={})
    result.radius_km, result.located = params.radius_km, located
    _distances_and_labels(plan, docs, result)
    if with_facets:
        result.facets = plan.facets()
        if total == 0:
            result.widenings = _widenings(
                params,
                list(plan.groups),
                len(plan.words),
                lambda changes: [_count(view, c, audience, plan.now) for c in changes],
            )
    return result


def _distances_and_labels(plan: _Plan, docs: list[int], result: SearchResult) -> None:
    view = plan.view
    province_wide = Membership(view.keyword("flag", schema.FLAG_PROVINCE_WIDE))
    remote = Membership(view.keyword("flag", schema.FLAG_REMOTE))
    eligible = Membership(plan.distance_eligible(_union(1 << d for d in docs)))
    near = plan.params.near
    for doc in docs:
        service_id = view.service_id(doc)
        if doc in province_wide:
            result.labels[service_id] = LABEL_PROVINCE_WIDE
        elif doc in remote and not view.places(doc):
            result.labels[service_id] = LABEL_REMOTE
        if near is not None and doc in eligible:
            # The cheap plane picks the nearest place; only then the exact ellipsoid distance.
            plane = Plane(*near)
            lat, lon = min(view.places(doc), key=lambda place: plane.distance(*place))
            result.distances_km[service_id] = round(geodesic_km(near[0], near[1], lat, lon), 1)


def _located(plan: _Plan, auto_radius: AutoRadius) -> dict[float, int]:
    """For each radius, how many of what the search matches, whatever its own radius, have a
    place within it (province-wide ones apart), up to auto_radius.enough."""
    located = plan.distance_eligible(plan.matched(without="radius"))
    lat, lon = plan.params.centre()
    enough = auto_radius.enough
    return {
        r: min(plan.view.within_among(located, lat, lon, r).bit_count(), enough)
        for r in auto_radius.radii
    }


# --- Zero results ---------------------------------------------------------------------------------


def _count(view: IndexView, params: SearchParams, audience: Audience, now: datetime) -> int:
    return _Plan(view, params, audience, now).matched().bit_count()


def _widenings(
    params: SearchParams,
    groups: list[str],
    word_count: int,
    counts: Callable[[list[SearchParams]], list[int]],
) -> list[Widening]:
    """Changes that would find something, each with the number of results it gives (counts
    answers how many each changed search finds, all at once, whichever the backend)."""
    candidates = _widening_candidates(params, groups, word_count)
    numbers = counts([changed for _kind, _value, changed in candidates])
    found: list[Widening] = []
    for (kind, value, changed), number in zip(candidates, numbers, strict=True):
        if kind == "radius" and any(w.kind == "radius" for w in found):
            continue  # only the smallest wider radius that finds something
        if number:
            found.append(Widening(kind, value, number, changed))
    return found


def _widening_candidates(
    params: SearchParams, groups: list[str], word_count: int
) -> list[tuple[str, str | None, SearchParams]]:
    """Every change a search that found nothing may suggest, in the order they are shown."""
    candidates: list[tuple[str, str | None, SearchParams]] = []
    if params.regions:
        for code in nearby_regions(params.regions):
            candidates.append(("region", code, replace(params, regions=[*params.regions, code])))
    if (params.regions or params.radius_km) and not params.include_remote:
        candidates.append(("remote", None, replace(params, include_remote=True)))
    if params.near is not None and params.radius_km:
        for wider in (r for r in RADIUS_CHOICES if r > params.radius_km):
            candidates.append(("radius", str(wider), replace(params, radius_km=wider)))
        candidates.append(("anywhere", None, replace(params, radius_km=None)))
    for name in groups:
        if name != "radius":
            candidates.append(("drop", name, _without(params, name)))
    if word_count > 1 and not params.any_word:
        candidates.append(("any_word", None, replace(params, any_word=True)))
    if word_count:
        candidates.append(("no_words", None, replace(params, q="")))
    return [(kind, value, replace(changed, page=1)) for kind, value, changed in candidates]


def _without(params: SearchParams, name: str) -> SearchParams:
    """params with the filter name cleared: no value, not ticked, or no choice."""
    cleared: object
    if name in ("organization_id", "modified_after"):
        cleared = None
    else:
        cleared = False if isinstance(getattr(params, name), bool) else []
    changed = replace(params)
    setattr(changed, name, cleared)
    return changed


def nearby_regions(codes: list[str], limit: int = NEARBY_REGIONS) -> list[str]:
    """The regions whose centres are nearest to the chosen ones, not already chosen."""
    regions = db.session.scalars(select(Region).where(Region.latitude.isnot(None))).all()
    centres = {
        r.code: (r.latitude, r.longitude)
        for r in regions
        if r.latitude is not None and r.longitude is not None
    }
    chosen = [centre for code, centre in centres.items() if code in codes]
    if not chosen:
        return []
    others = [code for code in centres if code not in codes and code not in schema.NOT_A_REGION]

    def gap(code: str) -> float:
        lat, lon = centres[code]
        return min(Plane(*c).distance(lat, lon) for c in chosen)

    return sorted(others, key=gap)[:limit]


# --- Loading the page -----------------------------------------------------------------------------


def load_services(ids: list[int]) -> list[Service]:
    """The services of ids, in that order, with what a result shows eager-loaded: one statement
    for the services (with their organisation) and one for each list they hold, the single row
    a list item points to (a region, a taxonomy) joined to it rather than read by another."""
    if not ids:
        return []
    services = db.session.scalars(
        select(Service)
        .where(Service.id.in_(ids))
        .options(
            joinedload(Service.organization).joinedload(Organization.sector),
            selectinload(Service.terms).joinedload(TaxonomyTerm.taxonomy),
            selectinload(Service.languages),
            selectinload(Service.excluded_populations),
            selectinload(Service.areas).joinedload(ServiceArea.region),
            selectinload(Service.locations).joinedload(Location.region),
            selectinload(Service.schedules),
            selectinload(Service.closures),
        )
    ).all()
    by_id = {service.id: service for service in services}
    return [by_id[i] for i in ids if i in by_id]


def recently_verified_days() -> int:
    """A service verified within this many days ranks higher: as long as a "still accurate"
    confirmation lasts (STALE_AFTER_DAYS)."""
    return settings().stale_after_days
