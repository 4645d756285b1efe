"""/services filters (HSDS and Québec profile) and 400 answers that name the bad parameter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cote_a_cote.catalogue.hsds import record_id, term_id_for_code

API = "/api/hsds"


def names(client, query: str) -> list[str]:
    response = client.get(f"{API}/services?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return [service["name"] for service in response.get_json()["contents"]]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("per_page=0", "per_page"),
        ("per_page=1000", "per_page"),
        ("per_page=ten", "per_page"),
        ("page=-1", "page"),
        ("page=0", "page"),
        ("modified_after=garbage", "modified_after"),
        ("modified_after=2025-13-45", "modified_after"),
        ("near=garbage", "near"),
        ("near=Atlantis-sur-Mer", "near"),
        ("near=91,-73", "near"),
        ("near=45.5,-73.5&radius_km=-5", "radius_km"),
        ("near=45.5,-73.5&radius_km=abc", "radius_km"),
        ("near=45.5,-73.5&radius_km=nan", "radius_km"),
        ("radius_km=10", "radius_km"),
        ("taxonomy_term_id=abc", "taxonomy_term_id"),
        ("region=99", "region"),
        ("language=zz9", "language"),
        ("language=xx", "language"),
        ("need=need.unicorns", "need"),
        ("need=access.fast_track", "need"),
        ("organization_id=nope", "organization_id"),
        ("search=" + "a" * 201, "search"),
    ],
)
def test_bad_parameters_answer_400_naming_them(client, catalogue, query, parameter):
    response = client.get(f"{API}/services?{query}")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert (error["status"], error["parameter"]) == (400, parameter)
    assert error["message"]


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("organizations?per_page=101", "per_page"),
        ("taxonomies?page=x", "page"),
        ("taxonomy_terms?taxonomy_id=nope", "taxonomy_id"),
        ("taxonomy_terms?parent_id=nope", "parent_id"),
    ],
)
def test_bad_parameters_on_other_endpoints(client, reference, path, parameter):
    response = client.get(f"{API}/{path}")
    assert response.status_code == 400
    assert response.get_json()["error"]["parameter"] == parameter


@pytest.mark.parametrize("endpoint", ["services", "service_at_locations"])
@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("organization_id=%00", "organization_id"),
        ("organization_id=ab%01cd", "organization_id"),
        ("search=soins%00", "search"),
        ("taxonomy_term_id=%00", "taxonomy_term_id"),
        ("region=06,%00", "region"),
    ],
)
def test_control_characters_answer_400_on_either_database(
    client, catalogue, endpoint, query, parameter
):
    # PostgreSQL refuses NUL in text: the parameter is refused before any query (fuzz-found 500).
    response = client.get(f"{API}/{endpoint}?{query}")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["parameter"] == parameter
    assert error["message"] == f"{parameter} contient des caractères de contrôle invisibles."


def test_wrong_method_is_405_json(client, app):
    response = client.post(f"{API}/services")
    assert response.status_code == 405
    assert response.get_json()["error"]["status"] == 405


def test_region_language_need_filters(client, catalogue):
    assert names(client, "region=01") == ["Hébergement d'urgence"]
    assert names(client, "language=es") == ["Hébergement d'urgence"]
    assert names(client, "need=need.legal.immigration") == ["Avocate en immigration"]
    assert sorted(names(client, "region=01,03")) == [
        "Avocate en immigration",
        "Hébergement d'urgence",
    ]


def test_taxonomy_term_and_organization_filters(client, catalogue):
    dental = term_id_for_code("need.physical_health.dental")
    assert names(client, f"taxonomy_term_id={dental}") == ["Soins dentaires sans jugement"]
    assert names(client, "taxonomy_term_id=need.housing") == ["Hébergement d'urgence"]
    clinic = record_id(catalogue.dental.organization)
    assert names(client, f"organization_id={clinic}") == ["Soins dentaires sans jugement"]


def test_modified_after(client, catalogue):
    past = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    assert len(names(client, f"modified_after={past}")) == 3
    future = (datetime.now(UTC) + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert names(client, f"modified_after={future}") == []


def test_near_a_municipality_with_radius(client, catalogue):
    assert names(client, "near=Rimouski&radius_km=50") == ["Hébergement d'urgence"]


def test_near_coordinates_sorts_by_distance(client, catalogue):
    body = client.get(f"{API}/services?near=45.50,-73.57&radius_km=20").get_json()
    assert [s["name"] for s in body["contents"]] == ["Soins dentaires sans jugement"]
    assert body["contents"][0]["quebec_profile"]["distance_km"] < 5
    body = client.get(f"{API}/services?near=45.50,-73.57").get_json()
    located = [s for s in body["contents"] if "distance_km" in s["quebec_profile"]]
    distances = [s["quebec_profile"]["distance_km"] for s in located]
    assert distances == sorted(distances) and len(distances) >= 2


def test_services_pagination(client, catalogue):
    first = client.get(f"{API}/services?per_page=2").get_json()
    second = client.get(f"{API}/services?per_page=2&page=2").get_json()
    assert (first["total_items"], first["total_pages"], first["size"]) == (3, 2, 2)
    assert (second["size"], second["last_page"], second["first_page"]) == (1, True, False)
    seen = [s["id"] for s in first["contents"] + second["contents"]]
    assert len(set(seen)) == 3
