"""import-hsds checks each record against the official HSDS 3.1 schema before the profile rules."""

from __future__ import annotations

from sqlalchemy import func, select

from cote_a_cote.catalogue.models import Organization, Service
from cote_a_cote.extensions import db
from tests.test_hsds_import_export import record

from .conftest import assert_refused


def _services() -> int:
    return db.session.scalar(select(func.count(Service.id)))


def test_a_record_missing_hsds_required_fields_is_refused(reference, import_file):
    incomplete = record(2)
    del incomplete["status"]
    del incomplete["organization"]["description"]
    del incomplete["service_at_locations"][0]["location"]["location_type"]
    result = import_file([record(1), incomplete])
    assert_refused(
        result,
        'Record 1 (id "svc-2"), field status: missing: required by the HSDS 3.1 schema',
        'Record 1 (id "svc-2"), field organization.description: missing: required by the HSDS',
        "field service_at_locations[0].location.location_type: missing: required by the HSDS",
    )
    assert "Record 0" not in result.output
    assert _services() == 0
    assert db.session.scalar(select(func.count(Organization.id))) == 0


def test_wrong_types_and_values_name_the_field(reference, import_file):
    broken = record(1, minimum_age="12", status="open")
    broken["service_at_locations"][0]["location"]["latitude"] = "46.8"
    result = import_file([broken])
    assert_refused(
        result,
        "field minimum_age: must be a number (HSDS 3.1 schema)",
        'field status: must be one of "active", "inactive", "defunct", "temporarily closed"',
        "field service_at_locations[0].location.latitude: must be a number (HSDS 3.1 schema)",
    )
    # The profile's own rules do not repeat what the schema said.
    assert result.output.count("minimum_age") == 1
    assert _services() == 0


def test_an_integer_id_breaks_the_schema(reference, import_file):
    result = import_file([record(1, id=7)])
    assert_refused(result, "Record 0 (id -), field id: must be a string (HSDS 3.1 schema)")


def test_schema_messages_are_translated(reference, import_file, app):
    app.config["BABEL_DEFAULT_LOCALE"] = "fr"
    incomplete = record(1)
    del incomplete["status"]
    result = import_file([incomplete])
    assert result.exit_code == 1
    where = 'Enregistrement 0 (id "svc-1"), champ status'
    assert f"{where}\u00a0: manquant\u00a0: exigé par le schéma HSDS 3.1" in result.output


def test_a_valid_file_still_imports(reference, import_file):
    result = import_file([record(1), record(2)])
    assert result.exit_code == 0, result.output
    assert _services() == 2


def test_an_attribute_may_name_its_term_by_the_nested_object_only(reference, import_file):
    # The published JSON schema requires only the attribute's id; taxonomy_term_id is required in
    # the tabular (CSV) form alone, so a file that nests the term is valid and imports.
    nested = record(1)
    for item in nested["attributes"]:
        del item["taxonomy_term_id"]
    result = import_file([nested])
    assert result.exit_code == 0, result.output
    assert _services() == 1
