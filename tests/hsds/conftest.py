"""Fixtures for the HSDS import/export tests: operator messages in English, a file importer."""

from __future__ import annotations

import json

import pytest

from cote_a_cote.extensions import db
from tests.test_hsds_import_export import full_catalogue  # noqa: F401 - shared fixture


@pytest.fixture
def app_config():
    """The CLI speaks the default locale; these tests read its English messages."""
    return {"BABEL_DEFAULT_LOCALE": "en"}


@pytest.fixture
def import_file(runner, tmp_path):
    """Run import-hsds on data (JSON-encoded) or on raw bytes; the result, with a fresh session."""

    def invoke(data=None, *options, raw: bytes | None = None):
        path = tmp_path / "import.json"
        path.write_bytes(raw if raw is not None else json.dumps(data).encode("utf-8"))
        result = runner.invoke(args=["import-hsds", str(path), *options])
        db.session.expire_all()
        return result

    return invoke


def assert_refused(result, *expected: str) -> None:
    """Exit status 1, a message (no traceback), and every expected fragment in the output."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert "nothing was imported" in result.output
    for fragment in expected:
        assert fragment in result.output, result.output
