"""A draft profile is edited directly: every field of the organisation and its services is saved."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from sqlalchemy import select

from cote_a_cote.catalogue.models import (
    CapacityStatus,
    Location,
    OrganizationStatus,
    Service,
    Visibility,
)
from cote_a_cote.extensions import db
from cote_a_cote.revisions.models import ProfileRevision
from cote_a_cote.roles import Role
from cote_a_cote.vetting.models import EventAction, OrganizationEvent
from tests.conftest import shown


def service_data(**changes) -> dict:
    data = {
        "name_fr": "Soins dentaires d'urgence",
        "name_en": "Emergency dental care",
        "description_fr": "Nous soignons sans poser de questions.",
        "description_en": "We treat without asking questions.",
        "eligibility_fr": "Toute personne référée",
        "eligibility_en": "Anyone referred",
        "cost_fr": "Gratuit",
        "cost_en": "Free",
        "minimum_age": "16",
        "maximum_age": "99",
        "email": "dents@example.org",
        "url": "https://dents.example.org",
        "phone": "418 555-0199",
        "is_24_7": "y",
        "is_remote": "y",
        "needs": ["need.physical_health.dental"],
        "populations": ["population.women", "population.youth_18_24"],
        "exploitation": ["exploitation.sexual"],
        "access": ["access.free_or_reduced_cost", "access.fast_track"],
        "languages": ["fr", "en", "es"],
        "regions": ["03", "12"],
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_every_organisation_field_is_saved(app, client, staff, provider_org):
    response = client.post(
        "/portail/organisation",
        data={
            "name": "Clinique du Fleuve inc.",
            "alternate_name": "CDF",
            "sector": "sector.medical_clinics",
            "description_fr": "Une clinique accueillante.",
            "description_en": "A welcoming clinic.",
            "email": "accueil@example.org",
            "phone": "418 555-0100",
            "website": "https://fleuve.example.org",
            "visibility": "intervenantes",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    org = provider_org
    assert org.name == "Clinique du Fleuve inc."
    assert org.alternate_name == "CDF"
    assert org.sector.code == "sector.medical_clinics"
    assert org.description_fr == "Une clinique accueillante."
    assert org.description_en == "A welcoming clinic."
    assert org.email == "accueil@example.org"
    assert org.phone == "418 555-0100"
    assert org.website == "https://fleuve.example.org"
    assert org.visibility is Visibility.INTERVENANTES
    assert db.session.scalar(select(ProfileRevision)) is None  # a draft changes directly


def test_organisation_errors_keep_what_was_typed(app, client, staff, provider_org):
    response = client.post(
        "/portail/organisation",
        data={
            "name": "",
            "alternate_name": "Typed alias",
            "website": "javascript:alert(1)",
            "visibility": "public",
        },  # fmt: skip
    )
    assert response.status_code == 200
    assert shown(app, "Enter an address starting with https:// or http://.") in response.text
    assert 'value="Typed alias"' in response.text
    db.session.expire_all()
    assert provider_org.name == "Clinique du Fleuve"


def test_every_service_field_is_saved(app, client, staff, provider_org):
    place = Location(organization=provider_org, municipality="Québec", region_code="03")
    db.session.add(place)
    db.session.commit()
    response = client.post(
        "/portail/services/nouveau", data=service_data(locations=[str(place.id)])
    )
    assert response.status_code == 302
    service = db.session.scalar(select(Service))
    assert service.name_fr == "Soins dentaires d'urgence"
    assert service.name_en == "Emergency dental care"
    assert service.description_fr == "Nous soignons sans poser de questions."
    assert service.description_en == "We treat without asking questions."
    assert (service.eligibility_fr, service.eligibility_en) == (
        "Toute personne référée",
        "Anyone referred",
    )
    assert (service.cost_fr, service.cost_en) == ("Gratuit", "Free")
    assert (service.minimum_age, service.maximum_age) == (16, 99)
    assert service.email == "dents@example.org"
    assert service.url == "https://dents.example.org"
    assert service.phone == "418 555-0199"
    assert service.is_24_7 and service.is_remote
    assert {t.code for t in service.terms} == {
        "need.physical_health.dental", "population.women", "population.youth_18_24",
        "exploitation.sexual", "access.free_or_reduced_cost", "access.fast_track",
    }  # fmt: skip
    assert sorted(lang.code for lang in service.languages) == ["en", "es", "fr"]
    assert [a.region_code for a in service.areas] == ["03", "12"]
    assert [p.id for p in service.locations] == [place.id]

    # Editing replaces the lists, keeping rows still wanted.
    response = client.post(
        f"/portail/services/{service.id}/modifier",
        data=service_data(
            name_fr="Soins dentaires",
            languages=["fr", "ar"],
            regions=["03"],
            populations=None,
            exploitation=None,
            access=None,
            is_24_7=None,
            minimum_age="",
        ),
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert service.name_fr == "Soins dentaires"
    assert sorted(lang.code for lang in service.languages) == ["ar", "fr"]
    assert [a.region_code for a in service.areas] == ["03"]
    assert [t.code for t in service.terms] == ["need.physical_health.dental"]
    assert service.is_24_7 is False and service.minimum_age is None
    assert service.locations == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"needs": None}, "Choose at least one need."),
        ({"regions": None}, "Choose at least one region."),
        ({"languages": None}, "Choose at least one language."),
        (
            {"minimum_age": "40", "maximum_age": "30"},
            "The maximum age cannot be lower than the minimum age.",
        ),
        ({"url": "ftp://x.example.org"}, "Enter an address starting with https:// or http://."),
    ],
)
def test_service_errors_keep_what_was_typed(app, client, staff, changes, message):
    response = client.post("/portail/services/nouveau", data=service_data(**changes))
    assert response.status_code == 200
    assert shown(app, message) in response.text
    assert "Nous soignons sans poser de questions." in response.text
    assert db.session.scalar(select(Service)) is None


def test_a_service_can_be_deleted(client, staff, provider_org, make_service):
    service = make_service(organization=provider_org)
    assert client.post(f"/portail/services/{service.id}/supprimer").status_code == 302
    assert db.session.scalar(select(Service)) is None


def test_schedules_go_live_and_need_opening_before_closing(
    app, client, staff, provider_org, make_service
):
    service = make_service(organization=provider_org)
    url = f"/portail/services/{service.id}/horaire"
    assert client.get(url).status_code == 200
    data = {
        "rows-0-weekday": "1", "rows-0-opens_at": "09:00", "rows-0-closes_at": "12:00",
        "rows-1-weekday": "1", "rows-1-opens_at": "13:00", "rows-1-closes_at": "17:00",
        "rows-2-weekday": "", "rows-2-opens_at": "", "rows-2-closes_at": "",
    }  # fmt: skip
    assert client.post(url, data=data).status_code == 302
    db.session.expire_all()
    assert [(s.weekday, s.opens_at, s.closes_at) for s in service.schedules] == [
        (1, time(9), time(12)), (1, time(13), time(17)),
    ]  # fmt: skip

    bad = client.post(url, data={"rows-0-weekday": "2", "rows-0-opens_at": "18:00",
                                 "rows-0-closes_at": "08:00"})  # fmt: skip
    assert bad.status_code == 200
    assert shown(app, "The closing time must come after the opening time.") in bad.text
    assert 'value="18:00"' in bad.text
    db.session.expire_all()
    assert len(service.schedules) == 2


@pytest.mark.parametrize("status", [OrganizationStatus.DRAFT, OrganizationStatus.APPROVED])
def test_capacity_in_one_click(app, client, reference, make_user, make_org, make_service, status):
    from tests.conftest import login

    org = make_org(status=status)
    login(client, make_user(role=Role.PROVIDER, organization=org))
    service = make_service(organization=org)
    before = service.capacity_updated_at
    url = f"/portail/services/{service.id}/capacite"
    assert client.post(url, data={"status": "waitlist", "weeks": "6"}).status_code == 302
    db.session.expire_all()
    assert service.capacity is CapacityStatus.WAITLIST and service.waitlist_weeks == 6
    assert service.capacity_updated_at > before
    assert client.post(url, data={"status": "paused", "weeks": "6"}).status_code == 302
    db.session.expire_all()
    assert service.capacity is CapacityStatus.PAUSED and service.waitlist_weeks is None
    # A waiting list needs its length.
    client.post(url, data={"status": "waitlist"})
    db.session.expire_all()
    assert service.capacity is CapacityStatus.PAUSED
    assert db.session.scalar(select(ProfileRevision)) is None  # live at once, even when approved


def test_still_accurate_sets_last_verified(client, make_user, make_org):
    from tests.conftest import login

    old = datetime(2024, 1, 1, tzinfo=UTC)
    org = make_org(last_verified_at=old, stale_warning_sent_at=old, stale_notice_sent_at=old)
    login(client, make_user(role=Role.PROVIDER, organization=org))
    assert client.post("/portail/toujours-exact").status_code == 302
    db.session.expire_all()
    assert org.last_verified_at > old
    assert org.stale_warning_sent_at is None and org.stale_notice_sent_at is None
    event = db.session.scalar(select(OrganizationEvent))
    assert event.action is EventAction.VERIFIED


def test_dashboard_lists_what_is_missing_then_submits(
    app, client, staff, provider_org, make_service
):
    html = client.get("/portail/").text
    assert shown(app, "Describe your organisation in French.") in html
    assert shown(app, "Add at least one service.") in html
    assert 'action="/portail/soumettre"' not in html
    # Refused while something is missing.
    client.post("/portail/soumettre")
    db.session.expire_all()
    assert provider_org.status is OrganizationStatus.DRAFT

    provider_org.description_fr = "Une clinique."
    provider_org.phone = "418 555-0100"
    from tests.search.conftest import term

    provider_org.sector = term("sector.medical_clinics")
    db.session.commit()
    make_service(organization=provider_org, terms=("need.physical_health",))
    html = client.get("/portail/").text
    assert 'action="/portail/soumettre"' in html
    assert client.post("/portail/soumettre").status_code == 302
    db.session.expire_all()
    assert provider_org.status is OrganizationStatus.SUBMITTED
    # Under review, the profile is locked.
    client.post("/portail/organisation", data={"name": "Autre nom", "visibility": "public"})
    db.session.expire_all()
    assert provider_org.name == "Clinique du Fleuve"


def test_dashboard_shows_the_change_request_message(app, client, staff, provider_org, admin):
    from cote_a_cote.vetting.services import record_event

    provider_org.status = OrganizationStatus.CHANGES_REQUESTED
    record_event(provider_org, EventAction.CHANGES_REQUESTED, admin, "Précisez vos tarifs, svp.")
    db.session.commit()
    assert "Précisez vos tarifs, svp." in client.get("/portail/").text
