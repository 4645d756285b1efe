"""Only approved, public providers ever leave through the API; shelters keep their address."""

from __future__ import annotations

import pytest

from cote_a_cote.catalogue.hsds import record_id

from .conftest import SECRET_POSTAL, SECRET_STREET

API = "/api/hsds"
HIDDEN = ("intervenantes", "draft", "submitted", "suspended", "rejected", "referrer")
FORBIDDEN_KEYS = {
    "referral",
    "referrals",
    "consent",
    "password",
    "password_hash",
    "user",
    "users",
    "training_records",
    "email_address",
}


def all_keys(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in all_keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in all_keys(v)}
    return set()


@pytest.mark.parametrize("reason", HIDDEN)
def test_hidden_service_and_organisation_are_404_by_id(client, catalogue, reason):
    service = catalogue.hidden[reason]
    response = client.get(f"{API}/services/{record_id(service)}")
    assert response.status_code == 404
    assert response.get_json()["error"]["status"] == 404
    response = client.get(f"{API}/organizations/{record_id(service.organization)}")
    assert response.status_code == 404


@pytest.mark.parametrize("reason", HIDDEN)
def test_hidden_organisation_is_an_unknown_filter_value(client, catalogue, reason):
    organization = catalogue.hidden[reason].organization
    response = client.get(f"{API}/services?organization_id={record_id(organization)}")
    assert response.status_code == 400
    assert response.get_json()["error"]["parameter"] == "organization_id"


def test_hidden_services_never_listed(client, catalogue):
    services = client.get(f"{API}/services?per_page=100").get_json()
    names = {s["name"] for s in services["contents"]}
    assert names == {
        "Soins dentaires sans jugement",
        "Hébergement d'urgence",
        "Avocate en immigration",
    }
    assert services["total_items"] == 3
    searched = client.get(f"{API}/services?search=dentaires&per_page=100").get_json()
    assert [s["name"] for s in searched["contents"]] == ["Soins dentaires sans jugement"]
    organizations = client.get(f"{API}/organizations?per_page=100").get_json()
    assert organizations["total_items"] == 3
    assert not any("cach" in s["name"] for s in services["contents"])


def test_unknown_ids_are_404(client, catalogue):
    for path in (
        "services/nope",
        "organizations/nope",
        "services/c07eac07-0002-8000-8000-0000000f4240",
    ):
        response = client.get(f"{API}/{path}")
        assert response.status_code == 404, path
        assert response.is_json


def test_confidential_address_is_never_in_the_json(client, catalogue):
    shelter = catalogue.shelter
    bodies = [
        client.get(f"{API}/services/{record_id(shelter)}"),
        client.get(f"{API}/organizations/{record_id(shelter.organization)}"),
        client.get(f"{API}/services?region=01"),
        client.get(f"{API}/services?near=Rimouski"),
    ]
    for response in bodies:
        assert response.status_code == 200
        text = response.get_data(as_text=True)
        assert SECRET_STREET not in text and SECRET_POSTAL not in text
        assert "48.4489" not in text and "-68.5239" not in text
    location = bodies[0].get_json()["service_at_locations"][0]["location"]
    assert location["quebec_profile"]["confidential"] is True
    assert "latitude" not in location and "name" not in location
    # HSDS requires a street and a postal code of every address: a shelter has none at all.
    assert "addresses" not in location
    profile = location["quebec_profile"]
    assert (profile["municipality"], profile["region_code"]) == ("Rimouski", "01")


def test_no_referral_consent_training_or_account_data(client, catalogue):
    responses = [
        client.get(f"{API}/services?per_page=100"),
        client.get(f"{API}/services/{record_id(catalogue.dental)}"),
        client.get(f"{API}/organizations/{record_id(catalogue.dental.organization)}"),
    ]
    for response in responses:
        assert not all_keys(response.get_json()) & FORBIDDEN_KEYS
