"""The readable history: administrators see who acted; the organisation's staff see the team."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext

from cote_a_cote.extensions import db
from cote_a_cote.roles import Role
from cote_a_cote.vetting.models import EventAction
from cote_a_cote.vetting.review import history_for_admin, history_for_staff
from cote_a_cote.vetting.services import decide, send_stale_reminders, submit_application
from tests.conftest import shown
from tests.vetting.conftest import NOW


def test_staff_read_their_history_without_administrators_names(app, applicant, make_user):
    org, staff = applicant
    admin = make_user(role=Role.ADMIN, name="Aline Coordination", email="aline@example.org")
    decide(org, EventAction.CHANGES_REQUESTED, admin, "Ajoutez vos heures.", now=NOW)
    submit_application(org, staff, now=NOW + timedelta(hours=1))
    db.session.commit()
    with app.test_request_context():
        for_staff = history_for_staff(org)
        for_admin = history_for_admin(org)
        team = gettext("The coordinating team")
    assert [(e.actor, e.message) for e in for_staff] == [
        ("Paul Pourvoyeur", None),
        (team, "Ajoutez vos heures."),
    ]
    assert for_admin[1].actor == "Aline Coordination <aline@example.org>"
    assert [e.at for e in for_staff] == [NOW + timedelta(hours=1), NOW]


def test_reminders_read_as_sentences_in_the_history(app, client, admin, make_org, make_user):
    org = make_org(last_verified_at=NOW)
    make_user(role=Role.PROVIDER, organization=org)
    send_stale_reminders(NOW + timedelta(days=170))
    send_stale_reminders(NOW + timedelta(days=190))
    db.session.commit()
    page = client.get(f"/admin/verification/organisations/{org.id}/historique").get_data(
        as_text=True
    )
    assert shown(app, "Reminder sent: the profile will soon be out of date") in page
    assert shown(app, "Notice sent: the profile is out of date") in page
    assert "stale_soon" not in page and "stale_now" not in page
