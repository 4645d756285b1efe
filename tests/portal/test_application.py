"""Applying to become a partner: the account and draft profile it creates, and what it refuses."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from cote_a_cote.accounts.models import EmailVerificationToken, User
from cote_a_cote.catalogue.models import (
    Organization,
    OrganizationKind,
    OrganizationStatus,
    Service,
    Visibility,
)
from cote_a_cote.extensions import db
from cote_a_cote.mail import outbox
from cote_a_cote.roles import Role
from cote_a_cote.vetting.models import EventAction, OrganizationEvent
from tests.conftest import PASSWORD, shown

URL = "/devenir-partenaire/postuler"


def application(**changes) -> dict:
    data = {
        "organization_name": "Coiffure Solidaire",
        "sector": "sector.beauty",
        "contact_name": "Léa Fictive",
        "email": "Lea@Example.org",
        "password": PASSWORD,
        "confirm": PASSWORD,
        "phone": "514 555-0100",
        "regions": ["06", "13"],
        "services-0-name": "Coupe sans rendez-vous",
        "services-0-needs": ["need.self_image.hair"],
        "services-1-name": "Soins esthétiques",
        "services-1-needs": ["need.self_image.esthetics", "need.self_image"],
        "services-2-name": "",
        "visibility": "intervenantes",
        "accept": "y",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def apply(client, data):
    """POST the application; closing the answer delivers its e-mail, as a server would."""
    response = client.post(URL, data=data)
    response.close()
    return response


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_partner_page_is_public_and_linked_from_home(app, client):
    page = client.get("/devenir-partenaire")
    assert page.status_code == 200
    html = page.text
    assert shown(app, "What partners commit to") in html
    assert shown(app, "What partners receive") in html
    assert f'href="{URL}"' in html
    home = client.get("/").text
    assert 'href="/devenir-partenaire"' in home


def test_a_valid_application_creates_an_unverified_account_and_a_draft(app, client, reference):
    response = apply(client, application())
    assert response.status_code == 302
    assert response.headers["Location"] == "/devenir-partenaire/demande-envoyee"

    user = db.session.scalar(select(User))
    assert user.email == "lea@example.org"
    assert user.role is Role.PROVIDER
    assert user.email_verified_at is None
    assert user.name == "Léa Fictive"
    org = user.organization
    assert org.name == "Coiffure Solidaire"
    assert org.kind is OrganizationKind.PROVIDER
    assert org.status is OrganizationStatus.DRAFT
    assert org.is_fictional is False
    assert org.visibility is Visibility.INTERVENANTES
    assert org.sector.code == "sector.beauty"
    assert org.phone == "514 555-0100"
    services = db.session.scalars(select(Service).order_by(Service.id)).all()
    assert [s.name_fr for s in services] == ["Coupe sans rendez-vous", "Soins esthétiques"]
    assert [t.code for t in services[0].terms] == ["need.self_image.hair"]
    assert {t.code for t in services[1].terms} == {"need.self_image", "need.self_image.esthetics"}
    assert all([a.region_code for a in s.areas] == ["06", "13"] for s in services)
    event = db.session.scalar(select(OrganizationEvent))
    assert event.action is EventAction.APPLIED and event.actor_id == user.id

    token = db.session.scalar(select(EmailVerificationToken))
    assert token.user_id == user.id and len(token.token_hash) == 64
    [mail] = outbox()
    assert mail["To"] == "lea@example.org"
    body = mail.get_content()
    assert "/courriel/verifier#" in body
    assert token.token_hash not in body  # the link carries the token, the database only its hash

    # Nothing is listed yet.
    assert client.get("/catalogue").text.count("Coupe sans rendez-vous") == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"organization_name": ""}, "This field is required."),
        ({"sector": ""}, "This field is required."),
        ({"contact_name": ""}, "This field is required."),
        ({"email": "not-an-address"}, "Enter a valid e-mail address."),
        ({"password": "short", "confirm": "short"}, None),
        ({"confirm": "something else entirely"}, "The two passwords do not match."),
        ({"regions": None}, "Choose at least one region."),
        (
            {
                "services-0-name": "",
                "services-0-needs": None,
                "services-1-name": None,
                "services-1-needs": None,
            },
            "Describe at least one service you offer.",
        ),  # fmt: skip
        ({"services-0-needs": None}, "Choose at least one need."),
        ({"accept": None}, "Accept the commitments to apply."),
    ],
)
def test_each_invalid_field_is_refused_keeping_what_was_typed(
    app, client, reference, changes, message
):
    response = apply(client, application(**changes))
    assert response.status_code == 200
    html = response.text
    if message and "required" not in message:
        assert shown(app, message) in html
    assert shown(app, "Please correct the fields marked below.") in html
    assert 'aria-invalid="true"' in html or "field--error" in html
    kept = application(**changes)
    if kept.get("contact_name"):
        assert f'value="{kept["contact_name"]}"' in html
    if kept.get("services-0-name"):
        assert 'value="Coupe sans rendez-vous"' in html
    if "regions" in kept:
        assert re.search(
            r'<input checked id="regions-\d+" name="regions" type="checkbox" value="06"', html
        )
    if kept.get("services-0-needs"):
        assert re.search(
            r'<input checked id="services-0-needs-\d+"[^>]*value="need.self_image.hair"', html
        )
    assert 'value="' + PASSWORD not in html  # passwords are never sent back
    assert count(User) == 0 and count(Organization) == 0
    assert outbox() == []


def test_a_known_address_gets_the_same_answer_and_its_owner_a_notice(
    app, client, reference, make_user
):
    existing = make_user(role=Role.INTERVENANTE, email="lea@example.org")
    before = (count(User), count(Organization))
    response = apply(client, application())
    assert response.status_code == 302
    assert response.headers["Location"] == "/devenir-partenaire/demande-envoyee"
    assert (count(User), count(Organization)) == before
    assert count(EmailVerificationToken) == 0
    [mail] = outbox()
    assert mail["To"] == existing.email
    body = mail.get_content()
    assert "/connexion" in body and "/courriel/verifier" not in body


@pytest.mark.parametrize("app_config", [{"APPLICATION_LIMIT_PER_ADDRESS": "2 per hour"}])
def test_applications_are_rate_limited_per_address(app, client, reference):
    for number in range(2):
        data = application(email=f"person{number}@example.org")
        assert apply(client, data).status_code == 302
    # Mistakes in the form do not count, but once the limit is reached every POST is refused.
    response = apply(client, application(email="third@example.org"))
    assert response.status_code == 429
    assert count(User) == 2
    assert client.get(URL).status_code == 200


@pytest.mark.parametrize("app_config", [{"APPLICATION_LIMIT_PER_ADDRESS": "2 per hour"}])
def test_invalid_submissions_do_not_use_up_the_limit(app, client, reference):
    for _ in range(3):
        assert apply(client, application(accept=None)).status_code == 200
    assert apply(client, application()).status_code == 302


def test_signed_in_people_are_sent_home(client, login_as):
    login_as(Role.INTERVENANTE)
    assert client.get(URL).status_code == 302
