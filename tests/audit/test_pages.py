"""The administrators' audit view: filters, pages, refused input and the chain check."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from flask_babel import force_locale, ngettext
from markupsafe import escape
from sqlalchemy import text

from cote_a_cote.audit.services import record
from cote_a_cote.extensions import db
from cote_a_cote.roles import Role
from tests.conftest import shown

NOW = datetime(2025, 5, 6, 18, 0, tzinfo=UTC)  # 14:00 in Montréal, Tuesday 6 May


@pytest.fixture
def trail(app, make_user):
    """Five events by two people and the platform, over three Montréal days."""
    alice = make_user(Role.INTERVENANTE, email="alice@example.org", name="Alice Fictive")
    paul = make_user(Role.PROVIDER, email="paul@example.org", name="Paul Fictif")
    events = [
        record(alice, "referral.create", "referral", 1, "192.0.2.1", NOW),
        record(alice, "referral.send", "referral", 1, "192.0.2.1", NOW + timedelta(minutes=1)),
        record(paul, "referral.view", "referral", 1, "2001:db8::7", NOW + timedelta(hours=1)),
        record(None, "referral.purge", "referral", 2, None, NOW + timedelta(days=1)),
        record(alice, "referral.view", "referral", 3, "192.0.2.1", NOW + timedelta(days=2)),
    ]
    db.session.commit()
    return {"alice": alice, "paul": paul, "ids": [e.id for e in events]}


@pytest.fixture
def admin_client(client, login_as):
    login_as(Role.ADMIN)
    return client


def _rows(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'<tr id="event-(\d+)">', page)]


def _journal(client, **args) -> str:
    response = client.get("/admin/journal/", query_string=args)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_lists_every_event_newest_first_with_who_and_from_where(admin_client, trail):
    page = _journal(admin_client)
    assert _rows(page) == list(reversed(trail["ids"]))
    assert "Alice Fictive" in page and "2001:db8::7" in page and "referral.purge" in page


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({"actor": "alice@example.org"}, [0, 1, 4]),
        ({"actor": "  ALICE@example.org "}, [0, 1, 4]),
        ({"action": "referral.view"}, [2, 4]),
        ({"object_type": "referral", "object_id": "1"}, [0, 1, 2]),
        ({"since": "2025-05-07", "until": "2025-05-07"}, [3]),  # both dates inclusive
        ({"since": "2025-05-07"}, [3, 4]),
        ({"until": "2025-05-06"}, [0, 1, 2]),
        ({"action": "referral.view", "since": "2025-05-08"}, [4]),
        ({"object_type": "organization"}, []),
    ],
)
def test_filters(admin_client, trail, args, expected):
    page = _journal(admin_client, **args)
    assert sorted(_rows(page)) == [trail["ids"][i] for i in expected]


def test_filter_by_account_number(admin_client, trail):
    page = _journal(admin_client, actor=str(trail["paul"].id))
    assert _rows(page) == [trail["ids"][2]]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"since": "2025-13-45"}, None),
        ({"since": "hier"}, None),
        (
            {"since": "2025-05-08", "until": "2025-05-07"},
            "The end date cannot be before the start date.",
        ),
        ({"actor": "nobody@example.org"}, "No account has this e-mail address."),
        ({"actor": "99999999999999999999"}, "No account has this number."),
        ({"object_id": "abc"}, None),
        ({"object_id": "99999999999999"}, "Enter a positive whole number."),
        ({"action": "DROP TABLE"}, "An action is written like referral.accept."),
    ],
)
def test_bad_filters_show_an_error_and_no_events(app, admin_client, trail, args, message):
    page = _journal(admin_client, **args)
    assert _rows(page) == []
    assert shown(app, "Please correct the fields marked below.") in page
    if message:
        assert str(escape(shown(app, message))) in page
    for value in args.values():
        assert str(escape(value)) in page  # the value typed is kept


def test_pages_keep_the_filters(app, admin_client, make_user):
    someone = make_user(Role.ADMIN)
    for n in range(60):
        record(someone, "referral.view", "referral", n + 1, None, NOW + timedelta(minutes=n))
    record(someone, "referral.send", "referral", 1, None, NOW)
    db.session.commit()

    first = _journal(admin_client, action="referral.view")
    assert len(_rows(first)) == 50
    assert "page=2" in first and "action=referral.view" in first
    second = _journal(admin_client, action="referral.view", page="2")
    assert len(_rows(second)) == 10
    assert not set(_rows(first)) & set(_rows(second))


def test_verify_says_the_chain_is_intact(app, admin_client, trail):
    response = admin_client.post("/admin/journal/verifier", follow_redirects=True)
    assert response.status_code == 200
    with app.test_request_context(), force_locale("fr"):
        intact = ngettext(
            "The audit trail is intact: %(num)d event verified.",
            "The audit trail is intact: %(num)d events verified.",
            5,
        )
    assert str(intact) in response.get_data(as_text=True)


def test_verify_names_the_first_modified_event(app, admin_client, trail):
    changed = trail["ids"][2]
    db.session.execute(
        text("UPDATE audit_event SET remote_addr = '198.51.100.9' WHERE id = :id"), {"id": changed}
    )
    db.session.commit()

    response = admin_client.post("/admin/journal/verifier", follow_redirects=True)

    message = "The audit trail is broken: event %(id)d does not match the chain."
    assert shown(app, message, id=changed) in response.get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.INTERVENANTE, Role.PROVIDER])
def test_only_administrators(client, login_as, trail, role):
    login_as(role)
    assert client.get("/admin/journal/").status_code == 403
    assert client.post("/admin/journal/verifier").status_code == 403
