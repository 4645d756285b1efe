"""Partners hear of their recognition: awarded, renewed, withdrawn, and once before it ends."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import force_locale
from sqlalchemy import select

from cote_a_cote.extensions import db
from cote_a_cote.mail import outbox
from cote_a_cote.notifications.models import Notification
from cote_a_cote.notifications.services import text
from cote_a_cote.recognition import services
from cote_a_cote.roles import Role

from .conftest import NOW, TODAY


def _notes(user) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
        )
    )


def test_award_and_withdrawal_are_told_to_the_partner_in_its_language(
    app, make_org, make_user, levels
):
    org = make_org(name="Clinique Fictive Aurore")
    staff = make_user(Role.PROVIDER, org, email="staff@example.org", preferred_locale="en")
    other = make_user(Role.PROVIDER, email="other@example.org")
    admin = make_user(Role.ADMIN, email="admin@example.org")
    outbox().clear()
    made = services.award(org, levels["allie"], "Engagement constant", admin, TODAY, override=True)
    db.session.commit()

    [note] = _notes(staff)
    assert note.kind == "recognition_awarded" and note.endpoint == "recognition.partner_page"
    with app.test_request_context():
        with force_locale("fr"):
            assert "Allié" in text(note) and "2025" in text(note)
        assert "Ally" in text(note, "en") and "Allié" not in text(note, "en")
    [mail] = outbox()
    assert mail["To"] == "staff@example.org"
    assert "Ally" in mail.get_content() and "Engagement constant" not in mail.get_content()
    assert _notes(other) == []  # another organisation hears nothing

    services.withdraw(made, "Plainte fondée", admin)
    db.session.commit()
    assert [n.kind for n in _notes(staff)] == ["recognition_awarded", "recognition_withdrawn"]
    assert all("Plainte" not in str(n.params) for n in _notes(staff))  # the reason stays inside


def test_the_end_is_announced_once_and_not_after_renewal(app, make_org, make_user, levels):
    org = make_org(name="Clinique Fictive Aurore")
    staff = make_user(Role.PROVIDER, org, email="staff@example.org")
    renewed_org = make_org(name="Cabinet Fictif Boréal")
    renewed_staff = make_user(Role.PROVIDER, renewed_org, email="boreal@example.org")
    admin = make_user(Role.ADMIN, email="admin@example.org")
    year_ago = TODAY - timedelta(days=350)
    made = services.award(org, levels["engage"], "Début", admin, year_ago, override=True)
    first = services.award(renewed_org, levels["engage"], "Début", admin, year_ago, override=True)
    services.renew(first, "Encore", admin, TODAY, override=True)
    db.session.commit()

    assert services.send_expiry_notices(NOW) == 1
    db.session.commit()
    [note] = [n for n in _notes(staff) if n.kind == "recognition_expiring"]
    assert note.params["date"] == made.valid_until.isoformat()
    assert not [n for n in _notes(renewed_staff) if n.kind == "recognition_expiring"]
    assert services.send_expiry_notices(NOW + timedelta(days=1)) == 0  # once
