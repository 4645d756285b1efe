"""Requests themselves: body size, the Host header, proxies and the access log (issue 15)."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from flask import request

from cote_a_cote.roles import Role
from tests.conftest import PASSWORD, make_test_app, shown

# --- body size --------------------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_a_body_over_the_limit_is_answered_413_in_the_visitor_language(app, client, locale):
    client.post("/langue", data={"locale": locale})
    response = client.post("/connexion", data={"email": "x" * (2 * 1024 * 1024), "password": "x"})
    assert response.status_code == 413
    text = response.get_data(as_text=True)
    assert shown(app, "Too much sent at once", locale) in text
    assert "Traceback" not in text


def test_a_form_just_under_the_limit_is_read(client):
    response = client.post("/connexion", data={"email": "x" * 300_000, "password": "x"})
    assert response.status_code == 200  # read, and refused as a form (too long an address)


_SECOND_APPS: list = []


def _second_app(tmp_path, monkeypatch, **settings):
    """Another app on the app fixture's database, with settings fixed at creation."""
    other = make_test_app(tmp_path, monkeypatch, **settings)
    _SECOND_APPS.append(other)
    return other


@pytest.fixture(autouse=True)
def _close_second_apps():
    """Close their connections (an unclosed one is a warning, and warnings are errors)."""
    yield
    from cote_a_cote.extensions import db

    while _SECOND_APPS:
        with _SECOND_APPS.pop().app_context():
            db.session.remove()
            db.engine.dispose()


# --- the Host header --------------------------------------------------------------------------


@pytest.fixture
def app_config():
    return {"PUBLIC_BASE_URL": "https://cote.example.org"}


def test_the_api_never_reflects_the_host_header(client):
    response = client.get("/api/hsds/", headers={"Host": "evil.example"})
    assert response.status_code == 200
    assert response.json["openapi_url"] == "https://cote.example.org/api/hsds/openapi.json"
    assert "evil" not in response.get_data(as_text=True)


def test_production_refuses_unknown_hosts(app, tmp_path, monkeypatch):
    production = _second_app(
        tmp_path, monkeypatch, ENV_NAME="production", PUBLIC_BASE_URL="https://cote.example.org"
    )
    client = production.test_client()
    assert client.get("/sortie-rapide", base_url="https://cote.example.org").status_code == 200
    refused = client.get("/sortie-rapide", base_url="https://evil.example")
    assert refused.status_code == 400
    assert "evil" not in refused.get_data(as_text=True)


def test_trusted_hosts_setting_lists_the_served_names(app, tmp_path, monkeypatch):
    monkeypatch.setenv("TRUSTED_HOSTS", "cote.example.org, www.cote.example.org")
    other = _second_app(tmp_path, monkeypatch)  # the same database as app's
    client = other.test_client()
    assert client.get("/sortie-rapide", base_url="http://www.cote.example.org").status_code == 200
    assert client.get("/sortie-rapide", base_url="http://localhost").status_code == 400


# --- proxies ----------------------------------------------------------------------------------


def _address_app(tmp_path, monkeypatch, proxies: int):
    other = _second_app(tmp_path, monkeypatch, TRUSTED_PROXIES=proxies)

    @other.get("/_test/address")
    def address():
        return request.remote_addr or ""

    return other


def _seen(app, forwarded: str) -> str:
    response = app.test_client().get(
        "/_test/address",
        headers={"X-Forwarded-For": forwarded},
        environ_base={"REMOTE_ADDR": "10.0.0.2"},
    )
    return response.get_data(as_text=True)


def test_without_trusted_proxies_a_forged_forwarded_for_is_ignored(app, tmp_path, monkeypatch):
    other = _address_app(tmp_path, monkeypatch, proxies=0)
    assert _seen(other, "203.0.113.9") == "10.0.0.2"


def test_behind_one_proxy_only_the_hop_it_added_is_believed(app, tmp_path, monkeypatch):
    other = _address_app(tmp_path, monkeypatch, proxies=1)
    # The client forged 6.6.6.6; the proxy appended the address it really saw.
    assert _seen(other, "6.6.6.6, 198.51.100.7") == "198.51.100.7"
    assert _seen(other, "198.51.100.8") == "198.51.100.8"


# --- the access log ---------------------------------------------------------------------------


def _access_line(path: str, user_agent: str = "test") -> str:
    import logging

    from gunicorn.config import Config

    from cote_a_cote.access_log import EscapingLogger

    config = Config()
    config.set("accesslog", "-")
    config.set("access_log_format", '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms "%(a)s"')
    logger = EscapingLogger(config)
    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record.getMessage())

    logger.access_log.handlers = [Keep()]
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.5",
        "HTTP_USER_AGENT": user_agent,
    }
    response = SimpleNamespace(status="200 OK", sent=12, headers=[])
    req = SimpleNamespace(headers=[("USER-AGENT", user_agent)])
    logger.access(response, req, environ, timedelta(milliseconds=3))
    (line,) = records
    return line


def test_gunicorn_config_uses_the_escaping_logger():
    from pathlib import Path

    config = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"
    settings: dict = {}
    exec(compile(config.read_text(), str(config), "exec"), settings)  # noqa: S102 - our file
    assert settings["logger_class"] == "cote_a_cote.access_log.EscapingLogger"
    assert "%(q)s" not in settings["access_log_format"]  # never the query string


def test_a_decoded_newline_cannot_forge_a_log_line():
    line = _access_line('/services/1\n203.0.113.66 "GET /admin" 200 0 1ms')
    assert "\n" not in line
    assert line.startswith('203.0.113.5 "GET /services/1\\x0a203.0.113.66 \\x22GET /admin\\x22')


def test_ansi_escapes_and_carriage_returns_are_escaped():
    line = _access_line("/a\x1b[31mred\r", user_agent="agent\x1b[2J")
    assert "\x1b" not in line and "\r" not in line
    assert "/a\\x1b[31mred\\x0d" in line and "agent\\x1b[2J" in line


def test_the_certificate_and_partner_page_link_to_the_public_address(client, make_user):
    import io

    from pypdf import PdfReader

    from cote_a_cote.demo.seeding import load_reference_data
    from cote_a_cote.extensions import db
    from cote_a_cote.recognition.models import RecognitionLevel
    from tests.recognition.test_documents import give

    load_reference_data()
    db.session.commit()
    me = make_user(role=Role.PROVIDER)
    evil = {"Host": "evil.example"}  # the browser's cookies then belong to that host
    signed_in = client.post(
        "/connexion", data={"email": me.email, "password": PASSWORD}, headers=evil
    )
    assert signed_in.status_code == 302
    levels = {lv.code: lv for lv in db.session.scalars(db.select(RecognitionLevel))}
    give(me.organization, levels, make_user(role=Role.ADMIN), code="allie")

    page = client.get("/portail/reconnaissance", headers=evil).text
    assert "https://cote.example.org/reconnaissance/verifier/" in page
    assert "evil.example" not in page
    pdf = client.get("/portail/reconnaissance/certificat", headers=evil)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "https://cote.example.org/reconnaissance/verifier/" in text
    assert "evil" not in text
