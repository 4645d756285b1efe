"""Home page per role, the language switch, and the quick exit on every page."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import abort, url_for
from markupsafe import escape
from sqlalchemy.exc import OperationalError

from cote_a_cote.accounts.models import User
from cote_a_cote.catalogue import services as catalogue_services
from cote_a_cote.catalogue.models import CapacityStatus, OrganizationKind, OrganizationStatus
from cote_a_cote.config import update_settings
from cote_a_cote.extensions import db
from cote_a_cote.roles import Role
from tests.conftest import login, shown

QUICK_EXIT_SCRIPT = '<script src="/static/js/quick-exit.js" defer></script>'


def assert_quick_exit(app, html: str) -> None:
    url = str(escape(app.config["QUICK_EXIT_URL"]))
    assert f'id="quick-exit" href="{url}"' in html
    assert f'data-quick-exit-url="{url}"' in html
    assert 'rel="noreferrer noopener"' in html
    assert QUICK_EXIT_SCRIPT in html
    assert 'href="/sortie-rapide"' in html


# --- Home per role ------------------------------------------------------------------------------


def test_public_home_explains_and_links_to_the_catalogue(app, client):
    html = client.get("/").text
    assert shown(app, "For whom") in html
    assert shown(app, "Becoming a partner") in html
    assert 'href="/catalogue"' in html
    assert 'href="/connexion"' in html  # sign-in link
    assert 'name="q"' not in html  # the search box is the intervenante's
    assert_quick_exit(app, html)


def test_intervenante_home_has_search_and_no_fake_referrals(app, client, make_org, login_as):
    org = make_org(name="CALACS des Monts", kind=OrganizationKind.REFERRER)
    login_as(Role.INTERVENANTE, organization=org)
    html = client.get("/").text
    assert 'action="/recherche"' in html and 'method="get"' in html
    assert 'name="q"' in html
    assert "CALACS des Monts" in html
    assert shown(app, "My referrals") in html
    assert 'href="/references/"' in html  # the referral list replaced the placeholder
    assert shown(app, "No referral needs your attention.") in html
    assert 'action="/deconnexion"' in html  # logout is a POST form
    assert 'href="/catalogue"' in html


def test_provider_home_shows_her_organisation_and_services(
    app, client, make_org, make_service, login_as, reference
):
    org = make_org(name="Dentistes du Fleuve", status=OrganizationStatus.SUBMITTED)
    service = make_service(
        organization=org,
        name_fr="Urgences dentaires",
        capacity=CapacityStatus.WAITLIST,
        waitlist_weeks=2,
    )
    make_service(name_fr="Service d'une autre organisation")
    login_as(Role.PROVIDER, organization=org)
    html = client.get("/").text
    assert "Dentistes du Fleuve" in html
    assert shown(app, "Submitted for review") in html
    assert shown(app, "Not listed in the catalogue.") in html
    assert f'href="/services/{service.id}"' in html
    assert "badge--capacity-waitlist" in html
    assert shown(app, "Not verified yet") in html
    assert "Service d&#39;une autre organisation" not in html
    assert f'href="/organisations/{org.id}"' in html  # "my organisation" in the navigation


def test_admin_home_links_to_queues_and_counts(
    app, client, make_org, make_service, login_as, reference
):
    for _ in range(3):
        make_service()
    make_org(status=OrganizationStatus.SUBMITTED)
    login_as(Role.ADMIN)
    html = client.get("/").text
    with app.test_request_context():
        queues, accounts = url_for("admin.index"), url_for("admin.accounts")
    assert f'href="{queues}"' in html
    assert f'href="{accounts}"' in html
    assert '<span class="stat__value">3</span> <span class="stat__label">' in html
    assert '<span class="stat__value">1</span>' in html  # one organisation awaiting review


# --- Language switch ----------------------------------------------------------------------------


def test_language_switch_persists_across_requests(app, client):
    html = client.get("/").text
    assert '<html lang="fr">' in html
    assert '<button type="submit" class="button button--quiet" lang="en">English</button>' in html

    response = client.post("/langue", data={"locale": "en", "next": "/catalogue?q=abc"})
    assert response.status_code == 302
    assert response.location == "/catalogue?q=abc"
    for url in ("/", "/catalogue", "/sortie-rapide"):
        html = client.get(url).text
        assert '<html lang="en">' in html, url
        assert 'lang="fr">Français</button>' in html, url

    client.post("/langue", data={"locale": "fr", "next": "/"})
    assert '<html lang="fr">' in client.get("/").text


def test_signed_in_choice_is_remembered_for_the_next_login(app, client, make_user):
    user = make_user(role=Role.INTERVENANTE)
    login(client, user)
    assert client.post("/langue", data={"locale": "en", "next": "/"}).status_code == 302
    assert db.session.get(User, user.id).preferred_locale == "en"
    client.post("/deconnexion")

    other_browser = app.test_client()
    assert '<html lang="fr">' in other_browser.get("/").text
    assert login(other_browser, user).status_code == 302
    assert '<html lang="en">' in other_browser.get("/").text


@pytest.mark.parametrize("locale", ["de", "", "fr-CA", "<script>"])
def test_unknown_locale_is_refused(client, locale):
    assert client.post("/langue", data={"locale": locale, "next": "/"}).status_code == 400
    assert '<html lang="fr">' in client.get("/").text


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/path",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "http:/evil.example",
        "/\x00evil",
        "/%0a/evil",
        "",
    ],
)
def test_language_switch_refuses_open_redirects(client, target):
    response = client.post("/langue", data={"locale": "en", "next": target})
    assert response.status_code == 302
    if target == "/%0a/evil":  # percent-encoded stays a harmless local path
        assert response.location == target
    else:
        assert response.location == "/"


def test_language_switch_needs_a_csrf_token(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post("/langue", data={"locale": "en", "next": "/"}).status_code == 400
    html = client.get("/").text
    token = html.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post("/langue", data={"locale": "en", "next": "/", "csrf_token": token})
    assert response.status_code == 302


# --- Quick exit ---------------------------------------------------------------------------------


def test_quick_exit_help_page(app, client):
    html = client.get("/sortie-rapide").text
    assert shown(app, "What quick exit does not do") in html
    assert shown(app, "Browsing more safely") in html
    assert_quick_exit(app, html)


def test_quick_exit_script_replaces_the_page():
    script = (Path(__file__).parent.parent / "cote_a_cote/static/js/quick-exit.js").read_text()
    assert "location.replace(" in script
    assert '"Shift"' in script and "event.repeat" in script
    assert "data-quick-exit-url" in script


def test_quick_exit_follows_configuration(app, client):
    update_settings(app, {"QUICK_EXIT_URL": "https://neutral.example/meteo?x=1&y=2"})
    html = client.get("/").text
    assert 'href="https://neutral.example/meteo?x=1&amp;y=2"' in html


@pytest.mark.parametrize("role", [None, Role.INTERVENANTE, Role.PROVIDER, Role.ADMIN])
def test_quick_exit_on_every_page_including_errors(app, client, login_as, role):
    @app.get("/_test/erreur/<int:code>")
    def failing(code: int):
        if code == 500:
            raise RuntimeError("boom")
        abort(code)

    app.config["PROPAGATE_EXCEPTIONS"] = False
    if role is not None:
        login_as(role)
    for url in ("/", "/catalogue", "/sortie-rapide", "/page-inexistante", "/admin/"):
        response = client.get(url)
        if response.status_code == 302:  # the admin page sends visitors to sign in
            continue
        assert_quick_exit(app, response.text)
    for code in (400, 403, 404, 429, 500):
        response = client.get(f"/_test/erreur/{code}")
        assert response.status_code == code
        assert '<html lang="fr">' in response.text
        assert_quick_exit(app, response.text)
        assert 'href="/"' in response.text


def test_error_page_survives_a_database_fault(app, client, monkeypatch):
    @app.get("/_test/panne")
    def broken():
        raise RuntimeError("database went away")

    def unreachable():
        raise OperationalError("SELECT 1", {}, ConnectionError("down"))

    app.config["PROPAGATE_EXCEPTIONS"] = False
    monkeypatch.setattr(catalogue_services, "has_fictional_data", unreachable)
    response = client.get("/_test/panne")
    assert response.status_code == 500
    assert_quick_exit(app, response.text)
