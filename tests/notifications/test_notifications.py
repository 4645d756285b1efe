"""Notifications: the list, marking read, the header count, and e-mails sent only after commit."""

from __future__ import annotations

import re
import string

import pytest
from flask_babel import force_locale, gettext, ngettext
from sqlalchemy import event, select

from cote_a_cote.extensions import db
from cote_a_cote.mail import outbox
from cote_a_cote.notifications.kinds import KINDS
from cote_a_cote.notifications.models import Notification
from cote_a_cote.notifications.services import notify
from cote_a_cote.roles import Role
from tests.conftest import login

# What a notification may name: organisations, training modules and dates. Never a person.
ALLOWED_PARAMS = {"organization", "module", "date", "level", "year"}  # never a person


def in_french(app, message: str, **values) -> str:
    with app.test_request_context(), force_locale("fr"):
        return gettext(message, **values)


@pytest.fixture
def reader(make_user, make_org):
    org = make_org(name="Refuge Fictif Étoile")
    return make_user(role=Role.PROVIDER, organization=org, email="lea@example.org", name="Léa")


def tell(user, kind="application_approved", **params):
    params.setdefault("organization", "Refuge Fictif Étoile")
    notify([user], kind, endpoint="catalogue.listing", **params)


def test_the_list_shows_only_my_notifications(app, client, make_user, reader):
    other = make_user(role=Role.PROVIDER, email="autre@example.org")
    tell(reader)
    tell(other, "application_rejected", organization="Autre Atelier Fictif")
    db.session.commit()
    login(client, reader)
    page = client.get("/notifications").get_data(as_text=True)
    assert "Refuge Fictif Étoile" in page
    assert "Autre Atelier Fictif" not in page
    assert 'href="/catalogue"' in page  # the notification's link
    assert "<time datetime=" in page


def test_marking_all_read_touches_only_mine(app, client, make_user, reader):
    other = make_user(role=Role.PROVIDER, email="autre@example.org")
    tell(reader)
    tell(reader, "stale_now")
    tell(other)
    db.session.commit()
    login(client, reader)
    response = client.post("/notifications/tout-marquer-comme-lu")
    assert response.status_code == 302 and response.location == "/notifications"
    db.session.expire_all()
    unread = dict(
        db.session.execute(
            select(Notification.user_id, db.func.count())
            .where(Notification.read_at.is_(None))
            .group_by(Notification.user_id)
        ).all()
    )
    assert unread == {other.id: 1}


def test_the_header_shows_the_unread_count_with_one_query(app, client, reader):
    tell(reader)
    tell(reader, "stale_now")
    db.session.commit()
    login(client, reader)
    statements = []

    def seen(conn, cursor, statement, *args):
        if "notification" in statement:
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        page = client.get("/").get_data(as_text=True)
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert len(statements) == 1 and "count(" in statements[0].lower()
    link = re.search(r'<a class="site-header__notifications"[^>]*>(.*?)</a>', page, re.S).group(1)
    assert '<span aria-hidden="true">(2)</span>' in link
    with app.test_request_context(), force_locale("fr"):
        assert ngettext("%(num)d unread", "%(num)d unread", 2) in link  # read out, not just "(2)"
    client.post("/notifications/tout-marquer-comme-lu")
    page = client.get("/").get_data(as_text=True)
    link = re.search(r'<a class="site-header__notifications"[^>]*>(.*?)</a>', page, re.S).group(1)
    assert "(" not in link


def test_visitors_have_no_notification_link(client):
    assert "site-header__notifications" not in client.get("/").get_data(as_text=True)


def test_emails_leave_only_after_commit(app, reader):
    outbox().clear()
    tell(reader)
    db.session.rollback()
    db.session.commit()
    assert outbox() == []
    assert db.session.scalar(select(db.func.count(Notification.id))) == 0
    tell(reader)
    assert outbox() == []
    db.session.commit()
    assert len(outbox()) == 1


def test_the_email_says_what_happened_and_links_nothing_more(app, reader):
    outbox().clear()
    tell(reader, "stale_soon", date="2025-11-04")
    db.session.commit()
    [mail] = outbox()
    assert mail["To"] == "lea@example.org"
    kind = KINDS["stale_soon"]
    with app.test_request_context(), force_locale("fr"):
        sentence = str(kind.text) % {"organization": "Refuge Fictif Étoile", "date": "2025-11-04"}
        assert mail["Subject"] == str(kind.subject)
    expected_lines = [
        in_french(app, "Hello,"),
        sentence,
        in_french(app, "To see it, sign in to Côte-à-Côte:"),
        app.config["PUBLIC_BASE_URL"].rstrip("/") + "/catalogue",
        in_french(app, "The Côte-à-Côte team"),
    ]
    lines = [line for line in mail.get_content().splitlines() if line.strip()]
    assert lines == expected_lines
    assert "Léa" not in mail.get_content()  # not even the recipient's own name


def test_emails_use_the_recipients_language(app, make_user, make_org):
    english = make_user(role=Role.PROVIDER, email="en@example.org", preferred_locale="en")
    outbox().clear()
    tell(english)
    db.session.commit()
    [mail] = outbox()
    assert mail["Subject"] == "Your application is approved"
    assert "Refuge Fictif Étoile is now a partner of Côte-à-Côte." in mail.get_content()


def test_inactive_users_get_nothing(make_user):
    gone = make_user(role=Role.PROVIDER, active=False)
    outbox().clear()
    tell(gone)
    db.session.commit()
    assert outbox() == []
    assert db.session.scalar(select(db.func.count(Notification.id))) == 0


@pytest.mark.parametrize("name", sorted(KINDS))
def test_no_kind_can_name_a_person(name):
    kind = KINDS[name]
    for template in (str(kind.subject), str(kind.text)):
        fields = {f for _text, f, _spec, _conv in string.Formatter().parse(template) if f}
        named = set(re.findall(r"%\((\w+)\)s", template))
        assert not fields  # only %-style placeholders
        assert named <= ALLOWED_PARAMS, (name, named)
