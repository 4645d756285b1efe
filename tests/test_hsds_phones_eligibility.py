"""HSDS carries a service's text (SMS) number as a phone of type "text", its cost kind and the
populations it does not serve, both ways; the API shows them and stays valid."""

from __future__ import annotations

from sqlalchemy import select

from cote_a_cote.catalogue.hsds import record_id, service_to_hsds
from cote_a_cote.catalogue.models import Service
from cote_a_cote.extensions import db
from tests.test_hsds_import_export import app_config, record  # noqa: F401
from tests.test_hsds_import_export import run_import as run_import_fixture

run_import = run_import_fixture


def test_import_reads_voice_and_text_phones_cost_kind_and_exclusions(reference, run_import):
    data = record(
        1,
        phones=[
            {"id": "f", "number": "418 555-0100", "type": "fax"},
            {"id": "t", "number": "418 555-0111", "type": "text"},
            {"id": "v", "number": "418 555-0122", "type": "voice"},
        ],
        minimum_age=18,
    )
    data["quebec_profile"] = {
        "cost_kind": "free",
        "excluded_populations": ["population.men"],
    }
    result = run_import([data])
    assert result.exit_code == 0, result.output
    service = db.session.scalar(select(Service))
    assert (service.phone, service.text_phone) == ("418 555-0122", "418 555-0111")
    assert service.cost_kind == "free" and service.minimum_age == 18
    assert [t.code for t in service.excluded_populations] == ["population.men"]


def test_import_refuses_an_unknown_cost_kind_or_population(reference, run_import):
    data = record(1)
    data["quebec_profile"] = {"cost_kind": "cheap", "excluded_populations": ["need.legal"]}
    result = run_import([data])
    assert result.exit_code != 0
    assert "quebec_profile.cost_kind" in result.output
    assert "unknown population need.legal" in result.output
    assert db.session.scalar(select(Service)) is None


def test_export_and_api_carry_them(reference, make_service, client):
    service = make_service(
        None, "Ligne texto", phone="514 555-0100", text_phone="514 555-0199", cost_kind="reduced"
    )
    service.excluded_populations = []
    db.session.commit()
    exported = service_to_hsds(service)
    assert [(p["number"], p["type"]) for p in exported["phones"]] == [
        ("514 555-0100", "voice"),
        ("514 555-0199", "text"),
    ]
    assert exported["quebec_profile"]["cost_kind"] == "reduced"
    response = client.get(f"/api/hsds/services/{record_id(service)}")
    assert response.status_code == 200
    body = response.get_json()
    assert {"number": "514 555-0199", "type": "text"}.items() <= body["phones"][1].items()
    assert body["quebec_profile"]["excluded_populations"] == []
