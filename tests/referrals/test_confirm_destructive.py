"""Destructive referral actions ask first, without JavaScript: the first POST changes nothing and
answers with a confirmation page; the second, with confirmed=1, acts (issue 11 §7)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from cote_a_cote.extensions import db
from cote_a_cote.referrals.models import Referral, ReferralStatus
from tests.conftest import login, shown

from .conftest import referral_in

S = ReferralStatus


def _status(referral_id: int) -> ReferralStatus:
    db.session.expire_all()
    return db.session.scalar(select(Referral.status).where(Referral.id == referral_id))


def _hidden(html: str) -> dict:
    form = html[html.index('<div class="confirm">') :]
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))


@pytest.mark.parametrize(
    ("path", "status", "data", "question", "after"),
    [
        ("retirer", S.SENT, {}, "Withdraw this referral?", S.WITHDRAWN),
        ("refus", S.WAITLISTED, {"decline-reason": "Trop loin"}, "Record that the person declines?",
         S.DECLINED),
        ("retirer-consentement", S.RECEIVED, {}, "Withdraw the person's consent?", S.WITHDRAWN),
    ],
)  # fmt: skip
def test_first_post_asks_and_changes_nothing_second_acts(
    app, world, client, path, status, data, question, after
):
    referral = referral_in(world, status)
    db.session.commit()
    login(client, world.alice)
    first = client.post(f"/references/{referral.id}/{path}", data=data)
    assert first.status_code == 200
    assert shown(app, question) in first.text
    assert _status(referral.id) is status  # nothing changed yet
    # The confirmation carries the same fields again, with confirmed=1, and a way back.
    hidden = _hidden(first.text)
    assert hidden["confirmed"] == "1"
    assert all(hidden[name] == value for name, value in data.items())
    assert f'href="/references/{referral.id}"' in first.text
    assert f'action="/references/{referral.id}/{path}"' in first.text

    second = client.post(f"/references/{referral.id}/{path}", data=hidden)
    assert second.status_code == 302
    assert _status(referral.id) is after


def test_the_confirmation_is_only_asked_of_whoever_may_act(world, client):
    referral = referral_in(world, S.SENT)
    db.session.commit()
    login(client, world.berthe)  # another organisation: 404, no question asked
    assert client.post(f"/references/{referral.id}/retirer").status_code == 404
    assert _status(referral.id) is S.SENT


def test_an_invalid_form_is_corrected_before_the_question(app, world, client):
    referral = referral_in(world, S.WAITLISTED)
    db.session.commit()
    login(client, world.alice)
    empty = client.post(f"/references/{referral.id}/refus", data={"decline-reason": ""})
    assert 'id="decline-reason-error"' in empty.text
    assert shown(app, "Record that the person declines?") not in empty.text
    assert _status(referral.id) is S.WAITLISTED
