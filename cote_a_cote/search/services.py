"""The search page's model: from the form to the contract's query, then to what the page shows."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import NamedTuple
from urllib.parse import urlencode

from flask_babel import get_translations, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..catalogue.card_rows import ServiceRecord, TermRecord, load_card_rows
from ..catalogue.models import (
    Organization,
    Region,
    Taxonomy,
    TaxonomyTerm,
    Visibility,
    keyword_list,
)
from ..catalogue.services import ServiceCard, allowed_visibilities, service_card
from ..extensions import db
from ..geo.gazetteer import find_municipality
from ..vocabulary.languages import language_label
from .forms import ANY_DISTANCE, GROUP_PARAMS, PersonForm, SearchForm, default_radius
from .query import (
    LABEL_PROVINCE_WIDE,
    LABEL_REMOTE,
    Audience,
    AutoRadius,
    SearchParams,
    SearchResult,
    Widening,
    label_matches,
    search_services,
    word_stems,
)

PER_PAGE = 20
# With a place, the automatic radius widens until at least this many located services are found.
ENOUGH_NEAR = 5
GROUP_LEGENDS = {
    "region": _l("Region"),
    "need": _l("Need"),
    "sector": _l("Sector"),
    "lang": _l("Language of service"),
    "population": _l("Population served"),
    "exploitation": _l("Form of exploitation"),
    "access": _l("Access"),
}
# SearchParams field -> query-string name, for the filters a person can remove.
FILTER_ARGS = {param: arg for arg, param in GROUP_PARAMS.items()} | {
    "accepting_only": "accepting",
    "trained_only": "trained",
    "open_now": "open",
}
OPTION_LABELS = {
    "accepting_only": _l("Accepting referrals now"),
    "trained_only": _l("Trained providers only"),
    "open_now": _l("Open now"),
}


def audience_for(viewer) -> Audience:
    """Intervenantes and admins also search intervenantes-only services; others public ones."""
    if Visibility.INTERVENANTES in allowed_visibilities(viewer):
        return Audience.INTERVENANTE
    return Audience.PUBLIC


# --- Reference data -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    depth: int = 0


def reference_choices(locale: str) -> dict[str, list[Choice]]:
    """The values each filter group may take, labelled in locale, in display order (two
    statements: the regions, and the active terms with their taxonomy's code). Columns only:
    building ORM instances of every term on every page cost more than the statements."""
    choices: dict[str, list[Choice]] = {name: [] for name in GROUP_PARAMS}
    label = Region.name_en if locale == "en" else Region.name_fr
    for code, name in db.session.execute(
        select(Region.code, label).order_by(Region.position, Region.code)
    ):
        choices["region"].append(Choice(code, name))
    term_label = TaxonomyTerm.name_en if locale == "en" else TaxonomyTerm.name_fr
    terms = db.session.execute(
        select(TaxonomyTerm.code, term_label, Taxonomy.code)
        .join(TaxonomyTerm.taxonomy)
        .where(TaxonomyTerm.active.is_(True))
        .order_by(TaxonomyTerm.position, TaxonomyTerm.code)
    )
    for code, name, group in terms:
        if group in choices:
            choices[group].append(Choice(code, name, code.count(".") - 1))
    return choices


# --- From the form to the query -------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    params: SearchParams
    near_text: str
    near_org: bool
    near_label: str | None
    notices: tuple[str, ...]
    auto_radius: bool = False  # the radius is the default one, widened when it finds too few
    auto_sort: bool = False  # no order chosen: by distance near a place, else relevance


def _organisation_point(viewer) -> tuple[float, float] | None:
    """The first located place of the viewer's own organisation."""
    if not getattr(viewer, "is_authenticated", False):
        return None
    organization = db.session.get(Organization, viewer.organization_id)
    for place in organization.locations if organization else []:
        if place.latitude is not None and place.longitude is not None:
            return place.latitude, place.longitude
    return None


def build_query(
    form: SearchForm, page: int, viewer, locale: str, choices: dict[str, list[Choice]]
) -> Query:
    """The contract's parameters for what the form asks, with notices for what was ignored."""
    selected = form.selected({name: {c.value for c in values} for name, values in choices.items()})
    notices: list[str] = []
    near_text = (form.near.data or "").strip() if not form.near.errors else ""
    near_org = bool(form.near_org.data)
    near, near_label = _search_point(near_text, near_org, viewer, notices)
    radius, sort, auto_radius, auto_sort = _distance_choice(form, near, notices)
    params = SearchParams(
        q=(form.q.data or "").strip() if not form.q.errors else "",
        regions=selected["region"],
        needs=selected["need"],
        sectors=selected["sector"],
        languages=selected["lang"],
        populations=selected["population"],
        exploitation=selected["exploitation"],
        access=selected["access"],
        accepting_only=bool(form.accepting.data),
        trained_only=bool(form.trained.data),
        open_now=bool(form.open.data),
        include_remote=bool(form.remote.data),
        any_word=bool(form.any.data),
        near=near,
        radius_km=radius if near else None,
        sort=sort,
        page=page,
        per_page=PER_PAGE,
        locale=locale,
    )
    return Query(params, near_text, near_org, near_label, tuple(notices), auto_radius, auto_sort)


def _search_point(
    near_text: str, near_org: bool, viewer, notices: list[str]
) -> tuple[tuple[float, float] | None, str | None]:
    """The point to search near and how to name it; a notice when it cannot be found."""
    if near_org:
        near = _organisation_point(viewer)
        if near is None:
            notices.append(_("Your organisation has no address with a location to search near."))
            return None, None
        return near, _("your organisation")
    if not near_text:
        return None, None
    place = find_municipality(near_text)
    if place is None:
        notices.append(
            _("We do not know the municipality “%(name)s”. Check its spelling.", name=near_text)
        )
        return None, None
    return (place.latitude, place.longitude), place.name


class DistanceChoice(NamedTuple):
    radius_km: float | None
    sort: str
    auto_radius: bool  # the default radius, widened when it finds too few
    auto_sort: bool  # no order chosen: by distance near a place, else relevance


def _distance_choice(
    form: SearchForm, near: tuple[float, float] | None, notices: list[str]
) -> DistanceChoice:
    """The radius and order the form asks for, what can be of them without a place."""
    radius = form.radius_km()
    sort = form.sort_order()
    if near is None and (radius or sort == "distance"):
        notices.append(_("Choose a municipality to search by distance."))
        radius, sort = None, "relevance" if sort == "distance" else sort
    auto_sort = not sort
    if auto_sort:
        sort = "distance" if near is not None else "relevance"
    auto_radius = near is not None and form.radius_choice() == ""
    if auto_radius:
        radius = default_radius()
    return DistanceChoice(radius, sort, auto_radius, auto_sort)


def _radius_arg(params: SearchParams, auto_radius: bool) -> str | None:
    if params.near is None or auto_radius:
        return None
    return str(int(params.radius_km)) if params.radius_km else ANY_DISTANCE


def _sort_arg(params: SearchParams, auto_sort: bool) -> str | None:
    if auto_sort or (params.sort == "relevance" and params.near is None):
        return None
    return params.sort


def query_args(
    params: SearchParams,
    near_text: str,
    near_org: bool,
    auto_radius: bool = False,
    auto_sort: bool = False,
) -> dict:
    """The query string of a search: its filters only, nothing about a person."""
    args: dict = {arg: getattr(params, name) for arg, name in GROUP_PARAMS.items()}
    args |= {
        "q": params.q,
        "any": "y" if params.any_word else None,
        "near": near_text if params.near is not None and not near_org else None,
        "near_org": "y" if near_org else None,
        "radius": _radius_arg(params, auto_radius),
        "sort": _sort_arg(params, auto_sort),
        "accepting": "y" if params.accepting_only else None,
        "trained": "y" if params.trained_only else None,
        "open": "y" if params.open_now else None,
        "remote": "y" if params.include_remote else None,
    }
    return {key: value for key, value in args.items() if value}


# --- What the page shows --------------------------------------------------------------------------


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    checked: bool
    depth: int = 0
    count_text: str = ""  # "12 services", what a screen reader says for the count
    control_id: str = ""  # the checkbox's id, for its label


class ServiceCounts(dict[int, str]):
    """ "12 services" for each count, from one translations lookup per page: a Babel lookup for
    every facet option took a tenth of the page's rendering."""

    def __init__(self) -> None:
        super().__init__()
        self.translations = get_translations()

    def __missing__(self, count: int) -> str:
        text = self.translations.ungettext("%(num)d service", "%(num)d services", count)
        self[count] = text % {"num": count}
        return self[count]


@dataclass(frozen=True)
class FacetGroup:
    name: str  # the query-string name
    legend: str
    options: tuple[FacetOption, ...]


@dataclass(frozen=True)
class ResultItem:
    card: ServiceCard
    places: tuple[str, ...]  # municipalities only, even for addresses that are not confidential
    distance_km: float | None
    place_label: str | None  # "Province-wide" or "Remote service" instead of a distance
    matched_needs: frozenset[str]
    matched_languages: frozenset[str]
    turned_away: tuple[str, ...] = ()  # why the service may not serve the person described


@dataclass(frozen=True)
class WideningLink:
    text: str
    count: int
    args: dict


@dataclass(frozen=True)
class SearchPage:
    total: int
    items: tuple[ResultItem, ...]
    page: int
    pages: int
    per_page: int
    groups: tuple[FacetGroup, ...]
    options: tuple[FacetOption, ...]
    widenings: tuple[WideningLink, ...]
    notices: tuple[str, ...]
    args: dict
    near_label: str | None
    sorted_by_distance: bool
    can_search_near_organisation: bool
    radius_km: float | None = None  # the radius applied, once widened
    person_checked: bool = False  # the person's age or population was given (posted)
    hidden_turned_away: bool = False

    @property
    def turned_away_count(self) -> int:
        return sum(1 for item in self.items if item.turned_away)

    @property
    def back_query(self) -> str:
        """This search's query string, for the way back from a service page (filters only)."""
        return urlencode({**self.args, "page": self.page} if self.page > 1 else self.args, True)

    @property
    def located_items(self) -> tuple[ResultItem, ...]:
        """Near a place, the services with a distance; they come first."""
        return tuple(item for item in self.items if item.distance_km is not None)

    @property
    def other_items(self) -> tuple[ResultItem, ...]:
        """Near a place, province-wide, remote or unlocated services: a group of their own."""
        return tuple(item for item in self.items if item.distance_km is None)


def population_choices(choices: dict[str, list[Choice]]) -> list[tuple[str, str]]:
    """(code, label) of the active population terms, for describing the person."""
    return [(c.value, c.label) for c in choices["population"]]


def search_page(
    form: SearchForm,
    page: int,
    viewer,
    locale: str,
    choices: dict[str, list[Choice]],
    person: PersonForm | None = None,
) -> SearchPage:
    """Run the search the form describes and prepare everything the page shows; with a person,
    mark (or hide) the services that would turn them away. choices: reference_choices() in the
    page's language, which the person form has already used."""
    query = build_query(form, page, viewer, locale, choices)
    params = _for_person(query.params, person)
    audience = audience_for(viewer)
    params, result, pages, widened = _run(params, audience, query.auto_radius)
    notices = query.notices + widened
    counts_text = ServiceCounts()
    return SearchPage(
        total=result.total,
        items=tuple(_items(result, params, viewer, locale)),
        page=params.page,
        pages=pages,
        per_page=params.per_page,
        groups=tuple(_groups(result, params, choices, locale, counts_text)),
        options=tuple(_options(result, params, counts_text)),
        widenings=tuple(_widening_links(result, query, choices)),
        notices=notices,
        args=query_args(
            params, query.near_text, query.near_org, query.auto_radius, query.auto_sort
        ),
        near_label=query.near_label,
        sorted_by_distance=params.sort == "distance" and params.near is not None,
        can_search_near_organisation=audience is Audience.INTERVENANTE,
        radius_km=params.radius_km if params.near is not None else None,
        person_checked=params.person_age is not None or bool(params.person_populations),
        hidden_turned_away=params.hide_turned_away,
    )


def _run(
    params: SearchParams, audience: Audience, auto_radius: bool
) -> tuple[SearchParams, SearchResult, int, tuple[str, ...]]:
    """The search with its facets, the number of pages and, with the automatic radius, the
    notice of its widening; a page past the end (results changed meanwhile) becomes the last
    page."""
    auto = _auto_radius(params) if auto_radius else None
    result = search_services(params, audience, with_facets=True, auto_radius=auto)
    widened: tuple[str, ...] = ()
    if auto is not None:
        params = replace(params, radius_km=result.radius_km)
        widened = _widening_notice(auto, result)
    pages = max(1, math.ceil(result.total / params.per_page))
    if params.page > pages:
        params = replace(params, page=pages)
        result = search_services(params, audience, with_facets=True)
    return params, result, pages, widened


def _for_person(params: SearchParams, person: PersonForm | None) -> SearchParams:
    """params with who the person is, when the form describing them was sent."""
    if person is None or not person.is_submitted():
        return params
    age, populations, hide = person.person()
    return replace(params, person_age=age, person_populations=populations, hide_turned_away=hide)


def _options(
    result: SearchResult, params: SearchParams, counts_text: ServiceCounts
) -> Iterator[FacetOption]:
    for name, count in result.facets.get("options", {}).items():
        if count or getattr(params, name):  # "Open now (0)" is not an option
            arg = FILTER_ARGS[name]
            yield FacetOption(
                arg,
                str(OPTION_LABELS[name]),
                count,
                getattr(params, name),
                count_text=counts_text[count],
                control_id=f"f-{arg}",
            )


def _auto_radius(params: SearchParams) -> AutoRadius | None:
    """The automatic radius: the default one, doubled, doubled again, then any distance, until
    ENOUGH_NEAR located services show."""
    first = params.radius_km
    if first is None or params.near is None:
        return None
    return AutoRadius((first, first * 2, first * 4), ENOUGH_NEAR)


def _widening_notice(auto: AutoRadius, result: SearchResult) -> tuple[str, ...]:
    """What the page says when the automatic radius is not the default one."""
    first, chosen = auto.radii[0], result.radius_km
    if chosen == first:
        return ()
    found, km = result.located[first], int(first)
    if chosen is None and found == 0:
        text = _("No service within %(km)s km: search widened to any distance.", km=km)
    elif chosen is None:
        text = ngettext(
            "Only %(num)d service within %(km)s km: search widened to any distance.",
            "Only %(num)d services within %(km)s km: search widened to any distance.",
            found,
            km=km,
        )
    elif found == 0:
        text = _(
            "No service within %(km)s km: radius widened to %(wider)s km.", km=km, wider=int(chosen)
        )
    else:
        text = ngettext(
            "Only %(num)d service within %(km)s km: radius widened to %(wider)s km.",
            "Only %(num)d services within %(km)s km: radius widened to %(wider)s km.",
            found,
            km=km,
            wider=int(chosen),
        )
    return (text,)


def _need_words_by_code() -> dict[str, tuple[str, ...]]:
    """Each need's labels and keywords (the words the index holds for it), by code; columns
    only, as ORM instances of every need cost more than the statement."""
    rows = db.session.execute(
        select(
            TaxonomyTerm.code,
            TaxonomyTerm.name_fr,
            TaxonomyTerm.name_en,
            TaxonomyTerm.keywords_fr,
            TaxonomyTerm.keywords_en,
        )
        .join(TaxonomyTerm.taxonomy)
        .where(Taxonomy.code == "need")
    )
    return {
        code: (fr, en, *keyword_list(kw_fr), *keyword_list(kw_en))
        for code, fr, en, kw_fr, kw_en in rows
    }


class _NamedNeeds:
    """Whether a query word is a label or keyword of a need or of a need above it (the words
    the index holds for it), so the card can say which need matched; each need's words are
    matched once per page, not once per service that has it."""

    def __init__(self, stems) -> None:
        self.stems = stems
        self.words = _need_words_by_code()
        self.named: dict[str, bool] = {}

    def __call__(self, term: TermRecord) -> bool:
        parts = term.code.split(".")
        above = (".".join(parts[:end]) for end in range(2, len(parts)))
        return any(self._names(code) for code in above) or self._names(term.code, term)

    def _names(self, code: str, term: TermRecord | None = None) -> bool:
        if code not in self.named:
            words = self.words.get(code)
            if words is None and term is not None:
                words = (term.name_fr, term.name_en, *term.keywords())
            self.named[code] = any(label_matches(w, self.stems) for w in words or ())
        return self.named[code]


def _items(result: SearchResult, params: SearchParams, viewer, locale: str):
    allowed = allowed_visibilities(viewer)
    stems = word_stems(params.q)
    chosen_needs = set(params.needs)
    named_by_query = _NamedNeeds(stems) if stems else None
    place_labels = {LABEL_PROVINCE_WIDE: _("Province-wide"), LABEL_REMOTE: _("Remote service")}
    for service in load_card_rows(result.service_ids):
        organization = service.organization
        # The index follows commits within a second; never show what has just stopped being listed.
        if not organization.is_listed or organization.visibility not in allowed:
            continue
        needs = [t for t in service.terms if t.taxonomy.code == "need"]
        matched_needs = frozenset(
            t.code
            for t in needs
            if any(t.code == c or t.code.startswith(c + ".") for c in chosen_needs)
            or (named_by_query is not None and named_by_query(t))
        )
        label = place_labels.get(result.labels.get(service.id, ""))
        yield ResultItem(
            turned_away=turned_away_reasons(service, params, locale),
            card=service_card(service, viewer, locale),
            places=tuple(dict.fromkeys(place.municipality for place in service.locations)),
            distance_km=result.distances_km.get(service.id),
            place_label=label,
            matched_needs=matched_needs,
            matched_languages=frozenset(
                lang.code for lang in service.languages if lang.code in params.languages
            ),
        )


def turned_away_reasons(
    service: ServiceRecord, params: SearchParams, locale: str
) -> tuple[str, ...]:
    """Why the service would turn the person described away ("Minimum age: 18"), if it would."""
    reasons = []
    age = params.person_age
    if age is not None and service.minimum_age is not None and age < service.minimum_age:
        reasons.append(_("Minimum age: %(age)d", age=service.minimum_age))
    if age is not None and service.maximum_age is not None and age > service.maximum_age:
        reasons.append(_("Maximum age: %(age)d", age=service.maximum_age))
    for term in service.excluded_populations:
        if term.code in params.person_populations:
            reasons.append(_("Does not serve: %(population)s", population=term.label(locale)))
    return tuple(reasons)


def _groups(
    result: SearchResult, params: SearchParams, choices, locale: str, counts_text: ServiceCounts
):
    for name, param in GROUP_PARAMS.items():
        counts = result.facets.get(param, {})
        chosen = set(getattr(params, param))
        if name == "lang":
            listed = [Choice(code, language_label(code, locale)) for code in counts]
            listed.sort(key=lambda c: (c.value not in ("fr", "en"), c.label))
        else:
            listed = choices[name]
        options = tuple(
            FacetOption(
                c.value,
                c.label,
                count,
                c.value in chosen,
                c.depth,
                count_text=counts_text[count],
                control_id=f"f-{name}-{c.value.replace('.', '-')}",
            )
            for c in listed
            if (count := counts.get(c.value, 0)) or c.value in chosen
        )
        if options:
            yield FacetGroup(name, str(GROUP_LEGENDS[name]), options)


def _widening_text(widening: Widening, regions: dict[str, str]) -> str | None:
    """What the link of a widening says; None for a filter the page has no control for."""
    kind, value = widening.kind, widening.value or ""
    if kind == "region":
        return _("Add the region %(region)s", region=regions.get(value, value))
    if kind == "remote":
        return _("Include remote services")
    if kind == "radius":
        return _("Widen the search to %(km)s km", km=value)
    if kind == "anywhere":
        return _("Search at any distance")
    if kind == "drop":
        arg = FILTER_ARGS.get(value)
        if arg is None:
            return None
        legend = GROUP_LEGENDS.get(arg) or OPTION_LABELS.get(value)
        return _("Remove the filter “%(filter)s”", filter=legend)
    if kind == "any_word":
        return _("Match any of the words")
    return _("Remove the search words")


def _widening_links(result: SearchResult, query: Query, choices):
    regions = {c.value: c.label for c in choices["region"]}
    for widening in result.widenings:
        text = _widening_text(widening, regions)
        if text is None:
            continue
        auto_radius = query.auto_radius and widening.kind not in ("radius", "anywhere")
        args = query_args(
            widening.params, query.near_text, query.near_org, auto_radius, query.auto_sort
        )
        yield WideningLink(text, widening.count, args)
