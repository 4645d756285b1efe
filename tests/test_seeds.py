"""Seeds: the reference data (taxonomy, regions) and the fictional demo catalogue."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from cote_a_cote.accounts.models import User
from cote_a_cote.accounts.passwords import verify_password
from cote_a_cote.catalogue.models import (
    CapacityStatus,
    Closure,
    Location,
    Organization,
    OrganizationKind,
    OrganizationStatus,
    Region,
    Service,
    ServiceArea,
    ServiceAttribute,
    ServiceLanguage,
    Taxonomy,
    TaxonomyTerm,
    Visibility,
)
from cote_a_cote.database import utcnow
from cote_a_cote.demo.seeding import load_reference_data, seed_demo
from cote_a_cote.extensions import db
from cote_a_cote.geo import find_municipality, haversine_km
from cote_a_cote.roles import Role
from cote_a_cote.seeds import SEEDS_DIR

# Every item of BRIEF.md, by the code it has in seeds/taxonomy.json.
BRIEF = {
    "need": """safety_shelter housing basic_needs finances physical_health mental_health addiction
        legal employment education transport interpreting self_image wellbeing telecom pets
        storage peer_support basic_needs.food basic_needs.clothing basic_needs.hygiene
        physical_health.medical physical_health.dental physical_health.gynaecology
        physical_health.nutrition mental_health.psychotherapy mental_health.sexology
        mental_health.social_work legal.lawyer legal.court_accompaniment legal.immigration
        self_image.esthetics self_image.hair self_image.tattoo wellbeing.fitness
        wellbeing.self_defence wellbeing.massage wellbeing.osteopathy wellbeing.acupuncture
        pets.veterinary pets.pet_friendly""",
    "sector": """psychotherapy medical_clinics lawyers employment hotels private_detox
        groceries_pharmacies ground_transport beauty translation restaurants_bars financial
        air_transport fitness_self_defence alternative_medicine telecom cosmetic_surgery
        nutrition retail tattoo veterinarians community public_services""",
    "population": """women men trans_nonbinary lgbtq2s youth_12_17 youth_18_24 adults_25_plus
        first_nations_inuit immigrant_racialized no_legal_status homeless addiction
        sex_industry relatives""",
    "exploitation": """sexual forced_labour domestic_servitude forced_begging forced_marriage
        organ_removal""",
    "access": """free_or_reduced_cost fast_track mobile accompaniment_welcome open_24_7
        low_threshold harm_reduction pets_accepted wheelchair_access remote_service
        interpreter_available""",
}
REGIONS = [f"{n:02d}" for n in range(1, 18)]
PASSWORD_LINE = re.compile(r"^\s+(\S+@demo\.cote-a-cote\.invalid)\s+password: (\S+)$", re.M)


def _taxonomy_file() -> dict:
    return json.loads((SEEDS_DIR / "taxonomy.json").read_text(encoding="utf-8"))


def test_taxonomy_file_has_every_brief_term_with_both_labels():
    taxonomies = {t["code"]: t for t in _taxonomy_file()["taxonomies"]}
    assert set(taxonomies) == set(BRIEF)
    all_codes = [term["code"] for t in taxonomies.values() for term in t["terms"]]
    assert len(all_codes) == len(set(all_codes))
    for code, words in BRIEF.items():
        taxonomy = taxonomies[code]
        assert taxonomy["name_fr"].strip() and taxonomy["name_en"].strip()
        codes = {term["code"] for term in taxonomy["terms"]}
        assert {f"{code}.{word}" for word in words.split()} <= codes
        for term in taxonomy["terms"]:
            assert term["code"].startswith(f"{code}.")
            assert term["name_fr"].strip() and term["name_en"].strip(), term["code"]
            parent = term["code"].rsplit(".", 1)[0]
            assert parent == code or parent in codes, term["code"]  # sub-needs have a parent


def test_reference_fixture_loads_taxonomies_and_regions(reference):
    codes = set(db.session.scalars(select(Taxonomy.code)))
    assert codes == set(BRIEF)
    in_file = sum(len(t["terms"]) for t in _taxonomy_file()["taxonomies"])
    assert db.session.scalar(select(func.count(TaxonomyTerm.id))) == in_file
    term = db.session.scalar(select(TaxonomyTerm).where(TaxonomyTerm.code == "access.fast_track"))
    assert term.taxonomy.code == "access" and term.label("en") == "Fast track, no waiting list"


def test_regions_are_the_seventeen_plus_province_wide_and_outside(reference):
    regions = {r.code: r for r in db.session.scalars(select(Region))}
    assert set(regions) == {*REGIONS, "QC", "HQ"}
    assert regions["01"].name_fr == "Bas-Saint-Laurent"
    assert regions["06"].name_fr == "Montréal" and regions["13"].name_fr == "Laval"
    assert regions["17"].name_fr == "Centre-du-Québec"
    assert regions["QC"].name_fr == "Tout le Québec / à distance"
    assert regions["HQ"].name_fr == "Hors Québec" and regions["HQ"].label("en") == "Outside Québec"
    for code in REGIONS:
        assert regions[code].name_en
        assert 44.9 < regions[code].latitude < 62.6 and -79.6 < regions[code].longitude < -57
    assert [r.code for r in sorted(regions.values(), key=lambda r: r.position)][-2:] == [
        "QC",
        "HQ",
    ]


def test_load_reference_data_is_idempotent_and_updates_labels(reference):
    count = db.session.scalar(select(func.count()).select_from(TaxonomyTerm))
    term = db.session.scalar(select(TaxonomyTerm).where(TaxonomyTerm.code == "need.housing"))
    stamp = term.updated_at
    load_reference_data()
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(TaxonomyTerm)) == count
    assert term.updated_at == stamp
    term.name_en = "Something else"
    db.session.commit()
    load_reference_data()
    db.session.commit()
    assert term.name_en == "Housing search and long-term housing"


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_seed_demo_command_is_idempotent_and_shows_passwords_once(runner):
    first = runner.invoke(args=["seed-demo", "--if-empty"])  # an empty database gets loaded
    assert first.exit_code == 0, first.output
    passwords = dict(PASSWORD_LINE.findall(first.output))
    assert set(passwords) == {
        "admin@demo.cote-a-cote.invalid",
        "intervenante@demo.cote-a-cote.invalid",
        "pourvoyeur@demo.cote-a-cote.invalid",
    }
    counts = [_count(m) for m in (Organization, Service, Location, ServiceAttribute, Closure)]
    assert counts[0] >= 150 and counts[1] >= 250

    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0, second.output
    assert [
        _count(m) for m in (Organization, Service, Location, ServiceAttribute, Closure)
    ] == counts
    assert "already exist" in second.output and "0 rows created, 0 updated" in second.output
    assert not PASSWORD_LINE.search(second.output)
    assert not any(password in second.output for password in passwords.values())

    users = {u.email: u for u in db.session.scalars(select(User))}
    for email, password in passwords.items():
        assert users[email].password_hash.startswith("$argon2")
        assert verify_password(users[email].password_hash, password)
    admin = users["admin@demo.cote-a-cote.invalid"]
    intervenante = users["intervenante@demo.cote-a-cote.invalid"]
    provider = users["pourvoyeur@demo.cote-a-cote.invalid"]
    assert admin.role is Role.ADMIN and admin.organization.kind is OrganizationKind.COORDINATION
    assert intervenante.role is Role.INTERVENANTE
    assert intervenante.organization.kind is OrganizationKind.REFERRER
    assert provider.role is Role.PROVIDER and provider.organization.is_listed
    assert provider.organization.is_trained and provider.organization.services

    skipped = runner.invoke(args=["seed-demo", "--if-empty"])
    assert "already holds organisations" in skipped.output
    assert not PASSWORD_LINE.search(skipped.output)

    reset = runner.invoke(args=["seed-demo", "--reset-passwords"])
    renewed = dict(PASSWORD_LINE.findall(reset.output))
    assert set(renewed) == set(passwords)
    db.session.expire_all()
    assert not verify_password(admin.password_hash, passwords[admin.email])
    assert verify_password(admin.password_hash, renewed[admin.email])


@pytest.fixture
def demo(demo_data):
    """What seed_demo reported when it loaded the demo data this test starts from."""
    return demo_data


def _listed_services():
    return (
        select(Service)
        .join(Service.organization)
        .where(
            Organization.kind == OrganizationKind.PROVIDER,
            Organization.status == OrganizationStatus.APPROVED,
        )
    )


def test_demo_catalogue_covers_regions_sectors_and_needs(demo):
    listed = db.session.scalars(_listed_services()).all()
    providers = {s.organization for s in listed}
    assert len(providers) >= 150 and len(listed) >= 250
    assert demo.providers >= 150 and demo.services >= 250
    areas = {a.region_code for s in listed for a in s.areas}
    assert areas == {*REGIONS, "QC", "HQ"}
    assert {loc.region_code for s in listed for loc in s.locations} >= set(REGIONS)
    sectors = set(
        db.session.scalars(
            select(TaxonomyTerm.code).join(Taxonomy).where(Taxonomy.code == "sector")
        )
    )
    assert {p.sector.code for p in providers} == sectors
    used = {t.code for s in listed for t in s.terms}
    for taxonomy in ("need", "population", "exploitation", "access"):
        codes = set(
            db.session.scalars(
                select(TaxonomyTerm.code).join(Taxonomy).where(Taxonomy.code == taxonomy)
            )
        )
        assert codes <= used, codes - used
    languages = set(db.session.scalars(select(ServiceLanguage.code).distinct()))
    assert {"fr", "en", "es", "ar", "ht", "pt", "fa", "ru"} <= languages


def test_demo_catalogue_has_the_variety_of_real_data(demo):
    now = utcnow()
    orgs = db.session.scalars(select(Organization)).all()
    providers = [o for o in orgs if o.kind is OrganizationKind.PROVIDER]
    services = db.session.scalars(select(Service)).all()
    assert any(loc.is_confidential and loc.address_1 is None for o in orgs for loc in o.locations)
    assert any(s.capacity is CapacityStatus.PAUSED for s in services)
    assert any(s.capacity is CapacityStatus.WAITLIST and s.waitlist_weeks for s in services)
    assert any(s.is_24_7 and not s.schedules for s in services)
    assert any(s.is_remote for s in services)
    assert any(o.is_listed and not o.is_trained for o in providers)
    assert any(o.is_listed and o.last_verified_at < now - timedelta(days=183) for o in providers)
    assert any(o.is_listed and o.visibility is Visibility.INTERVENANTES for o in providers)
    assert {o.status for o in providers} > {OrganizationStatus.APPROVED}
    assert any(c.starts_on > now.date() for s in services for c in s.closures)
    assert any(s.minimum_age == 12 and s.maximum_age == 17 for s in services)
    assert any(s.name_en is None for s in services)  # French only
    assert any([lang.code for lang in s.languages] == ["en"] for s in services)  # English only
    assert sum(o.kind is OrganizationKind.REFERRER for o in orgs) >= 4


def test_demo_catalogue_says_it_is_fictional_and_uses_fictional_contacts(demo):
    for org in db.session.scalars(select(Organization)):
        assert org.is_fictional and org.external_id
        assert "fictif" in org.description_fr
        assert org.description_en is None or "Fictional" in org.description_en
        assert org.phone is None or "555-01" in org.phone
        assert org.email.endswith(("@example.org", ".invalid"))
    for service in db.session.scalars(select(Service)):
        assert "fictif" in service.description_fr and service.external_id
        assert service.description_en is None or "Fictional" in service.description_en
        assert service.phone is None or "555-01" in service.phone
        assert service.email is None or service.email.endswith("@example.org")


def test_demo_locations_are_gazetteer_places(demo):
    for location in db.session.scalars(select(Location)):
        place = find_municipality(location.municipality)
        assert place is not None, location.municipality
        assert place.region_code == location.region_code
        assert (
            haversine_km(place.latitude, place.longitude, location.latitude, location.longitude) < 2
        )


def test_reloading_repairs_changes_and_keeps_stale_profiles_stale(demo):
    service = db.session.scalar(select(Service).where(Service.external_id == "demo-svc-001"))
    original = service.name_fr
    service.name_fr = "Edited by hand"
    service.areas.append(ServiceArea(region_code="HQ"))
    db.session.flush()
    report = seed_demo(echo=lambda _line: None)
    assert report.created == 0 and report.updated == 1
    assert service.name_fr == original and "HQ" not in {a.region_code for a in service.areas}

    stale = db.session.scalars(
        select(Organization).where(Organization.last_verified_at < utcnow() - timedelta(days=183))
    ).all()
    with time_machine.travel(utcnow() + timedelta(days=365), tick=False):
        seed_demo(echo=lambda _line: None)
        for org in stale:
            assert org.last_verified_at < utcnow() - timedelta(days=183)
        assert min(o.last_verified_at for o in stale) > utcnow() - timedelta(days=600)


def test_every_term_has_search_keywords_in_both_languages(app, reference):
    keywords = json.loads((SEEDS_DIR / "taxonomy_keywords.json").read_text(encoding="utf-8"))
    seeded = keywords["keywords"]
    terms = db.session.scalars(select(TaxonomyTerm)).all()
    assert {t.code for t in terms} == set(seeded)
    for term in terms:
        taxonomy = term.code.split(".")[0]
        if taxonomy in ("need", "sector", "population", "access"):
            assert term.keywords_fr and term.keywords_en, term.code
        assert term.keywords_fr.splitlines() == seeded[term.code]["fr"]
        assert term.keywords_en.splitlines() == seeded[term.code]["en"]
    legal = next(t for t in terms if t.code == "need.legal")
    assert {"avocat", "juriste", "notaire", "aide juridique"} <= set(legal.keywords_fr.splitlines())
    assert {"lawyer", "attorney", "legal aid", "legal clinic"} <= set(
        legal.keywords_en.splitlines()
    )


def test_the_demo_report_has_fictional_highlights_for_the_last_complete_year(demo):
    from cote_a_cote.database import utcnow
    from cote_a_cote.reporting.models import ReportHighlight
    from cote_a_cote.reporting.year import year_of

    last_year = year_of(utcnow()).start_year - 1
    texts = db.session.scalars(
        select(ReportHighlight.text)
        .where(ReportHighlight.start_year == last_year)
        .order_by(ReportHighlight.quarter)
    ).all()
    assert len(texts) == 4 and all(t.endswith("(démo).") for t in texts)
    # Reloading keeps a text an administrator wrote.
    first = db.session.scalar(select(ReportHighlight).where(ReportHighlight.quarter == 1))
    first.text = "Texte écrit par l’équipe."
    seed_demo(echo=lambda _line: None)
    assert db.session.get(ReportHighlight, first.id).text == "Texte écrit par l’équipe."
