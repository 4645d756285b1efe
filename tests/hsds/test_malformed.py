"""Malformed files get a message naming record, id and field, exit status 1, and write nothing."""

from __future__ import annotations

import codecs
import json

import pytest
from sqlalchemy import func, select

from cote_a_cote.catalogue.models import Organization, Service
from cote_a_cote.extensions import db
from tests.test_hsds_import_export import record

from .conftest import assert_refused


def _services() -> int:
    return db.session.scalar(select(func.count()).select_from(Service))


def _text(records: list) -> str:
    return json.dumps(records, ensure_ascii=False)


@pytest.mark.parametrize(
    ("literal", "reason"),
    [
        ("NaN", "NaN and Infinity are not numbers in JSON"),
        ("Infinity", "NaN and Infinity are not numbers in JSON"),
        ("-Infinity", "NaN and Infinity are not numbers in JSON"),
        ("1e400", "a number too large"),
        ("1" + "0" * 400, "a number too large"),
    ],
)
def test_numbers_json_cannot_hold_are_named(reference, import_file, literal, reason):
    text = _text([record(1), record(2, minimum_age=12345)]).replace("12345", literal)
    result = import_file(raw=text.encode())
    assert_refused(result, 'Record 1 (id "svc-2"), field minimum_age', reason)
    assert _services() == 0


def test_a_malformed_number_inside_a_location_names_the_nested_field(reference, import_file):
    data = record(1)
    data["service_at_locations"][0]["location"]["latitude"] = 12345
    result = import_file(raw=_text([data]).replace("12345", "NaN").encode())
    assert_refused(result, 'Record 0 (id "svc-1"), field service_at_locations[0].location.latitude')


def test_deep_nesting_in_a_record_is_refused(reference, import_file):
    nested = json.dumps("x")
    for _level in range(200):
        nested = f'{{"a": {nested}}}'
    text = _text([record(1), record(2, description="@@")]).replace('"@@"', nested)
    result = import_file(raw=text.encode())
    assert_refused(result, 'Record 1 (id "svc-2"), field description.a.a', "32 levels deep")
    assert _services() == 0


def test_a_nesting_bomb_is_refused_without_exhausting_memory(reference, import_file):
    result = import_file(raw=b"[" * 200_000)
    assert_refused(result, "Record 0 (id -)", "32 levels deep")


@pytest.mark.parametrize(
    ("encode", "expected"),
    [
        (lambda text: text.encode("latin-1"), "not UTF-8 text"),
        (lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"), "UTF-16: save it as UTF-8"),
        (lambda text: codecs.BOM_UTF32_BE + text.encode("utf-32-be"), "UTF-32: save it as UTF-8"),
    ],
)
def test_wrong_encodings_are_named(reference, import_file, encode, expected):
    result = import_file(raw=encode(_text([record(1)])))
    assert_refused(result, expected)
    assert _services() == 0


def test_latin1_bytes_name_the_record_and_field(reference, import_file):
    result = import_file(raw=_text([record(1)]).encode("latin-1"))
    # The first non-ASCII character is the accent of "donnée" in the description.
    assert_refused(result, 'Record 0 (id "svc-1"), field description', "not UTF-8 text")


def test_a_utf8_bom_is_accepted(reference, import_file):
    result = import_file(raw=codecs.BOM_UTF8 + _text([record(1)]).encode("utf-8"))
    assert result.exit_code == 0, result.output
    assert _services() == 1


def test_duplicate_ids_name_both_records(reference, import_file):
    result = import_file([record(1), record(2), record(1, name="Autre nom fictif")])
    assert_refused(result, 'Record 2 (id "svc-1"), field id: the same id is used by record 0')
    assert _services() == 0


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b'{"services": []}', "must hold a JSON list of HSDS services"),
        (b'"just text"', "must hold a JSON list of HSDS services"),
        (b"", "not valid JSON"),
        (b'[{"id": "svc-1", "name": "Clinique"', "ends in the middle of a value"),
    ],
)
def test_files_that_are_not_a_list_of_services(reference, import_file, raw, expected):
    assert_refused(import_file(raw=raw), expected)


def test_an_hsds_page_envelope_is_read(reference, import_file):
    page = {"total_items": 2, "contents": [record(1), record(2)], "page_number": 1}
    result = import_file(page, "--status", "approved")
    assert result.exit_code == 0, result.output
    assert _services() == 2
    assert db.session.scalar(select(func.count()).select_from(Organization)) == 2


@pytest.mark.parametrize("escape", ["\\ud800", "\\udbff", "\\udc00", "\\udfff"])
def test_a_lone_surrogate_is_refused_with_line_and_column(reference, import_file, escape):
    """JSON may escape UTF-16 halves, but one without its pair is no character: never "?"."""
    first = _text([record(1)])
    second = _text([record(2)]).replace("Clinique juridique", f"Clinique {escape} juridique")
    raw = f"[{first[1:-1]},\n{second[1:-1]}]".encode()
    column = raw.split(b"\n")[1].index(escape.encode()) + 1
    result = import_file(raw=raw)
    assert_refused(
        result,
        f"The file holds {escape}, half of a UTF-16 surrogate pair, which is no character "
        f"(line 2, column {column})",
    )
    assert _services() == 0


def test_a_surrogate_pair_and_an_escaped_backslash_are_text(reference, import_file):
    raw = (
        _text([record(1)])
        .replace("Clinique juridique", "Clinique \\ud83d\\ude00 juridique")
        .replace("Consultations", "Consultations \\\\ud800")
        .encode()
    )
    result = import_file(raw=raw)
    assert result.exit_code == 0, result.output
    service = db.session.scalar(select(Service))
    assert service.name_fr == "Clinique \U0001f600 juridique fictive 1"
    assert service.description_fr.startswith("Consultations \\ud800")
