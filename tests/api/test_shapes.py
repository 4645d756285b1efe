"""HSDS shapes of every endpoint: info, services, organisations, taxonomies, paging, headers."""

from __future__ import annotations

import json

import pytest

from cote_a_cote.catalogue.hsds import derived_id, record_id, term_id_for_code

API = "/api/hsds"
ENVELOPE = {
    "total_items": int,
    "total_pages": int,
    "page_number": int,
    "size": int,
    "first_page": bool,
    "last_page": bool,
    "empty": bool,
    "contents": list,
}


def assert_envelope(body: dict) -> None:
    assert set(body) == set(ENVELOPE)
    for key, kind in ENVELOPE.items():
        assert type(body[key]) is kind, key


def test_info_names_version_profile_and_openapi(client):
    response = client.get(f"{API}/")
    assert response.status_code == 200
    body = response.get_json()
    assert body["version"].startswith("3.")
    assert body["openapi_url"].endswith("/api/hsds/openapi.json")
    assert body["profile"].startswith(body["openapi_url"])


def test_service_by_id_is_fully_nested(client, catalogue):
    service = catalogue.dental
    response = client.get(f"{API}/services/{record_id(service)}")
    assert response.status_code == 200
    body = response.get_json()
    assert body["id"] == derived_id("service", service.id)
    assert body["name"] == "Soins dentaires sans jugement"
    assert body["status"] == "active"
    assert body["organization"]["name"] == "Clinique Alpha (fictive)"
    assert body["organization_id"] == body["organization"]["id"]
    assert {lang["code"] for lang in body["languages"]} == {"fr", "en"}
    assert [area["quebec_profile"]["region_code"] for area in body["service_areas"]] == ["06"]
    location = body["service_at_locations"][0]["location"]
    assert location["latitude"] == pytest.approx(45.5088)
    assert location["addresses"][0]["address_1"] == "10 rue Sainte-Catherine"
    assert location["addresses"][0]["city"] == "Montréal"
    assert location["quebec_profile"] == {
        "region_code": "06",
        "municipality": "Montréal",
        "confidential": False,
    }
    terms = {a["taxonomy_term"]["code"]: a for a in body["attributes"]}
    dental = terms["need.physical_health.dental"]
    assert dental["link_entity"] == "service" and dental["link_id"] == body["id"]
    assert dental["taxonomy_term_id"] == term_id_for_code("need.physical_health.dental")
    assert dental["taxonomy_term"]["parent_id"] == term_id_for_code("need.physical_health")
    assert body["schedules"] == [
        {
            "id": body["schedules"][0]["id"],
            "service_id": body["id"],
            "freq": "WEEKLY",
            "wkst": "MO",
            "byday": "MO",
            "opens_at": "09:00",
            "closes_at": "17:00",
        }
    ]
    assert body["phones"][0]["number"] == "514-555-0100"
    profile = body["quebec_profile"]
    assert profile["capacity"]["status"] == "waitlist"
    assert profile["capacity"]["waitlist_weeks"] == 3
    assert profile["region_codes"] == ["06"]
    assert profile["translations"]["en"]["name"] == "Judgement-free dental care"
    assert profile["trained"] is False


def test_service_ids_are_stable_strings(client, catalogue):
    first = client.get(f"{API}/services/{record_id(catalogue.dental)}").get_json()
    second = client.get(f"{API}/services/{record_id(catalogue.dental)}").get_json()
    assert first == second
    assert all(isinstance(first[key], str) for key in ("id", "organization_id"))


def test_organizations_list_and_detail(client, catalogue):
    body = client.get(f"{API}/organizations").get_json()
    assert_envelope(body)
    names = [org["name"] for org in body["contents"]]
    assert names == sorted(names, key=str.lower)
    assert "Clinique Alpha (fictive)" in names
    clinic_id = record_id(catalogue.dental.organization)
    detail = client.get(f"{API}/organizations/{clinic_id}").get_json()
    assert detail["id"] == clinic_id
    assert detail["quebec_profile"]["status"] == "approved"
    assert [s["name"] for s in detail["services"]] == ["Soins dentaires sans jugement"]
    assert detail["locations"][0]["addresses"][0]["city"] == "Montréal"


def test_organizations_search(client, catalogue):
    body = client.get(f"{API}/organizations?search=gamma").get_json()
    assert [org["name"] for org in body["contents"]] == ["Cabinet Gamma (fictif)"]


def test_taxonomies_and_terms(client, reference):
    taxonomies = client.get(f"{API}/taxonomies").get_json()
    assert_envelope(taxonomies)
    codes = {t["quebec_profile"]["code"] for t in taxonomies["contents"]}
    assert {"need", "sector", "population", "exploitation", "access"} <= codes
    need = next(t for t in taxonomies["contents"] if t["quebec_profile"]["code"] == "need")
    terms = client.get(f"{API}/taxonomy_terms?taxonomy_id={need['id']}&per_page=100").get_json()
    assert terms["total_items"] == len(terms["contents"]) > 10
    assert all(t["taxonomy_id"] == need["id"] for t in terms["contents"])
    children = client.get(f"{API}/taxonomy_terms?parent_id=need.physical_health").get_json()
    assert {t["code"] for t in children["contents"]} == {
        "need.physical_health.medical",
        "need.physical_health.dental",
        "need.physical_health.gynaecology",
        "need.physical_health.nutrition",
    }
    found = client.get(f"{API}/taxonomy_terms?search=dentaires").get_json()
    assert [t["code"] for t in found["contents"]] == ["need.physical_health.dental"]


@pytest.mark.parametrize(
    ("page", "per_page", "size", "first", "last"),
    [
        (1, 2, 2, True, False),
        (2, 2, 1, False, True),
        (3, 2, 0, False, True),
        (2, 1, 1, False, False),
        (3, 1, 1, False, True),
    ],
)
def test_pagination_math(client, catalogue, page, per_page, size, first, last):
    # Three public providers; the hidden ones never count.
    body = client.get(f"{API}/organizations?page={page}&per_page={per_page}").get_json()
    assert_envelope(body)
    assert body["total_items"] == 3
    assert body["total_pages"] == 3 // per_page + (3 % per_page > 0)
    assert (body["page_number"], body["size"]) == (page, size)
    assert (body["first_page"], body["last_page"], body["empty"]) == (first, last, size == 0)


def test_empty_listing_has_zero_pages(client, app):
    body = client.get(f"{API}/organizations").get_json()
    assert (body["total_items"], body["total_pages"], body["empty"]) == (0, 0, True)
    assert body["first_page"] and body["last_page"]


def test_caching_headers_and_etag(client, catalogue):
    response = client.get(f"{API}/organizations")
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    again = client.get(f"{API}/organizations", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    error = client.get(f"{API}/organizations?page=0")
    assert error.headers["Cache-Control"] == "no-store"


def test_openapi_documents_every_route_and_the_profile(client, app):
    response = client.get(f"{API}/openapi.json")
    document = json.loads(response.get_data(as_text=True))
    assert document["openapi"].startswith("3.1")
    routes = {
        rule.rule.removeprefix(API)
        .replace("<service_id>", "{id}")
        .replace("<organization_id>", "{id}")
        .replace("<link_id>", "{id}")
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
    }
    assert routes == set(document["paths"])
    names = {p["name"] for p in document["components"]["parameters"].values()}
    assert {"region", "language", "need", "near", "radius_km"} <= names
    service_params = {
        p["$ref"].rsplit("/", 1)[1] for p in document["paths"]["/services"]["get"]["parameters"]
    }
    assert {
        "search",
        "taxonomy_term_id",
        "organization_id",
        "modified_after",
        "page",
        "per_page",
        "region",
        "language",
        "need",
        "near",
        "radius_km",
    } == service_params
    for name in ("region", "language", "need", "near", "radius_km"):
        assert "Québec profile" in document["components"]["parameters"][name]["description"]
