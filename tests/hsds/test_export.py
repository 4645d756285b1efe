"""export-hsds reads rows with set-based queries: its records are what the API maps from models."""

from __future__ import annotations

import json
from datetime import date, time

import pytest
from sqlalchemy import delete, select

from cote_a_cote.catalogue import hsds_export
from cote_a_cote.catalogue.hsds import service_to_hsds
from cote_a_cote.catalogue.hsds_export import export_records
from cote_a_cote.catalogue.models import (
    Closure,
    Location,
    Schedule,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from cote_a_cote.catalogue.services import full_service_options
from cote_a_cote.extensions import db
from tests.test_hsds_import_export import TABLES


@pytest.fixture
def varied_catalogue(full_catalogue, make_service):
    """full_catalogue, plus what it lacks: two locations, exclusions, ties in every ordering."""
    shelter, clinic = full_catalogue
    terms = {t.code: t for t in db.session.scalars(select(TaxonomyTerm))}
    second = Location(
        organization=clinic.organization,
        municipality="Laval",
        region_code="13",
        address_1="2 rue B",
        postal_code="H7N 1A1",
    )
    db.session.add(second)
    db.session.flush()
    db.session.add(ServiceAtLocation(service_id=clinic.id, location_id=second.id))
    clinic.text_phone = "514-555-0199"
    clinic.excluded_populations = [terms["population.youth_12_17"], terms["population.men"]]
    # Terms of several taxonomies share positions: the order must not depend on the plan.
    clinic.terms = [terms["need.legal"], terms["access.fast_track"], terms["need.housing"]]
    clinic.schedules = [
        Schedule(weekday=2, opens_at=time(13), closes_at=time(17)),
        Schedule(weekday=2, opens_at=time(9), closes_at=time(12)),
    ]
    clinic.closures = [
        Closure(starts_on=date(2026, 1, 5), ends_on=date(2026, 1, 6), note_fr="Inventaire"),
        Closure(
            starts_on=date(2026, 1, 5),
            ends_on=date(2026, 1, 5),
            closed_from=time(12),
            closed_until=time(13),
            note_en="Staff meeting",
        ),
    ]
    # A fourth service after the draft one: a batch of three listed services (ids read as a
    # range) then spans the draft's rows, which must stay out.
    make_service(name_fr="Service fictif à distance", regions=("HQ", "QC"), languages=())
    db.session.commit()
    return shelter, clinic


def _from_models(scope_ids: list[int], reveal: bool) -> list[dict]:
    db.session.expire_all()
    query = (select(Service).where(Service.id.in_(scope_ids)).order_by(Service.id)).options(
        *full_service_options()
    )
    return [service_to_hsds(s, reveal_confidential=reveal) for s in db.session.scalars(query)]


def test_export_records_equal_the_mapping_of_the_models(varied_catalogue, monkeypatch):
    # Batches of three: services span batches ("all"), a batch spans an unlisted one ("listed").
    monkeypatch.setattr(hsds_export, "EXPORT_BATCH", 3)
    everything = [s.id for s in db.session.scalars(select(Service))]
    for scope, count in (("public", 2), ("listed", 3), ("all", 4)):
        for reveal in (False, True):
            records = list(export_records(scope, reveal_confidential=reveal))
            ids = {r["id"] for r in records}
            expected = [r for r in _from_models(everything, reveal) if r["id"] in ids]
            assert len(records) == count, scope
            assert records == expected, (scope, reveal)


def test_the_exported_file_is_the_records_as_json(varied_catalogue, runner, tmp_path):
    path = tmp_path / "out.json"
    args = ["export-hsds", str(path), "--scope", "all"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "4 services written" in result.output
    on_disk = json.loads(path.read_text(encoding="utf-8"))
    assert on_disk == list(export_records("all"))
    clinic = next(r for r in on_disk if r["name"] == "Clinique fictive")
    terms = db.session.scalars(
        select(TaxonomyTerm).where(
            TaxonomyTerm.code.in_(("need.legal", "access.fast_track", "need.housing"))
        )
    )
    by_position = [t.code for t in sorted(terms, key=lambda t: (t.position, t.id))]
    assert [a["taxonomy_term"]["code"] for a in clinic["attributes"]] == by_position
    assert [(s["byday"], s["opens_at"]) for s in clinic["schedules"]] == [
        ("TU", "09:00"),
        ("TU", "13:00"),
    ]
    places = [link["location"] for link in clinic["service_at_locations"]]
    assert [place["quebec_profile"]["municipality"] for place in places] == ["Montréal", "Laval"]
    # Montréal's street has no postal code: no HSDS address, the street kept in the profile.
    assert "addresses" not in places[0]
    assert places[0]["quebec_profile"]["address_1"] == "1 rue A"
    assert places[1]["addresses"][0]["postal_code"] == "H7N 1A1"
    assert clinic["quebec_profile"]["excluded_populations"] == [
        "population.men",
        "population.youth_12_17",
    ]
    assert [c.get("note") for c in clinic["quebec_profile"]["closures"]] == ["Inventaire", None]


def test_a_shelter_exported_without_its_address_comes_back_with_its_town(
    full_catalogue, runner, import_file, tmp_path
):
    path = tmp_path / "out.json"
    assert runner.invoke(args=["export-hsds", str(path), "--scope", "all"]).exit_code == 0
    data = json.loads(path.read_text(encoding="utf-8"))
    shelter = next(r for r in data if r["name"] == "Hébergement fictif")
    location = shelter["service_at_locations"][0]["location"]
    assert "addresses" not in location
    assert location["quebec_profile"]["municipality"] == "Rimouski"
    for model in reversed(TABLES):
        db.session.execute(delete(model))
    db.session.commit()
    result = import_file(data, "--status", "from-file")
    assert result.exit_code == 0, result.output
    place = db.session.scalars(select(Location).where(Location.municipality == "Rimouski")).one()
    assert (place.region_code, place.is_confidential) == ("01", True)
    assert place.address_1 is None and place.postal_code is None and place.latitude is None
