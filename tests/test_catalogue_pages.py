"""Catalogue pages: who sees what, masked addresses, badges, pagination, both languages."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from sqlalchemy import select

from cote_a_cote.catalogue.models import (
    CapacityStatus,
    Closure,
    OrganizationKind,
    OrganizationStatus,
    Schedule,
    TaxonomyTerm,
    Visibility,
)
from cote_a_cote.extensions import db
from cote_a_cote.roles import Role
from tests.conftest import login

APPROVED = OrganizationStatus.APPROVED
PUBLIC = Visibility.PUBLIC
ONLY_INTERVENANTES = Visibility.INTERVENANTES

# Organisation cases: (kind, status, visibility).
CASES = {
    "public": (OrganizationKind.PROVIDER, APPROVED, PUBLIC),
    "intervenantes_only": (OrganizationKind.PROVIDER, APPROVED, ONLY_INTERVENANTES),
    "draft": (OrganizationKind.PROVIDER, OrganizationStatus.DRAFT, PUBLIC),
    "submitted": (OrganizationKind.PROVIDER, OrganizationStatus.SUBMITTED, PUBLIC),
    "changes_requested": (OrganizationKind.PROVIDER, OrganizationStatus.CHANGES_REQUESTED, PUBLIC),
    "suspended": (OrganizationKind.PROVIDER, OrganizationStatus.SUSPENDED, PUBLIC),
    "rejected": (OrganizationKind.PROVIDER, OrganizationStatus.REJECTED, PUBLIC),
    "referrer": (OrganizationKind.REFERRER, APPROVED, PUBLIC),
}
VIEWERS = ("public", "intervenante", "other_provider", "admin")
# Which viewers see each case (listing, service page and organisation page alike).
SEEN_BY = {
    "public": set(VIEWERS),
    "intervenantes_only": {"intervenante", "admin"},
    "draft": set(),
    "submitted": set(),
    "changes_requested": set(),
    "suspended": set(),
    "rejected": set(),
    "referrer": set(),
}
VIEWER_ROLES = {
    "intervenante": Role.INTERVENANTE,
    "other_provider": Role.PROVIDER,
    "admin": Role.ADMIN,
}


@pytest.fixture(autouse=True)
def _reference_data(reference):
    """Regions and taxonomy, which services point to (PostgreSQL enforces the foreign keys)."""


def _tagged(service, *codes: str):
    """Attach taxonomy terms (conftest's make_service(terms=...) trips an autoflush warning)."""
    found = db.session.scalars(select(TaxonomyTerm).where(TaxonomyTerm.code.in_(codes))).all()
    assert len(found) == len(codes)
    service.terms = list(found)
    db.session.commit()
    return service


def _sign_in(login_as, viewer: str) -> None:
    if viewer != "public":
        login_as(VIEWER_ROLES[viewer])


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_visibility_table(client, make_org, make_service, login_as, case, viewer):
    kind, status, visibility = CASES[case]
    org = make_org(name=f"Org {case}", kind=kind, status=status, visibility=visibility)
    service = make_service(organization=org, name_fr=f"Service {case}")
    _sign_in(login_as, viewer)
    seen = viewer in SEEN_BY[case]

    listing = client.get("/catalogue")
    assert listing.status_code == 200
    assert (f"Service {case}" in listing.text) is seen
    assert client.get(f"/services/{service.id}").status_code == (200 if seen else 404)
    assert client.get(f"/organisations/{org.id}").status_code == (200 if seen else 404)


def test_every_case_is_in_the_table():
    assert set(SEEN_BY) == set(CASES)


@pytest.mark.parametrize("status", [OrganizationStatus.DRAFT, OrganizationStatus.SUSPENDED])
def test_provider_sees_her_own_unlisted_organisation_marked_as_such(
    client, make_org, make_service, login_as, status
):
    org = make_org(name="Atelier Brouillon", status=status, visibility=ONLY_INTERVENANTES)
    service = make_service(organization=org, name_fr="Coupe solidaire")
    login_as(Role.PROVIDER, organization=org)

    page = client.get(f"/services/{service.id}")
    assert page.status_code == 200
    assert "Coupe solidaire" in page.text
    assert 'class="alert alert--info"' in page.text  # the "not listed" notice
    assert client.get(f"/organisations/{org.id}").status_code == 200
    # The listing stays what the catalogue really lists.
    assert "Coupe solidaire" not in client.get("/catalogue").text


def test_confidential_address_is_never_rendered(app, make_org, make_service, make_user):
    org = make_org(name="Maison Refuge")
    service = make_service(
        organization=org,
        name_fr="Hébergement d'urgence",
        location={
            "name": "Maison secrète",
            "address_1": "123 rue Cachée",
            "postal_code": "G5L 9Z9",
            "municipality": "Rimouski",
            "region_code": "01",
            "is_confidential": True,
        },
    )
    pages = (f"/services/{service.id}", f"/organisations/{org.id}", "/catalogue")
    for viewer in VIEWERS:
        browser = app.test_client()
        if viewer != "public":
            assert login(browser, make_user(role=VIEWER_ROLES[viewer])).status_code == 302
        for url in pages:
            text = browser.get(url).text
            assert "Maison Refuge" in text, (viewer, url)
            assert "123 rue Cachée" not in text, (viewer, url)
            assert "G5L 9Z9" not in text, (viewer, url)
            assert "Maison secrète" not in text, (viewer, url)
        detail = browser.get(f"/services/{service.id}").text
        assert "Rimouski" in detail, viewer
        assert "Bas-Saint-Laurent" in detail, viewer


def test_public_address_is_shown(client, make_service):
    service = make_service(
        location={
            "address_1": "55 rue Principale",
            "postal_code": "J1H 1A1",
            "municipality": "Sherbrooke",
        }
    )
    text = client.get(f"/services/{service.id}").text
    assert "55 rue Principale" in text
    assert "J1H 1A1" in text
    assert "Sherbrooke" in text


def test_fictional_badge_on_listing_and_pages(client, make_org, make_service):
    fictional = make_org(name="Clinique Imaginaire", is_fictional=True)
    real = make_org(name="Clinique Réelle")
    pretend = make_service(organization=fictional, name_fr="Soins imaginaires")
    make_service(organization=real, name_fr="Soins réels")

    listing = client.get("/catalogue").text
    cards = [c.split("</article>")[0] for c in listing.split('<article class="card')[1:]]
    by_name = {("imaginaires" if "Soins imaginaires" in c else "réels"): c for c in cards}
    assert "badge--fictional" in by_name["imaginaires"]
    assert "badge--fictional" not in by_name["réels"]
    assert "site-footer__demo" in listing  # the footer notice appears once demo data exists
    assert "badge--fictional" in client.get(f"/services/{pretend.id}").text
    assert "badge--fictional" in client.get(f"/organisations/{fictional.id}").text


def test_no_demo_notice_without_demo_data(client, make_service):
    make_service(name_fr="Service réel")
    assert "site-footer__demo" not in client.get("/catalogue").text


def test_listing_paginates_twenty_per_page(client, make_org, make_service):
    org = make_org(name="Grand Réseau")
    for number in range(45):
        make_service(organization=org, name_fr=f"Atelier {number:02d}")

    first = client.get("/catalogue").text
    assert first.count('<article class="card') == 20
    assert "Atelier 00" in first and "Atelier 20" not in first
    assert 'href="/catalogue?page=2"' in first
    third = client.get("/catalogue?page=3").text
    assert third.count('<article class="card') == 5
    assert "Atelier 44" in third
    assert client.get("/catalogue?page=4").status_code == 404
    # A visitor cannot ask for bigger pages.
    assert client.get("/catalogue?per_page=100").text.count('<article class="card') == 20


def test_filters_and_pagination_keep_only_the_filters(client, make_service):
    for number in range(25):
        _tagged(make_service(name_fr=f"Dentiste {number:02d}"), "need.physical_health.dental")
    _tagged(make_service(name_fr="Cabinet Lex", regions=("01",)), "need.legal.lawyer")
    _tagged(make_service(name_fr="Ligne provinciale", regions=("QC",)), "need.legal")

    dental = client.get("/catalogue?need=need.physical_health&region=06&utm_source=x").text
    assert "Dentiste 00" in dental and "Cabinet Lex" not in dental
    assert 'href="/catalogue?page=2&amp;region=06&amp;need=need.physical_health"' in dental
    assert "utm_source" not in "".join(re.findall(r'href="[^"]*"', dental))

    legal_bsl = client.get("/catalogue?need=need.legal&region=01").text
    assert "Cabinet Lex" in legal_bsl and "Ligne provinciale" in legal_bsl
    assert "Dentiste" not in legal_bsl

    by_name = client.get("/catalogue?q=lex").text
    assert "Cabinet Lex" in by_name and "Dentiste" not in by_name
    # A LIKE wildcard typed by the visitor is taken literally.
    assert "Dentiste" not in client.get("/catalogue?q=%25").text


def test_invalid_filter_is_ignored_not_an_error(client, make_service):
    make_service(name_fr="Service visible")
    page = client.get("/catalogue?region=99&need=need.nope&q=" + "x" * 300)
    assert page.status_code == 200
    assert "Service visible" in page.text
    assert 'class="field__error"' in page.text


def _full_service(make_org, make_service):
    org = make_org(
        name="Centre Boréal",
        is_trained=True,
        last_verified_at=datetime(2024, 1, 10, tzinfo=UTC),
    )
    service = make_service(
        organization=org,
        name_fr="Soins dentaires sans jugement",
        name_en="Non-judgemental dental care",
        description_fr="Des soins dentaires offerts avec respect.",
        description_en="Dental care offered with respect.",
        eligibility_fr="Personnes référées par une intervenante.",
        eligibility_en="People referred by an intervenante.",
        cost_fr="Gratuit",
        cost_en="Free of charge",
        minimum_age=18,
        maximum_age=64,
        capacity=CapacityStatus.WAITLIST,
        waitlist_weeks=3,
        phone="418 555-0100",
        url="javascript:alert(1)",
        regions=("01",),
        languages=("fr", "es"),
        location={"address_1": "8 rue du Port", "municipality": "Rimouski", "region_code": "01"},
    )
    _tagged(service, "need.physical_health.dental", "access.fast_track", "population.women")
    service.schedules = [Schedule(weekday=1, opens_at=time(9), closes_at=time(17))]
    service.closures = [
        Closure(
            starts_on=date(2024, 7, 1),
            ends_on=date(2024, 7, 14),
            note_fr="Vacances",
            note_en="Holidays",
        )
    ]
    db.session.commit()
    return service


@time_machine.travel(datetime(2024, 3, 1, 12, tzinfo=UTC), tick=False)
def test_service_detail_in_french(client, make_org, make_service):
    service = _full_service(make_org, make_service)
    text = client.get(f"/services/{service.id}").text
    for expected in (
        "Soins dentaires sans jugement",
        "Des soins dentaires offerts avec respect.",
        "Personnes référées par une intervenante.",
        "Gratuit",
        "Accès rapide",  # taxonomy labels in French
        "Femmes",
        "Espagnol",  # language name given by Babel in French
        "Bas-Saint-Laurent",
        "8 rue du Port",
        "Lundi",
        "09 h 00 – 17 h 00",  # hours as written in Québec
        "Vacances",
        'href="tel:4185550100"',
        "Centre Boréal",
        "badge--trained",
        "badge--capacity-waitlist",
    ):
        assert expected in text, expected
    assert 'href="javascript:' not in text
    assert "badge--stale" not in text  # verified seven weeks before


@time_machine.travel(datetime(2024, 3, 1, 12, tzinfo=UTC), tick=False)
def test_service_detail_in_english(client, make_org, make_service):
    service = _full_service(make_org, make_service)
    assert client.post("/langue", data={"locale": "en", "next": "/"}).status_code == 302
    text = client.get(f"/services/{service.id}").text
    for expected in (
        "Non-judgemental dental care",
        "Dental care offered with respect.",
        "People referred by an intervenante.",
        "Free of charge",
        "Spanish",
        "Fast track, no waiting list",
        "Women",
        "Monday",
        "9:00\u202fa.m. – 5:00\u202fp.m.",  # Babel puts a narrow no-break space
        "Holidays",
    ):
        assert expected in text, expected
    assert "Soins dentaires sans jugement" not in text
    assert '<html lang="en">' in text


def test_english_falls_back_to_french_content(client, make_service):
    service = make_service(
        name_fr="Accompagnement à la cour", description_fr="Présence au tribunal."
    )
    client.post("/langue", data={"locale": "en", "next": "/"})
    text = client.get(f"/services/{service.id}").text
    assert "Accompagnement à la cour" in text
    assert "Présence au tribunal." in text


def test_stale_marker_after_six_months(client, make_org, make_service):
    verified = datetime(2024, 1, 1, tzinfo=UTC)
    service = make_service(organization=make_org(last_verified_at=verified))
    with time_machine.travel(verified + timedelta(days=100), tick=False):
        assert "badge--stale" not in client.get(f"/services/{service.id}").text
    with time_machine.travel(verified + timedelta(days=200), tick=False):
        assert "badge--stale" in client.get(f"/services/{service.id}").text


def test_open_all_hours_and_paused_capacity(client, make_service):
    service = make_service(is_24_7=True, capacity=CapacityStatus.PAUSED)
    text = client.get(f"/services/{service.id}").text
    assert "badge--capacity-paused" in text
    assert '<table class="hours">' not in text


def test_organisation_page_lists_only_its_visible_services(client, make_org, make_service):
    org = make_org(name="Réseau Horizon")
    make_service(organization=org, name_fr="Service Horizon")
    other = make_org(name="Autre Réseau")
    make_service(organization=other, name_fr="Service Ailleurs")
    text = client.get(f"/organisations/{org.id}").text
    assert "Réseau Horizon" in text and "Service Horizon" in text
    assert "Service Ailleurs" not in text
    assert client.get("/organisations/999999").status_code == 404
    assert client.get("/services/999999").status_code == 404
