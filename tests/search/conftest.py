"""A small fixed catalogue to search, written once for every search test (fictional data)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select

from cote_a_cote.catalogue.models import (
    CapacityStatus,
    Closure,
    OrganizationStatus,
    Schedule,
    Service,
    TaxonomyTerm,
    Visibility,
)
from cote_a_cote.extensions import db
from cote_a_cote.search.query import Audience, SearchParams, search_services
from tests.conftest import TEST_DATABASE_URL, new_org, new_service, snapshot_fixture

# Modules every search backend must pass alike (the conformance suite); the others test what only
# the Whoosh index has (its files, its writer lock) and run on Whoosh only.
CONFORMANCE = {
    "test_matching",
    "test_filters",
    "test_distance",
    "test_visibility",
    "test_widen",
    "test_near",
    "test_eligibility",
    "test_languages",
    "test_cards",
    "test_page",
    "test_query_text",
    "test_synonyms",
    "test_relevance",
    "test_name_order",
}
# The PostgreSQL backend needs a PostgreSQL database: it joins the conformance runs when the
# suite runs on one (TEST_DATABASE_URL, as the second pass of .ci/run does).
BACKENDS = ("whoosh", "postgresql") if TEST_DATABASE_URL else ("whoosh",)
# Modules about PostgreSQL itself (its rows, two app servers sharing them): collected only when
# the suite runs on PostgreSQL, and only with its backend.
POSTGRESQL_ONLY = {"test_postgresql", "test_two_servers"}
collect_ignore = [] if TEST_DATABASE_URL else [f"{module}.py" for module in POSTGRESQL_ONLY]


def pytest_generate_tests(metafunc):
    if "search_backend" in metafunc.fixturenames:
        module = metafunc.module.__name__.rsplit(".", 1)[-1]
        if module in POSTGRESQL_ONLY:
            backends = ("postgresql",)
        else:
            backends = BACKENDS if module in CONFORMANCE else BACKENDS[:1]
        metafunc.parametrize("search_backend", backends, indirect=True)


@pytest.fixture(autouse=True)
def search_backend(request):
    """The backend answering this test: each conformance test runs once per available backend."""
    return request.param


@pytest.fixture
def app_config(search_backend):
    return {"SEARCH_BACKEND": search_backend}


MONTREAL = (45.5017, -73.5673)
LAVAL = (45.6066, -73.7124)
LONGUEUIL = (45.5312, -73.5181)
QUEBEC = (46.8139, -71.2080)
SHERBROOKE = (45.4042, -71.8929)
RIMOUSKI = (48.4489, -68.5237)
NOW = datetime(2025, 3, 12, 15, 0, tzinfo=UTC)  # a Wednesday, 11:00 in Montréal (EDT)


def place(municipality: str, point: tuple[float, float], region: str, **fields) -> dict:
    return {
        "municipality": municipality,
        "latitude": point[0],
        "longitude": point[1],
        "region_code": region,
        **fields,
    }


@pytest.fixture
def add_service(reference, make_service):
    """make_service, without the autoflush warning its term lookup trips on a pending service."""

    def factory(*args, **kwargs):
        with db.session.no_autoflush:
            return make_service(*args, **kwargs)

    return factory


def _add_service(*args, **kwargs) -> Service:
    with db.session.no_autoflush:
        return new_service(*args, **kwargs)


@snapshot_fixture
def search_catalogue() -> dict[str, int]:
    """The ids of the catalogue's services (built once, restored for each test)."""
    make_org, make_service = new_org, _add_service
    recent = NOW - timedelta(days=30)
    legal = make_org(
        "Cabinet Duval", is_trained=True, last_verified_at=recent, sector=term("sector.lawyers")
    )
    s = {}
    # French only, tagged lawyer: found by "lawyer" through the taxonomy.
    s["lawyer"] = make_service(
        legal,
        "Avocate en droit de l'immigration",
        terms=("need.legal.lawyer", "need.legal.immigration", "population.women"),
        regions=("06",),
        languages=("fr", "es"),
        description_fr="Une avocate vous représente devant le tribunal.",
        location=place("Montréal", MONTREAL, "06", address_1="100 rue Principale"),
    )
    s["court"] = make_service(
        legal,
        "Accompagnement à la cour",
        terms=("need.legal.court_accompaniment", "exploitation.sexual"),
        regions=("03",),
        capacity=CapacityStatus.WAITLIST,
        waitlist_weeks=3,
        location=place("Québec", QUEBEC, "03"),
    )
    # Written only in English: found by "interprète"; province-wide and remote.
    s["interpreting"] = make_service(
        make_org("Language Bridge", sector=term("sector.translation")),
        "Community interpreting",
        terms=("need.interpreting", "access.interpreter_available"),
        regions=("QC",),
        languages=("en", "ar"),
        description_en="Interpreters on call, in person or by phone.",
        is_remote=True,
    )
    s["housing"] = make_service(
        make_org("Maison Passerelle"),
        "Logements de transition",
        terms=("need.housing", "access.free_or_reduced_cost", "population.youth_18_24"),
        regions=("13",),
        description_fr="Nous offrons un logement supervisé pour un an.",
        location=place("Laval", LAVAL, "13"),
    )
    s["therapy"] = make_service(
        make_org("Clinique Estrie", is_trained=True),
        "Thérapie individuelle",
        terms=("need.mental_health.psychotherapy", "access.fast_track"),
        regions=("05",),
        languages=("fr", "en"),
        description_fr="Psychothérapie sans liste d'attente.",
        location=place("Sherbrooke", SHERBROOKE, "05"),
    )
    # Seen by intervenantes only; a shelter whose address is confidential.
    s["shelter"] = make_service(
        make_org("Refuge Aurore", visibility=Visibility.INTERVENANTES),
        "Hébergement d'urgence",
        terms=("need.safety_shelter", "population.women", "exploitation.sexual"),
        regions=("16",),
        is_24_7=True,
        location=place(
            "Longueuil", LONGUEUIL, "16", address_1="12 rue Cachée", is_confidential=True
        ),
    )
    s["dental"] = make_service(
        make_org("Sourire Rimouski"),
        "Clinique dentaire",
        terms=("need.physical_health.dental", "access.wheelchair_access"),
        regions=("01",),
        capacity=CapacityStatus.PAUSED,
        location=place("Rimouski", RIMOUSKI, "01"),
    )
    # Remote only, no address: a label instead of a distance.
    s["helpline"] = make_service(
        make_org("Écoute Solidaire"),
        "Ligne d'écoute",
        terms=("need.peer_support",),
        regions=("06",),
        is_remote=True,
    )
    # Never found: providers that are not approved.
    s["draft"] = make_service(
        make_org("Brouillon", status=OrganizationStatus.DRAFT),
        "Avocat brouillon",
        terms=("need.legal.lawyer",),
    )
    s["suspended"] = make_service(
        make_org("Suspendue", status=OrganizationStatus.SUSPENDED),
        "Avocat suspendu",
        terms=("need.legal.lawyer",),
    )
    therapy = s["therapy"]
    therapy.schedules = [
        Schedule(weekday=3, opens_at=time(9, 0), closes_at=time(17, 0)),
        Schedule(weekday=4, opens_at=time(9, 0), closes_at=time(12, 0)),
    ]
    s["dental"].schedules = [Schedule(weekday=3, opens_at=time(8, 0), closes_at=time(12, 0))]
    s["dental"].closures = [Closure(starts_on=NOW.date(), ends_on=NOW.date() + timedelta(days=2))]
    db.session.commit()
    return {name: service.id for name, service in s.items()}


@pytest.fixture
def catalogue(search_catalogue) -> dict[str, Service]:
    """Services by short name; see each comment in search_catalogue for what it is there to
    prove."""
    return {name: db.session.get(Service, id_) for name, id_ in search_catalogue.items()}


def term(code: str) -> TaxonomyTerm:
    return db.session.scalars(select(TaxonomyTerm).where(TaxonomyTerm.code == code)).one()


def find(q: str = "", audience: Audience = Audience.INTERVENANTE, **filters) -> list[int]:
    """Ids found, in order."""
    params = SearchParams(q=q, per_page=100, **filters)
    return search_services(params, audience).service_ids


def ids(services, *names) -> list[int]:
    return [services[name].id for name in names]
