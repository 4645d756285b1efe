"""Bad input is answered, never a 500: ids, pages, dates, text, files and JSON where text belongs.

Each test names the input that used to fail (issue 15) and checks what the person sees and what
the database holds.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import select

from cote_a_cote.catalogue.models import Organization, OrganizationStatus, Schedule
from cote_a_cote.extensions import db
from cote_a_cote.forms import EARLIEST_DATE, LATEST_DATE, local_today
from cote_a_cote.i18n import safe_format_date
from cote_a_cote.referrals.forms import CONSENT_MAX_DAYS
from cote_a_cote.referrals.models import Referral, ReferralStatus
from cote_a_cote.roles import Role
from tests.conftest import login, shown
from tests.referrals.conftest import referral_world, sent, world  # noqa: F401  (the referral world fixtures)

TRACEBACK = "Traceback"


def _date_message(app, message: str, day: date) -> str:
    with app.test_request_context(), force_locale("fr"):
        return str(gettext(message, day=safe_format_date(day)))


def _no_error_page(response) -> str:
    text = response.get_data(as_text=True)
    assert response.status_code < 500, response.status_code
    assert TRACEBACK not in text
    return text


# --- ids and page numbers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/services/99999999999999999999",
        "/services/2147483648",  # one past PostgreSQL's INTEGER
        "/organisations/18446744073709551616",
        "/organisations/" + "9" * 5000,  # past Python's int() digit limit
    ],
)
def test_ids_wider_than_the_database_column_are_not_found(client, url):
    assert client.get(url).status_code == 404


def test_the_widest_id_the_column_holds_is_simply_not_found(client, reference, make_service):
    service = make_service()
    assert client.get(f"/services/{service.id}").status_code == 200
    assert client.get("/services/2147483647").status_code == 404


@pytest.mark.parametrize("path", ["/catalogue", "/reconnaissance", "/recherche"])
def test_page_numbers_past_any_page_and_odd_ones_are_page_one(client, reference, path):
    first = _no_error_page(client.get(path))
    for odd in ("99999999999999999999", "1_000_000_000_000", "abc", "-3", "9" * 5000, "%00"):
        response = client.get(f"{path}?page={odd}")
        text = _no_error_page(response)
        assert response.status_code in (200, 404)  # page 1, or a page that does not exist
        if response.status_code == 200:
            assert text.count("<li") == first.count("<li")


def test_a_referral_for_a_service_id_too_wide_is_not_found(client, login_as):
    login_as(Role.INTERVENANTE)
    assert client.get("/references/nouvelle?service=99999999999999999999").status_code == 404


# --- dates ------------------------------------------------------------------------------------


def test_the_journal_refuses_a_date_past_2100_with_a_message(app, client, login_as):
    login_as(Role.ADMIN)
    response = client.get("/admin/journal/?until=9999-12-31")
    text = _no_error_page(response)
    assert response.status_code == 200
    assert _date_message(app, "Enter a date on or before %(day)s.", LATEST_DATE) in text
    assert 'value="9999-12-31"' in text


def test_the_journal_refuses_year_one(app, client, login_as):
    login_as(Role.ADMIN)
    text = _no_error_page(client.get("/admin/journal/?since=0001-01-01"))
    assert _date_message(app, "Enter a date on or after %(day)s.", EARLIEST_DATE) in text


def test_training_dates_before_1990_are_refused_with_a_message(
    app, client, login_as, make_org, make_user
):
    from cote_a_cote.training.models import TrainingModule, TrainingRecord
    from cote_a_cote.training.seeding import load_training_modules

    load_training_modules()
    db.session.commit()
    login_as(Role.ADMIN)
    org = make_org("Clinique Zêta")
    person = make_user(role=Role.PROVIDER, organization=org)
    module = db.session.scalars(select(TrainingModule)).first()
    url = f"/admin/formation/dossiers/nouveau?organization_id={org.id}"
    for day in ("1985-06-01", "0001-01-01", "1999-12-31"):
        data = {"user_id": person.id, "module_id": module.id, "completed_on": day}
        response = client.post(url, data=data)
        text = _no_error_page(response)
        if day == "1999-12-31":  # allowed since 1990: recorded
            assert response.status_code == 302
            continue
        assert response.status_code == 200
        assert _date_message(app, "Enter a date on or after %(day)s.", date(1990, 1, 1)) in text
        assert f'value="{day}"' in text
    assert len(db.session.scalars(select(TrainingRecord)).all()) == 1


def test_a_consent_cannot_last_until_9999(app, client, world):  # noqa: F811
    from cote_a_cote.referrals import services

    referral = services.create_draft(
        world.alice, world.service, needs=[world.needs[0].id], now=datetime.now(UTC)
    )
    db.session.commit()
    assert login(client, world.alice).status_code == 302
    url = f"/references/{referral.id}/consentement"
    response = client.post(url, data={"valid_until": "9999-12-31", "agreed": "y"})
    text = _no_error_page(response)
    assert response.status_code == 200
    latest = local_today() + timedelta(days=CONSENT_MAX_DAYS)
    assert _date_message(app, "Enter a date on or before %(day)s.", latest) in text
    db.session.expire_all()
    assert db.session.get(Referral, referral.id).status is ReferralStatus.DRAFT


def test_an_appointment_in_year_one_is_refused(app, client, world):  # noqa: F811
    from cote_a_cote.referrals import services

    now = datetime.now(UTC)
    referral = sent(world, now)
    services.mark_received(referral, world.paul, now)
    db.session.commit()
    assert login(client, world.paul).status_code == 302

    response = client.post(
        f"/portail/references/{referral.id}/accepter",
        data={"accept-appointment_date": "0001-01-01", "accept-appointment_time": "10:00"},
    )

    text = _no_error_page(response)
    assert response.status_code == 200
    assert 'value="0001-01-01"' in text
    db.session.expire_all()
    saved = db.session.get(Referral, referral.id)
    assert saved.status is ReferralStatus.RECEIVED and saved.appointment_at is None


def test_a_stored_extreme_date_never_makes_a_referral_unopenable(client, world):  # noqa: F811
    """Data written before validation existed (or by another tool) still shows."""
    now = datetime.now(UTC)
    referral = sent(world, now)
    referral.status = ReferralStatus.ACCEPTED
    referral.appointment_at = datetime(1, 1, 1, tzinfo=UTC)
    referral.waitlist_expected_on = date(9999, 12, 31)
    db.session.commit()

    assert login(client, world.paul).status_code == 302
    page = _no_error_page(client.get(f"/portail/references/{referral.id}"))
    assert "0001-01-01" in page
    client.post("/deconnexion")
    assert login(client, world.alice).status_code == 302
    for url in (f"/references/{referral.id}", f"/references/{referral.id}/fiche"):
        response = client.get(url)
        assert response.status_code == 200
        assert "0001-01-01" in _no_error_page(response)


# --- opening hours ----------------------------------------------------------------------------


def test_an_opening_hours_row_with_a_day_but_no_times_is_refused(
    app, client, reference, make_org, make_user, make_service
):
    org = make_org(status=OrganizationStatus.DRAFT)
    service = make_service(organization=org)
    assert login(client, make_user(role=Role.PROVIDER, organization=org)).status_code == 302

    response = client.post(f"/portail/services/{service.id}/horaire", data={"rows-0-weekday": "3"})

    text = _no_error_page(response)
    assert response.status_code == 200
    assert shown(app, "Give the day, the opening time and the closing time.") in text
    assert db.session.scalars(select(Schedule)).all() == []


# --- text -------------------------------------------------------------------------------------


@pytest.fixture
def provider_staff(client, reference, make_org, make_user):
    org = make_org(name="Clinique du Fleuve", status=OrganizationStatus.DRAFT)
    user = make_user(role=Role.PROVIDER, organization=org)
    assert login(client, user).status_code == 302
    return org


@pytest.mark.parametrize("name", ["a\x00b", "a\x1b[31mb", "a\nb", "a\tb", "a\x85b"])
def test_control_characters_in_a_name_are_refused(app, client, provider_staff, name):
    response = client.post("/portail/organisation", data={"name": name, "visibility": "public"})
    text = _no_error_page(response)
    assert response.status_code == 200
    message = shown(
        app,
        "Remove the invisible characters (control characters, tabs or line breaks) from this "
        "field.",
    )
    assert message in text
    db.session.expire_all()
    assert db.session.get(Organization, provider_staff.id).name == "Clinique du Fleuve"


def test_a_description_keeps_its_line_breaks_but_not_nul(app, client, provider_staff):
    data = {"name": "Clinique du Fleuve", "visibility": "public"}
    refused = client.post(
        "/portail/organisation", data={**data, "description_fr": "Ligne 1\x00\nLigne 2"}
    )
    assert refused.status_code == 200
    assert shown(app, "Remove the invisible control characters from this text.") in refused.text

    saved = client.post(
        "/portail/organisation", data={**data, "description_fr": "Ligne 1\r\n\tLigne 2"}
    )
    assert saved.status_code == 302
    db.session.expire_all()
    assert db.session.get(Organization, provider_staff.id).description_fr == "Ligne 1\r\n\tLigne 2"


def test_every_text_field_has_a_maximum_length(app, client, provider_staff):
    response = client.post(
        "/portail/organisation",
        data={"name": "Clinique du Fleuve", "visibility": "public", "description_fr": "x" * 20_000},
    )
    assert response.status_code == 200
    assert 'class="field__error"' in response.text
    db.session.expire_all()
    assert db.session.get(Organization, provider_staff.id).description_fr is None


def test_a_file_where_text_is_expected_is_a_missing_field(app, client, make_user):
    user = make_user(role=Role.ADMIN)
    response = client.post(
        "/connexion",
        data={"email": (io.BytesIO(user.email.encode()), "email.txt"), "password": "x"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert 'class="field__error"' in _no_error_page(response)
    assert "_user_id" not in client.get("/").request.cookies  # not signed in


def test_a_json_body_is_not_read_as_the_form(client, provider_staff):
    response = client.post(
        "/portail/organisation", json={"name": ["a", 1], "visibility": {"x": None}}
    )
    _no_error_page(response)
    # Nothing was posted as a form: the profile is saved as it was (as an empty POST is).
    assert response.status_code in (200, 302)
    db.session.expire_all()
    assert db.session.get(Organization, provider_staff.id).name == "Clinique du Fleuve"


# --- the demonstration addresses --------------------------------------------------------------


def test_forgot_password_accepts_the_readme_demo_address(app, client, make_user):
    from cote_a_cote.mail import outbox

    make_user(role=Role.INTERVENANTE, email="intervenante@demo.cote-a-cote.invalid")
    response = client.post(
        "/mot-de-passe/oublie",
        data={"email": "intervenante@demo.cote-a-cote.invalid"},
        follow_redirects=True,
    )
    assert response.request.path == "/connexion"
    assert [m["To"] for m in outbox()] == ["intervenante@demo.cote-a-cote.invalid"]


def test_other_reserved_domains_are_still_refused(app, client):
    response = client.post("/mot-de-passe/oublie", data={"email": "quelqu.un@exemple.invalid"})
    assert response.status_code == 200
    assert shown(app, "Enter a valid e-mail address.") in response.text


def test_every_form_of_the_platform_gets_the_shared_input_rules():
    """A form built on FlaskForm directly skips the bounds and the multipart guard of BaseForm
    (a text field posted as a file gave a 500 on /avis): every form derives from BaseForm."""
    import importlib
    import pkgutil

    import wtforms

    import cote_a_cote
    from cote_a_cote.forms import BaseForm, SubForm

    for module in pkgutil.walk_packages(cote_a_cote.__path__, "cote_a_cote."):
        if ".migrations" not in module.name:
            importlib.import_module(module.name)
    forms, pending = [], [wtforms.Form]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("cote_a_cote.") and cls not in (BaseForm, SubForm):
            forms.append(cls)
    assert len(forms) > 50
    assert [f.__qualname__ for f in forms if not issubclass(f, BaseForm | SubForm)] == []
