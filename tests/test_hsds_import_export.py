"""flask import-hsds / export-hsds: checks naming record and field, all or nothing, round trip."""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import delete, func, select

from cote_a_cote.catalogue.models import (
    CapacityStatus,
    Closure,
    Location,
    Organization,
    OrganizationKind,
    OrganizationStatus,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceAttribute,
    ServiceLanguage,
    TaxonomyTerm,
    Visibility,
)
from cote_a_cote.extensions import db

TABLES = (
    Organization,
    Service,
    Location,
    ServiceAtLocation,
    ServiceAttribute,
    ServiceLanguage,
    ServiceArea,
    Schedule,
    Closure,
)


@pytest.fixture
def app_config():
    """These tests read the operator messages in English (the CLI speaks the default locale)."""
    return {"BABEL_DEFAULT_LOCALE": "en"}


def attribute(attribute_id: str, term: dict) -> dict:
    """An HSDS 3.1 attribute: the schema wants ids for it and its term, a name and a description."""
    term_id = term.get("id", f"term-{attribute_id}")
    full = {"id": term_id, "name": term.get("code"), "description": "Terme fictif."} | term
    return {"id": attribute_id, "taxonomy_term_id": term_id, "taxonomy_term": full}


def record(number: int = 1, **changes) -> dict:
    """A valid HSDS service as another directory would send it (fictional data)."""
    data = {
        "id": f"svc-{number}",
        "name": f"Clinique juridique fictive {number}",
        "description": "Consultations gratuites (donnée fictive).",
        "status": "active",
        "organization": {
            "id": f"org-{number}",
            "name": f"Organisme fictif {number}",
            "description": "Un organisme fictif.",
            "phones": [{"id": "p1", "number": "418-555-0199"}],
        },
        "languages": [{"id": "l1", "code": "fr"}, {"id": "l2", "name": "Spanish"}],
        "service_areas": [
            {"id": "a1", "name": "Capitale-Nationale"},
            {"id": "a2", "quebec_profile": {"region_code": "QC"}},
        ],
        "service_at_locations": [
            {
                "id": "sal1",
                "location": {
                    "id": f"loc-{number}",
                    "location_type": "physical",
                    "latitude": 46.81,
                    "longitude": -71.21,
                    "addresses": [
                        {
                            "id": "ad1",
                            "address_1": "1 rue Fictive",
                            "city": "Québec",
                            "region": "Capitale-Nationale",
                            "postal_code": "G1R 1A1",
                            "state_province": "QC",
                            "country": "CA",
                            "address_type": "physical",
                        }
                    ],
                },
            }
        ],
        "schedules": [
            {
                "id": "s1",
                "freq": "WEEKLY",
                "byday": "MO,WE",
                "opens_at": "09:00",
                "closes_at": "16:30:00-05:00",
            }
        ],
        "attributes": [
            attribute("t1", {"code": "need.legal"}),
            attribute("t2", {"name": "Soins dentaires"}),
            attribute(
                "t3",
                {
                    "name": "Interpreting",
                    "code": "ext-42",
                    "quebec_profile": {
                        "translations": {"en": {"name": "Translation and interpreting"}}
                    },
                },
            ),
        ],
    }
    data.update(changes)
    return data


def counts() -> dict[str, int]:
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in TABLES
    }


@pytest.fixture
def run_import(runner, tmp_path):
    def invoke(data, *options, raw: str | None = None):
        path = tmp_path / "import.json"
        path.write_text(raw if raw is not None else json.dumps(data), encoding="utf-8")
        result = runner.invoke(args=["import-hsds", str(path), *options])
        db.session.expire_all()
        return result

    return invoke


def test_import_creates_the_catalogue(reference, run_import):
    result = run_import([record(1), record(2)])
    assert result.exit_code == 0, result.output
    service = db.session.scalar(select(Service).where(Service.external_id == "svc-1"))
    assert service.name_fr == "Clinique juridique fictive 1"
    organization = service.organization
    assert (organization.external_id, organization.phone) == ("org-1", "418-555-0199")
    assert organization.kind is OrganizationKind.PROVIDER
    # Organisations from another directory are not vetted here yet.
    assert organization.status is OrganizationStatus.SUBMITTED
    assert "imported as awaiting vetting" in result.output
    assert organization.visibility is Visibility.PUBLIC
    assert sorted(t.code for t in service.terms) == [
        "need.interpreting",
        "need.legal",
        "need.physical_health.dental",
    ]
    assert sorted(lang.code for lang in service.languages) == ["es", "fr"]
    assert sorted(area.region_code for area in service.areas) == ["03", "QC"]
    assert [(s.weekday, s.opens_at, s.closes_at) for s in service.schedules] == [
        (1, time(9), time(16, 30)),
        (3, time(9), time(16, 30)),
    ]
    [location] = service.locations
    assert (location.municipality, location.region_code, location.latitude) == (
        "Québec",
        "03",
        46.81,
    )
    assert counts()["Service"] == 2


def test_reimport_is_idempotent(reference, run_import):
    assert run_import([record(1), record(2)]).exit_code == 0
    before = counts()
    changed = record(1, name="Nouveau nom fictif")
    result = run_import([changed, record(2)])
    assert result.exit_code == 0, result.output
    assert "0 created, 2 updated" in result.output
    assert counts() == before
    assert db.session.scalar(select(Service.name_fr).where(Service.external_id == "svc-1")) == (
        "Nouveau nom fictif"
    )


def _without(data: dict, *path):
    data = copy.deepcopy(data)
    target = data
    for key in path[:-1]:
        target = target[key]
    del target[path[-1]]
    return data


def _with(data: dict, value, *path):
    data = copy.deepcopy(data)
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


LOCATION = ("service_at_locations", 0, "location")


@pytest.mark.parametrize(
    ("broken", "field", "detail"),
    [
        (_without(record(2), "name"), "field name:", None),
        (_without(record(2), "organization", "name"), "field organization.name:", None),
        (
            _with(record(2), "Narnia", "service_areas", 0, "name"),
            "field service_areas[0]:",
            "Narnia",
        ),
        (
            _with(record(2), "Atlantide", *LOCATION, "addresses", 0, "region"),
            "field service_at_locations[0].location.addresses[0].region:",
            "Atlantide",
        ),
        (
            _with(record(2), "need.unicorns", "attributes", 0, "taxonomy_term", "code"),
            "field attributes[0]:",
            "need.unicorns",
        ),
        (_with(record(2), 95.0, *LOCATION, "latitude"), "location.latitude:", "95"),
        (_with(record(2), -200, *LOCATION, "longitude"), "location.longitude:", "-200"),
        # Unsigned longitude: a valid degree, but in Asia for a location in Capitale-Nationale.
        (_with(record(2), 71.21, *LOCATION, "longitude"), "location.longitude:", "71.21"),
        (_with(record(2), "zz9", "languages", 0, "code"), "field languages[0].code:", "zz9"),
        (
            _with(record(2), {"status": "archived"}, "organization", "quebec_profile"),
            "field organization.quebec_profile.status:",
            None,
        ),
        (_with(record(2), "", *LOCATION, "addresses", 0, "city"), "addresses[0].city:", None),
        (_with(record(2), "MO,XX", "schedules", 0, "byday"), "field schedules[0].byday:", None),
    ],
)
def test_a_bad_record_names_record_and_field_and_writes_nothing(
    reference, run_import, broken, field, detail
):
    result = run_import([record(1), broken])
    assert result.exit_code == 1
    assert 'Record 1 (id "svc-2")' in result.output
    assert field in result.output
    if detail:
        assert detail in result.output
    assert counts() == dict.fromkeys(counts(), 0)


def test_every_problem_is_reported_at_once(reference, run_import):
    broken = _with(_without(record(1), "name"), "Narnia", "service_areas", 0, "name")
    broken["languages"] = [{"code": "qq"}]
    result = run_import([broken, {"name": "sans id"}])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("Record")]
    # Record 0: name, area, language; record 1: id and organization.
    assert len(lines) == 5, result.output


def test_unmapped_terms_are_listed(reference, run_import):
    broken = record(1)
    broken["attributes"].append(attribute("x", {"name": "Astrologie"}))
    result = run_import([broken])
    assert result.exit_code == 1
    assert "Astrologie" in result.output.splitlines()[-2]


def test_malformed_json_gives_line_and_column(reference, run_import):
    result = run_import(None, raw='[\n  {"id": "svc-1",\n   "name": }\n]')
    assert result.exit_code == 1
    assert "line 3, column 12" in result.output
    assert counts()["Organization"] == 0


def test_dry_run_writes_nothing(reference, run_import):
    result = run_import([record(1)], "--dry-run")
    assert result.exit_code == 0, result.output
    assert counts()["Service"] == 0


def test_profile_fields_are_imported(reference, run_import):
    data = record(1)
    data["organization"]["quebec_profile"] = {
        "status": "suspended",
        "visibility": "intervenantes",
        "sector": "sector.lawyers",
        "trained": True,
        "last_verified": "2025-01-31T12:00:00+00:00",
    }
    data["quebec_profile"] = {
        "capacity": {"status": "waitlist", "waitlist_weeks": 6},
        "open_24_7": True,
        "translations": {"en": {"name": "Fictional legal clinic"}},
        "closures": [{"starts_on": "2025-12-24", "ends_on": "2026-01-02", "note": "Fêtes"}],
    }
    assert run_import([data], "--status", "from-file").exit_code == 0
    service = db.session.scalar(select(Service))
    organization = service.organization
    assert organization.status is OrganizationStatus.SUSPENDED
    assert organization.visibility is Visibility.INTERVENANTES
    assert organization.sector.code == "sector.lawyers"
    assert organization.is_trained is True
    assert organization.last_verified_at == datetime(2025, 1, 31, 12, tzinfo=UTC)
    assert (service.capacity, service.waitlist_weeks) == (CapacityStatus.WAITLIST, 6)
    assert (service.is_24_7, service.name_en) == (True, "Fictional legal clinic")
    assert [(c.starts_on, c.note_fr) for c in service.closures] == [(date(2025, 12, 24), "Fêtes")]


# --- Export and round trip -----------------------------------------------------------------------


@pytest.fixture
def full_catalogue(reference, make_org, make_service):
    """Every kind of field the export carries, including a confidential shelter."""
    sector = db.session.scalar(select(TaxonomyTerm).where(TaxonomyTerm.code == "sector.community"))
    shelter_org = make_org(
        name="Maison fictive",
        sector_id=sector.id,
        visibility=Visibility.INTERVENANTES,
        last_verified_at=datetime(2025, 2, 1, tzinfo=UTC),
        partner_since=date(2024, 4, 1),
        is_fictional=True,
    )
    with db.session.no_autoflush:
        shelter = make_service(
            organization=shelter_org,
            name_fr="Hébergement fictif",
            name_en="Fictional shelter",
            description_fr="Hébergement d'urgence.",
            terms=("need.safety_shelter", "access.open_24_7"),
            regions=("01", "11"),
            languages=("fr", "en", "iu"),
            location={
                "name": "Refuge",
                "address_1": "9 rue Cachée",
                "postal_code": "G5L 1A1",
                "municipality": "Rimouski",
                "region_code": "01",
                "latitude": 48.45,
                "longitude": -68.52,
                "is_confidential": True,
            },
            capacity=CapacityStatus.PAUSED,
            is_24_7=True,
        )
        clinic = make_service(
            name_fr="Clinique fictive",
            terms=("need.physical_health.dental",),
            location={
                "municipality": "Montréal",
                "region_code": "06",
                "address_1": "1 rue A",
                "latitude": 45.5,
                "longitude": -73.56,
            },
            minimum_age=18,
            phone="514-555-0123",
            cost_fr="Gratuit",
        )
        make_service(organization=make_org(status=OrganizationStatus.DRAFT), name_fr="Brouillon")
    shelter.schedules = [Schedule(weekday=d, opens_at=time(8), closes_at=time(20)) for d in (1, 5)]
    shelter.closures = [Closure(starts_on=date(2025, 12, 24), ends_on=date(2025, 12, 26))]
    db.session.commit()
    return shelter, clinic


def snapshot() -> list[tuple]:
    """The catalogue as comparable values, without database keys."""
    db.session.expire_all()
    rows = []
    for service in db.session.scalars(select(Service)):
        org = service.organization
        rows.append(
            (
                org.name,
                org.status,
                org.visibility,
                org.sector_id,
                org.last_verified_at,
                org.partner_since,
                org.is_fictional,
                org.is_trained,
                service.name_fr,
                service.name_en,
                service.description_fr,
                service.cost_fr,
                service.minimum_age,
                service.phone,
                service.capacity,
                service.is_24_7,
                service.capacity_updated_at,
                sorted(t.code for t in service.terms),
                sorted(lang.code for lang in service.languages),
                sorted(a.region_code for a in service.areas),
                sorted((s.weekday, s.opens_at, s.closes_at) for s in service.schedules),
                sorted((c.starts_on, c.ends_on, c.note_fr) for c in service.closures),
                sorted(
                    (
                        loc.name,
                        loc.address_1,
                        loc.postal_code,
                        loc.municipality,
                        loc.region_code,
                        loc.latitude,
                        loc.longitude,
                        loc.is_confidential,
                    )
                    for loc in service.locations
                ),
            )
        )
    return sorted(rows, key=repr)


def _drop_times(value):
    if isinstance(value, dict):
        return {k: _drop_times(v) for k, v in value.items() if k != "updated_at"}
    if isinstance(value, list):
        return [_drop_times(v) for v in value]
    return value


def test_export_then_import_into_an_empty_catalogue_reproduces_it(full_catalogue, runner, tmp_path):
    first = tmp_path / "first.json"
    args = ["--scope", "all", "--include-confidential-addresses"]
    result = runner.invoke(args=["export-hsds", str(first), *args])
    assert result.exit_code == 0, result.output
    before = snapshot()
    for model in reversed(TABLES):
        db.session.execute(delete(model))
    db.session.commit()
    assert snapshot() == []
    result = runner.invoke(args=["import-hsds", str(first), "--status", "from-file"])
    assert result.exit_code == 0, result.output
    assert snapshot() == before
    second = tmp_path / "second.json"
    assert runner.invoke(args=["export-hsds", str(second), *args]).exit_code == 0
    exported = json.loads(first.read_text(encoding="utf-8"))
    assert len(exported) == 3
    assert _drop_times(json.loads(second.read_text(encoding="utf-8"))) == _drop_times(exported)


def test_default_export_is_listed_services_without_confidential_addresses(
    full_catalogue, runner, tmp_path
):
    path = tmp_path / "out.json"
    assert runner.invoke(args=["export-hsds", str(path)]).exit_code == 0
    text = path.read_text(encoding="utf-8")
    names = {service["name"] for service in json.loads(text)}
    assert names == {"Hébergement fictif", "Clinique fictive"}
    assert "9 rue Cachée" not in text and "G5L 1A1" not in text and "48.45" not in text
    public = tmp_path / "public.json"
    assert runner.invoke(args=["export-hsds", str(public), "--scope", "public"]).exit_code == 0
    assert [s["name"] for s in json.loads(public.read_text(encoding="utf-8"))] == [
        "Clinique fictive"
    ]


def test_imported_ids_are_the_api_ids(reference, run_import, client):
    assert run_import([record(1)], "--status", "approved").exit_code == 0
    body = client.get("/api/hsds/services/svc-1").get_json()
    assert (body["id"], body["organization"]["id"]) == ("svc-1", "org-1")
    assert body["service_at_locations"][0]["location"]["id"] == "loc-1"
    assert client.get("/api/hsds/organizations/org-1").status_code == 200
