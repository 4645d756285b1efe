"""Round trips: an export imported again matches its rows and never changes a vetting status."""

from __future__ import annotations

import json
import uuid

from sqlalchemy import select

from cote_a_cote.catalogue.hsds import ID_NAMESPACE, child_id
from cote_a_cote.catalogue.models import Organization, OrganizationStatus
from cote_a_cote.extensions import db
from tests.test_hsds_import_export import counts, record


def _statuses() -> dict[int, OrganizationStatus]:
    return dict(db.session.execute(select(Organization.id, Organization.status)).all())


def test_export_then_import_changes_nothing(full_catalogue, runner, import_file, tmp_path):
    # One organisation is under vetting again: importing must not approve it.
    organization = db.session.scalars(select(Organization).order_by(Organization.id)).first()
    organization.status = OrganizationStatus.CHANGES_REQUESTED
    db.session.commit()
    exported = tmp_path / "export.json"
    args = ["export-hsds", str(exported), "--scope", "all", "--include-confidential-addresses"]
    assert runner.invoke(args=args).exit_code == 0
    before_counts, before_statuses = counts(), _statuses()
    data = json.loads(exported.read_text(encoding="utf-8"))
    # The file even claims every organisation is approved; existing rows keep their status.
    for item in data:
        item["organization"]["quebec_profile"]["status"] = "approved"
    result = import_file(data, "--status", "from-file")
    assert result.exit_code == 0, result.output
    assert "services: 0 created, 3 updated" in result.output
    assert "organisations: 0 created" in result.output
    assert counts() == before_counts
    assert _statuses() == before_statuses
    assert before_statuses[organization.id] is OrganizationStatus.CHANGES_REQUESTED


def test_organisations_from_elsewhere_await_vetting(reference, import_file):
    result = import_file([record(1)])
    assert result.exit_code == 0, result.output
    assert "imported as awaiting vetting" in result.output
    status = db.session.scalar(select(Organization.status))
    assert status is OrganizationStatus.SUBMITTED


def test_status_option_sets_the_status_of_new_organisations_only(reference, import_file):
    assert import_file([record(1)]).exit_code == 0
    result = import_file([record(1), record(2)], "--status", "approved")
    assert result.exit_code == 0, result.output
    assert "organisations: 1 created, 1 updated" in result.output
    rows = dict(db.session.execute(select(Organization.external_id, Organization.status)).all())
    assert rows == {"org-1": OrganizationStatus.SUBMITTED, "org-2": OrganizationStatus.APPROVED}


def test_import_rebuilds_the_search_index(reference, import_file, client):
    assert import_file([record(1)], "--status", "approved").exit_code == 0
    page = client.get("/api/hsds/services?q=juridique").get_json()
    assert [item["id"] for item in page["contents"]] == ["svc-1"]


def test_child_ids_are_the_uuid5_of_their_parts():
    for parts in [("phone", "svc-1"), ("schedule", "c07eac07", "MO", "09:00"), ("é", 12)]:
        name = ":".join(str(part) for part in parts)
        assert child_id(*parts) == str(uuid.uuid5(ID_NAMESPACE, name))
