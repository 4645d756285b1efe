"""The public may file only so many reports per address; refused forms do not count."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from cote_a_cote.extensions import db
from cote_a_cote.listing_reports.models import ListingReport

from .conftest import post_report


@pytest.fixture
def app_config():
    return {"LISTING_REPORT_LIMIT_PER_ADDRESS": "2 per hour"}


def _count() -> int:
    return db.session.scalar(select(func.count(ListingReport.id)))


def test_the_public_is_limited_per_address(client, listing):
    # A refused form (no kind) files nothing and does not use up the allowance.
    assert (
        client.post(f"/services/{listing.service.id}/signaler", data={"note": "x"}).status_code
        == 200
    )
    assert post_report(client, listing.service.id).status_code == 302
    assert post_report(client, listing.service.id, kind="other").status_code == 302
    third = post_report(client, listing.service.id, kind="closed_or_moved")
    assert third.status_code == 429
    assert _count() == 2
    # Another address still may.
    other = post_report(client, listing.service.id, environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert other.status_code == 302
    assert _count() == 3
    # Reading the form is never limited.
    assert client.get(f"/services/{listing.service.id}/signaler").status_code == 200


def test_the_limit_is_read_from_the_environment(tmp_path, monkeypatch):
    from cote_a_cote.config import build_config

    monkeypatch.delenv("LISTING_REPORT_LIMIT_PER_ADDRESS", raising=False)
    assert build_config(tmp_path)["LISTING_REPORT_LIMIT_PER_ADDRESS"] == "5 per hour"
    monkeypatch.setenv("LISTING_REPORT_LIMIT_PER_ADDRESS", "3 per minute")
    assert build_config(tmp_path)["LISTING_REPORT_LIMIT_PER_ADDRESS"] == "3 per minute"
