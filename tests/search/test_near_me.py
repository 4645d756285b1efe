""" "Use my position": a posted position becomes the nearest municipality's name, nothing more."""

from __future__ import annotations

import pytest

from cote_a_cote.geo.gazetteer import nearest
from tests.conftest import shown


def post(client, **fields):
    return client.post("/recherche/ma-position", data={k: str(v) for k, v in fields.items()})


def test_a_position_gives_the_nearest_municipality(client):
    answer = post(client, latitude=45.53, longitude=-73.52)  # on the South Shore
    assert answer.status_code == 200
    assert answer.json["near"] == "Le Vieux-Longueuil"  # 1 km away; Longueuil's point is 4 km


def test_nearest_is_none_beyond_the_distance_given():
    assert nearest(45.53, -73.52, within_km=60).name == "Le Vieux-Longueuil"
    assert nearest(45.53, -73.52, within_km=0.5) is None


def test_nearest_skips_a_homonym_its_name_would_not_lead_back_to():
    from cote_a_cote.geo.gazetteer import find_municipality

    for latitude, longitude in [(45.53, -73.52), (45.565, -73.7), (46.81, -71.21), (48.45, -68.52)]:
        place = nearest(latitude, longitude, within_km=60)
        assert find_municipality(place.name) is place


def test_a_position_far_from_quebec_is_told_to_type_the_place(app, client):
    answer = post(client, latitude=48.85, longitude=2.35)  # Paris
    assert answer.status_code == 422
    assert answer.json["error"] == shown(
        app, "Your position is not near a municipality of Québec: type the place instead."
    )


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"latitude": "north", "longitude": "-73.5"},
        {"latitude": "45.5\x00", "longitude": "-73.5"},
        {"latitude": "nan", "longitude": "-73.5"},
        {"latitude": "1e309", "longitude": "-73.5"},
        {"latitude": "91", "longitude": "-73.5"},
        {"latitude": "45.5", "longitude": "-181"},
    ],
)
def test_a_bad_position_is_a_clear_error(app, client, fields):
    answer = post(client, **fields)
    assert answer.status_code == 400
    assert answer.json["error"] == shown(app, "Your device did not give a position.")


def test_the_position_travels_only_in_a_post_body_and_is_not_echoed(client):
    # A position in an address would reach access logs and history: only POST is answered.
    assert client.get("/recherche/ma-position?latitude=45.53&longitude=-73.52").status_code == 405
    answer = post(client, latitude=45.5312, longitude=-73.5187)
    assert set(answer.json) == {"near", "message"}
    assert "45.53" not in answer.get_data(as_text=True)
    assert answer.headers["Cache-Control"] == "no-store"


def test_the_search_page_allows_geolocation_for_itself_only(client):
    response = client.get("/recherche")
    assert "geolocation=(self)" in response.headers["Permissions-Policy"]
    assert 'data-near-me="/recherche/ma-position"' in response.get_data(as_text=True)
