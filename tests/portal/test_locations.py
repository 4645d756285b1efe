"""Places: placed through the gazetteer or by hand; a confidential street never shown publicly."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cote_a_cote.catalogue.models import Location, OrganizationStatus
from cote_a_cote.extensions import db
from cote_a_cote.geo import find_municipality
from cote_a_cote.roles import Role
from tests.conftest import login, shown


def place_data(**changes) -> dict:
    data = {
        "name": "Clinique principale",
        "address_1": "123 rue des Érables",
        "postal_code": "g1k 3a9",
        "municipality": "st-jerome",
        "latitude": "",
        "longitude": "",
        "region_code": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_a_known_municipality_gives_coordinates_and_region(client, staff, provider_org):
    assert client.get("/portail/lieux/nouveau").status_code == 200
    response = client.post("/portail/lieux/nouveau", data=place_data())
    assert response.status_code == 302
    place = db.session.scalar(select(Location))
    expected = find_municipality("Saint-Jérôme")
    assert place.organization_id == provider_org.id
    assert place.municipality == expected.name
    assert (place.latitude, place.longitude) == (expected.latitude, expected.longitude)
    assert place.region_code == expected.region_code == "15"
    assert place.postal_code == "G1K 3A9"
    assert place.address_1 == "123 rue des Érables"
    assert place.is_confidential is False


def test_an_unknown_municipality_needs_coordinates_and_region_by_hand(app, client, staff):
    data = place_data(municipality="Hameau-Imaginaire")
    response = client.post("/portail/lieux/nouveau", data=data)
    assert response.status_code == 200
    assert "Hameau-Imaginaire" in response.text
    assert db.session.scalar(select(Location)) is None
    assert 'aria-invalid="true"' in response.text

    data.update(latitude="46,8123", longitude="-71.2", region_code="03")  # a decimal comma too
    assert client.post("/portail/lieux/nouveau", data=data).status_code == 302
    place = db.session.scalar(select(Location))
    assert (place.latitude, place.longitude, place.region_code) == (46.8123, -71.2, "03")
    assert place.municipality == "Hameau-Imaginaire"


def test_coordinates_by_hand_win_over_the_gazetteer(client, staff):
    data = place_data(municipality="Montréal", latitude="45.5", longitude="-73.6")
    assert client.post("/portail/lieux/nouveau", data=data).status_code == 302
    place = db.session.scalar(select(Location))
    assert (place.latitude, place.longitude, place.region_code) == (45.5, -73.6, "06")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"latitude": "45.5"}, "Give both the latitude and the longitude, or neither."),
        ({"latitude": "95", "longitude": "10"}, None),
        ({"postal_code": "12345"}, "Enter a Canadian postal code, for example H2X 1Y4."),
        ({"municipality": ""}, None),
    ],
)
def test_bad_places_are_refused_with_a_message(app, client, staff, changes, message):
    response = client.post("/portail/lieux/nouveau", data=place_data(**changes))
    assert response.status_code == 200
    if message:
        assert shown(app, message) in response.text
    assert "field--error" in response.text
    assert db.session.scalar(select(Location)) is None


def test_editing_and_deleting_a_place(client, staff, provider_org, make_service):
    service = make_service(organization=provider_org, location={"municipality": "Laval"})
    place = db.session.scalar(select(Location))
    url = f"/portail/lieux/{place.id}/modifier"
    assert "Laval" in client.get(url).text
    assert (
        client.post(url, data=place_data(municipality="Laval", name="Point de service")).status_code
        == 302
    )
    db.session.expire_all()
    assert place.name == "Point de service" and place.region_code == "13"
    assert client.post(f"/portail/lieux/{place.id}/supprimer").status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(Location)) is None
    assert service.locations == []


def test_a_confidential_address_is_never_shown_publicly(
    client, make_org, make_user, make_service, reference
):
    org = make_org(name="Refuge Fictif", status=OrganizationStatus.DRAFT)
    login(client, make_user(role=Role.PROVIDER, organization=org))
    data = place_data(
        name="Maison secrète",
        address_1="77 chemin Caché",
        postal_code="J7Z 1A1",
        is_confidential="y",
    )
    assert client.post("/portail/lieux/nouveau", data=data).status_code == 302
    place = db.session.scalar(select(Location))
    assert place.is_confidential
    service = make_service(organization=org, name_fr="Hébergement")
    client.post(
        f"/portail/services/{service.id}/modifier",
        data={
            "name_fr": "Hébergement",
            "needs": ["need.safety_shelter"],
            "languages": ["fr"],
            "regions": ["15"],
            "locations": [str(place.id)],
        },  # fmt: skip
    )
    # The staff see their own address in the portal.
    assert "77 chemin Caché" in client.get("/portail/lieux").text
    org.status = OrganizationStatus.APPROVED
    db.session.commit()
    client.post("/deconnexion")
    for role in (None, Role.INTERVENANTE, Role.ADMIN):
        if role:
            login(client, make_user(role=role))
        for url in (
            f"/services/{service.id}",
            f"/organisations/{org.id}",
            "/recherche?q=hebergement",
        ):
            html = client.get(url).text
            assert "77 chemin Caché" not in html and "J7Z 1A1" not in html, (role, url)
            assert "Maison secrète" not in html
        # The page really shows the service and its place, only without the street.
        assert "Saint-Jérôme" in client.get(f"/services/{service.id}").text
        client.post("/deconnexion")
