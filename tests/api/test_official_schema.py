"""Every answer of the API about a service, organisation or service_at_location meets HSDS 3.1.

The schemas are the official ones vendored in cote_a_cote/catalogue/hsds_schema; a list's items
are checked one by one against their object's schema.
"""

from __future__ import annotations

from cote_a_cote.catalogue.hsds import record_id, service_at_location_id
from cote_a_cote.catalogue.hsds_validation import schema_problems

API = "/api/hsds"


def _valid(client, path: str, kind: str) -> dict:
    response = client.get(f"{API}/{path}")
    assert response.status_code == 200, (path, response.status_code)
    body = response.get_json()
    assert schema_problems(body, kind) == [], (path, body)
    return body


def _every_item_valid(client, path: str, kind: str) -> int:
    body = _valid_page(client, path)
    for item in body["contents"]:
        assert schema_problems(item, kind) == [], (path, item)
    return len(body["contents"])


def _valid_page(client, path: str) -> dict:
    response = client.get(f"{API}/{path}")
    assert response.status_code == 200, (path, response.status_code)
    return response.get_json()


def test_services_meet_the_official_schema(client, catalogue):
    assert _every_item_valid(client, "services?per_page=100", "service") == 3
    for service in (catalogue.dental, catalogue.shelter, catalogue.lawyer):
        body = _valid(client, f"services/{record_id(service)}", "service")
        assert body["organization"]["id"] == record_id(service.organization)


def test_organizations_meet_the_official_schema(client, catalogue):
    assert _every_item_valid(client, "organizations?per_page=100", "organization") >= 2
    for service in (catalogue.dental, catalogue.shelter, catalogue.lawyer):
        _valid(client, f"organizations/{record_id(service.organization)}", "organization")


def test_service_at_locations_meet_the_official_schema(client, catalogue):
    count = _every_item_valid(client, "service_at_locations?per_page=100", "service_at_location")
    assert count >= 2  # the dental clinic and the shelter; the lawyer has no location
    for service in (catalogue.dental, catalogue.shelter):
        link = service_at_location_id(record_id(service), record_id(service.locations[0]))
        body = _valid(client, f"service_at_locations/{link}", "service_at_location")
        assert body["location"]["id"] == record_id(service.locations[0])


def test_the_check_sees_an_answer_that_breaks_the_schema(client, catalogue):
    """The conformance tests above can fail: a missing required field is reported by name."""
    body = _valid_page(client, f"services/{record_id(catalogue.dental)}")
    del body["status"]
    body["organization"].pop("description", None)
    body["service_at_locations"][0]["location"]["addresses"][0].pop("postal_code")
    fields = {field for field, _message in schema_problems(body)}
    assert fields == {
        "status",
        "organization.description",
        "service_at_locations[0].location.addresses[0].postal_code",
    }
