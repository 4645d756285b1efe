"""/avis sets no cookie but the session one (its CSRF token) and limits answers per address."""

from __future__ import annotations

import re

import pytest

from cote_a_cote.extensions import db
from cote_a_cote.referrals.models import ReferralStatus
from tests.referrals.conftest import referral_in

RATINGS = {"respect": "5", "no_judgement": "5", "confidentiality": "5", "felt_safe": "5"}


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True, "FEEDBACK_LIMIT_PER_ADDRESS": "3 per hour"}


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def _cookie_names(response) -> set[str]:
    return {header.split("=", 1)[0] for header in response.headers.getlist("Set-Cookie")}


def test_only_the_session_cookie_is_set_on_the_way_in_and_on_answering(app, client, world):
    referral = referral_in(world, ReferralStatus.COMPLETED)
    db.session.commit()
    first = client.get("/avis")
    assert _cookie_names(first) == {"cac_session"}
    assert "HttpOnly" in first.headers["Set-Cookie"]
    sent = client.post(
        "/avis",
        data={"csrf_token": _token(first.get_data(as_text=True)), "code": referral.code, **RATINGS},
    )
    assert sent.status_code == 200
    assert _cookie_names(sent) <= {"cac_session"}
    assert "remember_token" not in str(sent.headers)


def test_a_post_without_the_csrf_token_is_refused(client, world):
    referral = referral_in(world, ReferralStatus.COMPLETED)
    db.session.commit()
    client.get("/avis")
    assert client.post("/avis", data={"code": referral.code, **RATINGS}).status_code == 400


def test_answers_are_limited_per_address(client):
    token = _token(client.get("/avis").get_data(as_text=True))
    for _ in range(3):
        response = client.post("/avis", data={"csrf_token": token, "code": "ZZZZ-ZZZZ", **RATINGS})
        assert response.status_code == 200
    blocked = client.post("/avis", data={"csrf_token": token, "code": "ZZZZ-ZZZZ", **RATINGS})
    assert blocked.status_code == 429
    # Another address is not blocked.
    other = client.post(
        "/avis",
        data={"csrf_token": token, "code": "ZZZZ-ZZZZ", **RATINGS},
        environ_base={"REMOTE_ADDR": "10.0.0.9"},
    )
    assert other.status_code == 200
