"""/service_at_locations: /services' filters and visibility, one entry per service and location."""

from __future__ import annotations

import pytest

from cote_a_cote.catalogue.hsds import ADDRESS_REQUIRED, record_id, service_at_location_id

from .conftest import SECRET_POSTAL, SECRET_STREET
from .test_visibility import HIDDEN

API = "/api/hsds"


def link_id(service) -> str:
    return service_at_location_id(record_id(service), record_id(service.locations[0]))


def test_the_list_has_one_entry_per_public_service_and_location(client, catalogue):
    body = client.get(f"{API}/service_at_locations?per_page=100").get_json()
    entries = {entry["service"]["name"]: entry for entry in body["contents"]}
    # The lawyer works remotely, without a location; hidden services never appear.
    assert set(entries) == {"Soins dentaires sans jugement", "Hébergement d'urgence"}
    dental = entries["Soins dentaires sans jugement"]
    assert dental["id"] == link_id(catalogue.dental)
    assert dental["service_id"] == record_id(catalogue.dental)
    assert dental["location_id"] == dental["location"]["id"]
    assert dental["location"]["addresses"][0]["address_1"] == "10 rue Sainte-Catherine"
    assert (body["total_items"], body["size"]) == (3, 2)


def test_the_list_takes_the_filters_of_services(client, catalogue):
    by_region = client.get(f"{API}/service_at_locations?region=01").get_json()
    assert [e["service"]["name"] for e in by_region["contents"]] == ["Hébergement d'urgence"]
    searched = client.get(f"{API}/service_at_locations?search=dentaires").get_json()
    assert [e["service"]["name"] for e in searched["contents"]] == ["Soins dentaires sans jugement"]
    refused = client.get(f"{API}/service_at_locations?region=99")
    assert refused.status_code == 400
    assert refused.get_json()["error"]["parameter"] == "region"


def test_one_entry_nests_its_service_and_location(client, catalogue):
    response = client.get(f"{API}/service_at_locations/{link_id(catalogue.dental)}")
    assert response.status_code == 200
    body = response.get_json()
    assert body["service"]["name"] == "Soins dentaires sans jugement"
    assert body["service"]["organization"]["name"] == "Clinique Alpha (fictive)"
    assert body["location"]["addresses"][0]["city"] == "Montréal"
    # The same id as the service's own list of service_at_locations.
    nested = client.get(f"{API}/services/{record_id(catalogue.dental)}").get_json()
    assert nested["service_at_locations"][0]["id"] == body["id"]


def test_a_shelter_entry_names_its_town_never_its_address(client, catalogue):
    responses = [
        client.get(f"{API}/service_at_locations/{link_id(catalogue.shelter)}"),
        client.get(f"{API}/service_at_locations?near=Rimouski"),
    ]
    for response in responses:
        assert response.status_code == 200
        text = response.get_data(as_text=True)
        assert SECRET_STREET not in text and SECRET_POSTAL not in text
        assert "48.4489" not in text and "-68.5239" not in text
    location = responses[0].get_json()["location"]
    assert "addresses" not in location
    assert location["quebec_profile"]["municipality"] == "Rimouski"


@pytest.mark.parametrize("reason", HIDDEN)
def test_a_hidden_service_entry_is_404(client, catalogue, reason):
    response = client.get(f"{API}/service_at_locations/{link_id(catalogue.hidden[reason])}")
    assert response.status_code == 404
    assert response.get_json()["error"]["status"] == 404


def test_unknown_entries_are_404_and_new_ones_are_found(client, catalogue, make_service):
    assert client.get(f"{API}/service_at_locations/nope").status_code == 404
    assert client.get(f"{API}/service_at_locations/{link_id(catalogue.dental)}").status_code == 200
    # Added after the first lookups: the id map is rebuilt when a lookup misses.
    added = make_service(
        name_fr="Clinique ajoutée (fictive)",
        location={"municipality": "Laval", "region_code": "13"},
    )
    response = client.get(f"{API}/service_at_locations/{link_id(added)}")
    assert response.status_code == 200
    assert response.get_json()["service"]["name"] == "Clinique ajoutée (fictive)"


def _addresses(value):
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "addresses":
                yield from item
            else:
                yield from _addresses(item)
    elif isinstance(value, list):
        for item in value:
            yield from _addresses(item)


def test_every_address_has_what_hsds_requires(client, catalogue):
    """HSDS 3's address schema requires a street, a postal code, a province and a country."""
    paths = [
        "services?per_page=100",
        f"services/{record_id(catalogue.shelter)}",
        f"organizations/{record_id(catalogue.shelter.organization)}",
        "service_at_locations?per_page=100",
        f"service_at_locations/{link_id(catalogue.dental)}",
        f"service_at_locations/{link_id(catalogue.shelter)}",
    ]
    found = 0
    for path in paths:
        body = client.get(f"{API}/{path}").get_json()
        for address in _addresses(body):
            found += 1
            assert all(address.get(key) for key in ADDRESS_REQUIRED), (path, address)
    assert found >= 3  # the dental clinic's address, in three of these answers
