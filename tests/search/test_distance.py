"""Distance: nearest first, radius, labels instead of distances, confidential places kept vague."""

from __future__ import annotations

import pytest

from cote_a_cote.catalogue.models import Location, ServiceAtLocation
from cote_a_cote.extensions import db
from cote_a_cote.geo.distance import geodesic_km, haversine_km
from cote_a_cote.geo.gazetteer import find_municipality
from cote_a_cote.search.query import (
    LABEL_PROVINCE_WIDE,
    LABEL_REMOTE,
    Audience,
    AutoRadius,
    SearchParams,
    search_services,
)
from tests.search.conftest import LONGUEUIL, MONTREAL, QUEBEC, find, ids

NEAREST_FIRST = ("lawyer", "shelter", "housing", "therapy", "court", "dental")
# Each backend answers a distance two ways. Whoosh, by how many documents are in play: each one
# measured or checked, or the grid of cells walked (the small test catalogue always takes the
# first). PostgreSQL, sorting by distance: from the places near the point when they hold the
# page, or from every matched row's places. These settings force each way.
ENGINE_WAYS = {
    "as configured": {},
    "each document, the near places": {
        "engine.MEASURE_EACH": 1e9,
        "engine.FEW_TO_CHECK": 10**9,
        "backend_postgresql.NEAR_FIRST_KM": 20000.0,
    },
    "the grid, every place": {
        "engine.MEASURE_EACH": 0.0,
        "engine.FEW_TO_CHECK": 0,
        "backend_postgresql.NEAR_FIRST_KM": 0.0,
    },
}


@pytest.fixture(params=list(ENGINE_WAYS))
def engine_way(request, monkeypatch):
    from cote_a_cote.search import backend_postgresql, engine

    modules = {"engine": engine, "backend_postgresql": backend_postgresql}
    for setting, value in ENGINE_WAYS[request.param].items():
        module, name = setting.split(".")
        monkeypatch.setattr(modules[module], name, value)
    return request.param


def search(**params):
    return search_services(SearchParams(per_page=100, **params), Audience.INTERVENANTE)


def test_sort_by_distance_nearest_first_then_labelled_services(catalogue, engine_way):
    found = find(near=MONTREAL, sort="distance")
    # Located services by distance; then the province-wide and remote ones, by relevance and name.
    assert found == ids(catalogue, *NEAREST_FIRST, "interpreting", "helpline")


def test_distances_are_geodesic_for_the_page(catalogue):
    result = search(near=MONTREAL, sort="distance")
    housing = catalogue["housing"]
    exact = geodesic_km(*MONTREAL, housing.locations[0].latitude, housing.locations[0].longitude)
    assert result.distances_km[housing.id] == pytest.approx(exact, abs=0.05)
    assert result.distances_km[catalogue["lawyer"].id] == 0.0
    assert catalogue["interpreting"].id not in result.distances_km


def test_province_wide_and_remote_services_get_a_label_not_a_distance(catalogue):
    result = search(near=MONTREAL)
    assert result.labels[catalogue["interpreting"].id] == LABEL_PROVINCE_WIDE
    assert result.labels[catalogue["helpline"].id] == LABEL_REMOTE
    assert catalogue["helpline"].id not in result.distances_km
    assert catalogue["lawyer"].id not in result.labels


def test_radius_keeps_places_within_it_and_province_wide_services(catalogue, engine_way):
    within = set(find(near=MONTREAL, radius_km=25))
    assert within == set(ids(catalogue, "lawyer", "shelter", "housing", "interpreting"))
    # Remote services come in only when asked for.
    with_remote = set(find(near=MONTREAL, radius_km=25, include_remote=True))
    assert with_remote == within | {catalogue["helpline"].id}
    assert set(find(near=MONTREAL, radius_km=150)) == within | {catalogue["therapy"].id}


def test_radius_edge_is_exact(catalogue, engine_way):
    housing = catalogue["housing"].locations[0]
    gap = geodesic_km(*MONTREAL, housing.latitude, housing.longitude)
    assert catalogue["housing"].id in find(near=MONTREAL, radius_km=gap + 0.2)
    assert catalogue["housing"].id not in find(near=MONTREAL, radius_km=gap - 0.2)


def test_a_place_in_a_cell_inside_the_radius_by_the_plane_but_beyond_it_is_left_out(
    add_service, make_org, engine_way
):
    # 200.2 km from Montréal on the globe, but 199.2 km on the flat map around Montréal, in a
    # grid cell whose farthest corner is 199.8 km away on that map: the grid walk must not take
    # the cell whole, or the two backends (and the two ways) disagree at the edge.
    point = (44.2011, -71.8103)
    service = add_service(
        make_org("Frontière"),
        "Point de service frontalier",
        location={
            "municipality": "Ailleurs",
            "latitude": point[0],
            "longitude": point[1],
            "region_code": "HQ",
        },
    )
    assert 200.1 < haversine_km(*MONTREAL, *point) < 200.3
    assert service.id not in find(near=MONTREAL, radius_km=200)
    assert service.id in find(near=MONTREAL, radius_km=200.4)


AUTO_RADII = (5.0, 25.0, 150.0, 600.0)
AUTO_FILTERS = {
    "nothing else": {},
    "words": {"q": "logement avocate thérapie", "any_word": True},
    "a filter group": {"languages": ("fr",)},
    "two filter groups": {"languages": ("fr",), "accepting_only": True},
}


@pytest.mark.parametrize("with_facets", [False, True])
@pytest.mark.parametrize("filters", list(AUTO_FILTERS))
def test_the_automatic_radius_is_the_first_that_holds_enough_located_services(
    catalogue, engine_way, with_facets, filters
):
    """The search chooses its radius from how many services each radius gives a distance to,
    and answers as a search at that radius would."""
    wanted = AUTO_FILTERS[filters]
    located = {
        radius: len(search(near=MONTREAL, radius_km=radius, **wanted).distances_km)
        for radius in AUTO_RADII
    }
    assert len(set(located.values())) > 1  # the radii tell the services apart
    choices = set()
    for enough in range(1, max(located.values()) + 2):
        chosen = next((r for r in AUTO_RADII if located[r] >= enough), None)
        choices.add(chosen)
        result = search_services(
            # The search's own radius is left aside.
            SearchParams(per_page=100, near=MONTREAL, radius_km=1.0, **wanted),
            Audience.INTERVENANTE,
            with_facets=with_facets,
            auto_radius=AutoRadius(AUTO_RADII, enough),
        )
        assert result.radius_km == chosen
        assert result.located == {r: min(count, enough) for r, count in located.items()}
        alone = search_services(
            SearchParams(per_page=100, near=MONTREAL, radius_km=chosen, **wanted),
            Audience.INTERVENANTE,
            with_facets=with_facets,
        )
        assert (result.total, result.service_ids, result.facets, result.distances_km) == (
            alone.total,
            alone.service_ids,
            alone.facets,
            alone.distances_km,
        )
    # Every way was taken: the first radius (answered at once), a wider one, any distance.
    assert AUTO_RADII[0] in choices and None in choices and len(choices) > 2


@pytest.mark.parametrize("radius_km", [25.0, 150.0, None])
def test_facet_counts_near_a_place_are_taken_within_the_radius(catalogue, radius_km):
    """A language's count is what ticking it alone would find, within the radius; the option
    counts likewise."""
    near = {"near": MONTREAL, "radius_km": radius_km, "include_remote": True}
    result = search_services(
        SearchParams(per_page=100, languages=["fr"], **near),
        Audience.INTERVENANTE,
        with_facets=True,
    )
    languages = result.facets["languages"]
    assert languages and languages["fr"] == result.total
    for code, count in languages.items():
        assert count == search(languages=[code], **near).total, code
    for name, count in result.facets["options"].items():
        assert count == search(languages=["fr"], **{name: True}, **near).total, name
    wider = search_services(
        SearchParams(per_page=100, languages=["fr"], **{**near, "radius_km": 600.0}),
        Audience.INTERVENANTE,
        with_facets=True,
    )
    if radius_km is not None:  # the radius refuses services the counts then leave out
        assert sum(wider.facets["languages"].values()) > sum(languages.values())


def test_the_automatic_radius_counts_no_province_wide_service(catalogue):
    wide = search(near=MONTREAL, radius_km=600.0)
    assert catalogue["interpreting"].id in wide.service_ids  # province-wide: found, no distance
    located = len(wide.distances_km)
    assert located < wide.total
    for enough, chosen in ((located, 600.0), (located + 1, None)):
        result = search_services(
            SearchParams(per_page=100, near=MONTREAL),
            Audience.INTERVENANTE,
            auto_radius=AutoRadius((600.0,), enough),
        )
        assert (result.radius_km, result.located) == (chosen, {600.0: located})


def test_no_automatic_radius_without_a_place(catalogue):
    result = search_services(
        SearchParams(radius_km=50.0), Audience.INTERVENANTE, auto_radius=AutoRadius((50.0,), 5)
    )
    assert (result.radius_km, result.located) == (50.0, {})
    assert result.total == len(find())


def test_relevance_first_then_distance(catalogue):
    # Same relevance (accepting, no text): nearest first among them, unlocated ones after.
    found = find(near=MONTREAL)
    equal = [
        i for i in found if i in ids(catalogue, "shelter", "housing", "interpreting", "helpline")
    ]
    assert equal == ids(catalogue, "shelter", "housing", "interpreting", "helpline")
    # A better text match beats a nearer one: "avocate" is in the lawyer's name (Montréal), only
    # in the sector of the court service (Québec, where we search from).
    assert find("avocate", near=QUEBEC) == ids(catalogue, "lawyer", "court")


def test_confidential_place_is_located_only_by_its_municipality(catalogue):
    result = search(near=MONTREAL)
    centre = find_municipality("Longueuil")
    vague = geodesic_km(*MONTREAL, centre.latitude, centre.longitude)
    precise = geodesic_km(*MONTREAL, *LONGUEUIL)
    assert abs(vague - precise) > 0.5  # the test means something only if they differ
    assert result.distances_km[catalogue["shelter"].id] == pytest.approx(vague, abs=0.05)


def test_many_services_at_one_place_keep_a_stable_order(add_service, make_org):
    org = make_org("Centre unique")
    place = {"municipality": "Laval", "latitude": 45.6, "longitude": -73.7, "region_code": "13"}
    names = ["Charlie", "Alpha", "Bravo"]
    created = [add_service(org, name, location=place) for name in names]
    found = find(near=MONTREAL, sort="distance")
    by_name = sorted(created, key=lambda s: s.name_fr)
    assert found == [s.id for s in by_name]


def test_paging_by_distance(catalogue, engine_way):
    everything = find(near=MONTREAL, sort="distance")
    pages = [
        search_services(
            SearchParams(near=MONTREAL, sort="distance", page=page, per_page=3),
            Audience.INTERVENANTE,
        ).service_ids
        for page in (1, 2, 3)
    ]
    assert pages[0] + pages[1] + pages[2] == everything


def test_crowded_cells_are_searched_finely_with_the_same_order(catalogue, monkeypatch):
    from cote_a_cote.search import engine

    expected = find(near=MONTREAL, sort="distance")
    monkeypatch.setattr(engine, "CROWDED_CELL", 0)  # every cell is "a city": split them all
    assert find(near=MONTREAL, sort="distance") == expected
    assert find(near=MONTREAL, radius_km=25) == find(near=MONTREAL, radius_km=25)


def test_a_service_with_two_places_side_by_side_is_listed_once(add_service, make_org, monkeypatch):
    from cote_a_cote.search import engine

    org = make_org("Deux adresses")
    first = {"municipality": "Montréal", "latitude": 45.521, "longitude": -73.561}
    service = add_service(org, "Deux points de service", location={**first, "region_code": "06"})
    # A second address a hundred metres away: the same grid cell, coarse and fine.
    second = Location(
        organization=org,
        municipality="Montréal",
        latitude=45.522,
        longitude=-73.562,
        region_code="06",
    )
    db.session.add(second)
    db.session.flush()
    db.session.add(ServiceAtLocation(service_id=service.id, location_id=second.id))
    db.session.commit()
    assert find(near=MONTREAL, sort="distance") == [service.id]
    assert find(near=MONTREAL) == [service.id]
    monkeypatch.setattr(engine, "CROWDED_CELL", 0)  # the same through the fine cells
    assert find(near=MONTREAL, sort="distance") == [service.id]


def test_a_province_wide_service_near_the_point_does_not_cut_the_distance_page_short(
    add_service, make_org
):
    # A province-wide service has a place by the point but gets a label, not a distance: the
    # page of the two nearest must still reach 20 km for its second service.
    org = make_org("Partout et ailleurs")

    def at(name: str, km_north: float, regions=("06",)):
        point = {
            "municipality": "Montréal",
            "latitude": MONTREAL[0] + km_north / 111.2,
            "longitude": MONTREAL[1],
            "region_code": "06",
        }
        return add_service(org, name, location=point, regions=regions)

    close = at("Proche", 1)
    everywhere = at("Partout", 0.5, regions=("QC",))
    second = at("Zulu", 20)
    farthest = at("Alpha", 30)
    result = search_services(
        SearchParams(near=MONTREAL, sort="distance", per_page=2), Audience.INTERVENANTE
    )
    assert result.service_ids == [close.id, second.id]
    assert result.distances_km == {close.id: 1.0, second.id: 20.0}
    # The province-wide one comes after every distance, with its label.
    rest = search_services(
        SearchParams(near=MONTREAL, sort="distance", per_page=2, page=2), Audience.INTERVENANTE
    )
    assert rest.service_ids == [farthest.id, everywhere.id]
    assert rest.labels == {everywhere.id: LABEL_PROVINCE_WIDE}
    assert everywhere.id not in rest.distances_km
