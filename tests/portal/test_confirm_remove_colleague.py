"""Removing a colleague asks first (issue 11 §7): the first POST changes nothing."""

from __future__ import annotations

import re

from cote_a_cote.extensions import db
from cote_a_cote.roles import Role
from tests.conftest import shown


def test_removing_a_colleague_asks_then_removes(app, client, staff, provider_org, make_user):
    colleague = make_user(role=Role.PROVIDER, organization=provider_org, email="col@example.org")
    url = f"/portail/collegues/{colleague.id}/retirer"
    first = client.post(url)
    assert first.status_code == 200
    assert shown(app, "Remove the access of %(name)s to the portal?", name=colleague.name) in (
        first.text
    )
    assert 'href="/portail/collegues"' in first.text  # Cancel goes back to the list
    db.session.expire_all()
    assert colleague.active is True
    form = first.text[first.text.index('<div class="confirm">') :]
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
    assert hidden["confirmed"] == "1"
    assert client.post(url, data=hidden).status_code == 302
    db.session.expire_all()
    assert colleague.active is False


def test_another_organisations_colleague_is_404_before_any_question(
    client, staff, make_org, make_user
):
    stranger = make_user(role=Role.PROVIDER, organization=make_org(name="Ailleurs"))
    assert client.post(f"/portail/collegues/{stranger.id}/retirer").status_code == 404
    db.session.expire_all()
    assert stranger.active is True
