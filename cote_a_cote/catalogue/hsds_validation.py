"""Checking records against the official Open Referral HSDS 3.1 schemas (hsds_schema/).

The schemas are read once per process and compiled by jsonschema-rs; a record is a service with
its organisation, locations and children nested, validated against service.json, whose $refs
name the other objects' files. Formats (uuid, email, uri) are annotations in JSON Schema 2020-12
and are not asserted: ids from other platforms are rarely UUIDs, and the Québec profile checks
emails and web addresses itself. Each problem is returned as (field path, translated message).
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import jsonschema_rs
from flask_babel import gettext as _

SCHEMA_DIR = Path(__file__).with_name("hsds_schema")
OBJECTS = ("service", "organization", "service_at_location", "location")


@functools.cache
def _registry() -> jsonschema_rs.Registry:
    resources = []
    for path in sorted(SCHEMA_DIR.glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resources.append((schema["$id"], schema))
    return jsonschema_rs.Registry(resources)


@functools.cache
def validator(kind: str):
    """The compiled validator of one HSDS object: service, organization, location, …"""
    schema = json.loads((SCHEMA_DIR / f"{kind}.json").read_text(encoding="utf-8"))
    return jsonschema_rs.validator_for(schema, registry=_registry(), validate_formats=False)


def field_path(parts, prefix: str = "") -> str:
    """A record's field as messages name it: service_at_locations[0].location.id."""
    text = prefix
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def schema_problems(record, kind: str = "service") -> list[tuple[str, str]]:
    """(field, message) for each way record breaks the HSDS schema of kind; [] when valid."""
    found = []
    for error in validator(kind).iter_errors(record):
        path = list(error.instance_path)
        error_kind = error.kind
        if isinstance(error_kind, jsonschema_rs.ValidationErrorKind.Required):
            path.append(error_kind.property)
            message = _("missing: required by the HSDS 3.1 schema")
        elif isinstance(error_kind, jsonschema_rs.ValidationErrorKind.Type):
            expected = [_type_name(name) for name in _types(error_kind.types)]
            message = _("must be %(type)s (HSDS 3.1 schema)", type=_(" or ").join(expected))
        elif isinstance(error_kind, jsonschema_rs.ValidationErrorKind.Enum):
            values = ", ".join(json.dumps(value) for value in error_kind.options)
            message = _("must be one of %(values)s (HSDS 3.1 schema)", values=values)
        else:
            message = _("does not match the HSDS 3.1 schema: %(detail)s", detail=error.message)
        found.append((field_path(path), message))
    return found


def _types(types) -> list[str]:
    if isinstance(types, str):
        return [types]
    return [str(getattr(name, "value", name)) for name in types]


def _type_name(name: str) -> str:
    translated = {
        "string": _("a string"),
        "number": _("a number"),
        "integer": _("a whole number"),
        "array": _("a list"),
        "object": _("an object"),
        "boolean": _("true or false"),
        "null": _("null"),
    }
    return translated.get(name, name)
