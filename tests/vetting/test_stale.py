"""Stale profiles: the admin list, reminders before and after (each once), reset by confirming."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask_babel import force_locale, ngettext
from sqlalchemy import select

from cote_a_cote.catalogue.models import OrganizationStatus
from cote_a_cote.config import update_settings
from cote_a_cote.database import utcnow
from cote_a_cote.extensions import db
from cote_a_cote.mail import outbox
from cote_a_cote.notifications.models import Notification
from cote_a_cote.portal.services import confirm_still_accurate
from cote_a_cote.roles import Role
from cote_a_cote.vetting.models import EventAction, OrganizationEvent
from cote_a_cote.vetting.services import send_stale_reminders, stale_count
from tests.conftest import shown
from tests.vetting.conftest import NOW

DAY = timedelta(days=1)
STALE_AT = NOW + timedelta(days=182)  # with the default STALE_AFTER_DAYS
WARN_AT = STALE_AT - timedelta(days=14)  # with the default STALE_WARNING_DAYS


@pytest.fixture
def partner(make_org, make_user):
    """An approved partner confirmed at NOW, with two staff members and one who left."""
    org = make_org(name="Taxi Fictif Boréal", last_verified_at=NOW)
    staff = [
        make_user(role=Role.PROVIDER, organization=org, email="a@example.org"),
        make_user(role=Role.PROVIDER, organization=org, email="b@example.org"),
    ]
    make_user(role=Role.PROVIDER, organization=org, email="gone@example.org", active=False)
    return org, staff


def kinds_sent() -> list[str]:
    return list(db.session.scalars(select(Notification.kind).order_by(Notification.id)))


def reminders(org) -> list[tuple]:
    return db.session.execute(
        select(OrganizationEvent.message, OrganizationEvent.created_at, OrganizationEvent.actor_id)
        .where(
            OrganizationEvent.organization_id == org.id,
            OrganizationEvent.action == EventAction.STALE_REMINDER,
        )
        .order_by(OrganizationEvent.id)
    ).all()


def run(now) -> tuple[int, int]:
    result = send_stale_reminders(now)
    db.session.commit()
    return result


def test_nothing_before_the_warning_window(partner):
    assert run(WARN_AT - DAY) == (0, 0)
    assert kinds_sent() == []


def test_warning_once_then_notice_once(partner):
    org, staff = partner
    outbox().clear()
    assert run(WARN_AT + DAY) == (1, 0)
    assert run(WARN_AT + 2 * DAY) == (0, 0)  # warned already
    assert kinds_sent() == ["stale_soon", "stale_soon"]  # one per active staff member
    assert sorted(m["To"] for m in outbox()) == [s.email for s in staff]
    assert org.stale_warning_sent_at == WARN_AT + DAY

    assert run(STALE_AT + DAY) == (0, 1)
    assert run(STALE_AT + 30 * DAY) == (0, 0)  # told already
    assert kinds_sent()[2:] == ["stale_now", "stale_now"]
    assert org.stale_notice_sent_at == STALE_AT + DAY
    assert reminders(org) == [
        ("stale_soon", WARN_AT + DAY, None),
        ("stale_now", STALE_AT + DAY, None),
    ]


def test_the_warning_names_the_date(partner):
    run(WARN_AT + DAY)
    note = db.session.scalars(select(Notification)).first()
    assert note.params == {
        "organization": "Taxi Fictif Boréal",
        "date": STALE_AT.date().isoformat(),
    }


def test_confirming_resets_the_cycle(partner):
    org, staff = partner
    run(WARN_AT + DAY)
    run(STALE_AT + DAY)
    confirm_still_accurate(org, staff[0], now=STALE_AT + 2 * DAY)
    db.session.commit()
    assert (org.stale_warning_sent_at, org.stale_notice_sent_at) == (None, None)
    assert run(STALE_AT + 3 * DAY) == (0, 0)
    next_warning = STALE_AT + 2 * DAY + timedelta(days=182 - 14) + DAY
    assert run(next_warning) == (1, 0)


def test_a_profile_already_stale_gets_the_notice_without_a_warning(partner):
    assert run(STALE_AT + DAY) == (0, 1)
    assert set(kinds_sent()) == {"stale_now"}


def test_never_verified_partners_get_the_notice(make_org, make_user):
    org = make_org(last_verified_at=None)
    make_user(role=Role.PROVIDER, organization=org)
    assert run(NOW) == (0, 1)


@pytest.mark.parametrize(
    "status", [OrganizationStatus.SUSPENDED, OrganizationStatus.SUBMITTED, OrganizationStatus.DRAFT]
)
def test_only_approved_partners_are_reminded(make_org, make_user, status):
    org = make_org(status=status, last_verified_at=NOW - timedelta(days=400))
    make_user(role=Role.PROVIDER, organization=org)
    assert run(NOW) == (0, 0)


def test_delays_come_from_the_configuration(app, partner):
    update_settings(app, {"STALE_AFTER_DAYS": 30, "STALE_WARNING_DAYS": 5})
    assert run(NOW + timedelta(days=24)) == (0, 0)
    assert run(NOW + timedelta(days=26)) == (1, 0)
    assert run(NOW + timedelta(days=31)) == (0, 1)


def test_the_stale_list(app, client, admin, make_org):
    today = utcnow()
    make_org(name="Fictif Périmé", last_verified_at=today - timedelta(days=200))
    make_org(
        name="Fictif Prévenu",
        last_verified_at=today - timedelta(days=300),
        stale_notice_sent_at=today - timedelta(days=100),
    )
    make_org(name="Fictif Jamais Vérifié", last_verified_at=None)
    make_org(name="Fictif Suspendu", last_verified_at=None, status=OrganizationStatus.SUSPENDED)
    make_org(name="Fictif À Jour", last_verified_at=today - timedelta(days=100))
    page = client.get("/admin/verification/profils-a-confirmer").get_data(as_text=True)
    assert "Fictif Périmé" in page and "Fictif Prévenu" in page
    assert "Fictif Jamais Vérifié" in page
    assert "Fictif Suspendu" not in page and "Fictif À Jour" not in page
    # The longest without confirmation first, never-confirmed ones on top.
    assert page.index("Fictif Jamais Vérifié") < page.index("Fictif Prévenu")
    assert page.index("Fictif Prévenu") < page.index("Fictif Périmé")
    # How long, and which reminders went out.
    row = page[page.index("Fictif Prévenu") :].split("</tr>")[0]
    assert shown_plural(app, "%(num)d day", "%(num)d days", 300) in row
    assert row.count(shown(app, "Not sent")) == 1
    assert stale_count() == 3


def shown_plural(app, singular: str, plural: str, num: int) -> str:
    with app.test_request_context(), force_locale("fr"):
        return ngettext(singular, plural, num)
