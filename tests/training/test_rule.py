"""The trained rule on fixed data, expiry flipping the badge (and search), and expiry notices."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from cote_a_cote.catalogue.models import OrganizationKind
from cote_a_cote.config import update_settings
from cote_a_cote.extensions import db
from cote_a_cote.mail import outbox
from cote_a_cote.notifications.models import Notification
from cote_a_cote.roles import Role
from cote_a_cote.training import services
from cote_a_cote.training.models import RecordStatus
from cote_a_cote.training.services import ModuleState
from tests.search.conftest import find
from tests.training.conftest import NOW, REQUIRED, TODAY


def test_an_organisation_needs_active_staff_holding_every_required_module(
    make_org, staff, complete, give
):
    org = make_org("Clinique Alpha")
    assert not services.is_trained(org, TODAY)  # nobody on the platform
    first = staff(org)
    complete(first)
    assert services.is_trained(org, TODAY)
    second = staff(org)
    give(second, "trafficking_exploitation")
    assert not services.is_trained(org, TODAY)  # everyone counts by default
    second.active = False
    db.session.commit()
    assert services.is_trained(org, TODAY)  # deactivated staff are not counted
    # Someone of another role attached to the organisation is not provider staff.
    staff(org, role=Role.INTERVENANTE)
    assert services.is_trained(org, TODAY)


def test_optional_and_inactive_modules_are_ignored(make_org, staff, give, modules):
    org = make_org()
    person = staff(org)
    for code in REQUIRED[:-1]:
        give(person, code)
    assert not services.is_trained(org, TODAY)
    modules["welcome_dignity"].required = False
    db.session.commit()
    assert services.is_trained(org, TODAY)
    modules["welcome_dignity"].required = True
    modules["welcome_dignity"].active = False
    db.session.commit()
    assert services.is_trained(org, TODAY)
    # An optional module nobody holds never matters.
    assert not modules["first_nations_inuit"].required


def test_declared_and_rejected_records_do_not_count(make_org, staff, give):
    org = make_org()
    person = staff(org)
    for code in REQUIRED[:-1]:
        give(person, code)
    give(person, REQUIRED[-1], status=RecordStatus.DECLARED)
    assert not services.is_trained(org, TODAY)
    give(person, REQUIRED[-1], status=RecordStatus.REJECTED)
    assert not services.is_trained(org, TODAY)
    give(person, REQUIRED[-1])
    assert services.is_trained(org, TODAY)


def test_the_share_of_staff_is_configurable(app, make_org, staff, complete):
    org = make_org()
    people = [staff(org) for _ in range(4)]
    for person in people[:3]:
        complete(person)
    assert not services.is_trained(org, TODAY)
    update_settings(app, {"TRAINED_MIN_STAFF_SHARE": 0.75})
    assert services.is_trained(org, TODAY)
    update_settings(app, {"TRAINED_MIN_STAFF_SHARE": 0.8})
    assert not services.is_trained(org, TODAY)
    update_settings(app, {"TRAINED_MIN_STAFF_SHARE": 0.5})
    assert services.is_trained(org, TODAY)
    assert services.missing_for(org, TODAY).needed_count == 2


def test_only_providers_can_be_trained(make_org, make_user, complete):
    referrer = make_org(kind=OrganizationKind.REFERRER)
    person = make_user(role=Role.PROVIDER, organization=referrer)
    complete(person)
    assert not services.is_trained(referrer, TODAY)
    assert services.refresh_organization(referrer, NOW) is False


def test_a_record_counts_until_the_day_before_its_expiry(make_org, staff, complete):
    org = make_org()
    complete(staff(org), completed_on=date(2024, 6, 10), expires_on=TODAY)
    assert services.is_trained(org, TODAY - timedelta(days=1))
    assert not services.is_trained(org, TODAY)
    other = make_org()
    complete(staff(other), completed_on=date(2020, 1, 1), expires_on=None)  # never expires
    assert services.is_trained(other, date(2099, 1, 1))


def test_expiry_flips_the_badge_and_the_search_filter_after_refresh(
    reference, make_org, make_service, staff, complete
):
    org = make_org("Clinique Bêta")
    service = make_service(organization=org, name_fr="Soins de pieds")
    untouched = make_org("Sans personnel")
    complete(staff(org), completed_on=date(2024, 6, 10), expires_on=TODAY)
    assert service.id not in find(trained_only=True)

    day_before = NOW - timedelta(days=1)
    assert services.refresh_trained_status(day_before) == 1
    db.session.commit()
    assert org.is_trained and org.trained_checked_at == day_before
    assert untouched.trained_checked_at == day_before and not untouched.is_trained
    assert service.id in find(trained_only=True)

    assert services.refresh_trained_status(day_before + timedelta(hours=2)) == 0
    assert services.refresh_trained_status(NOW) == 1  # the day of the expiry
    db.session.commit()
    assert not org.is_trained and org.trained_checked_at == NOW
    assert service.id not in find(trained_only=True)
    assert service.id in find("pieds")


def test_refreshing_one_organisation_leaves_the_others(make_org, staff, complete):
    org, other = make_org(), make_org(is_trained=True)
    complete(staff(org))
    assert services.refresh_organization(org, NOW) is True
    db.session.commit()
    assert org.is_trained and org.trained_checked_at == NOW
    assert other.is_trained and other.trained_checked_at is None  # left for the daily check


def test_missing_for_says_what_each_person_lacks(make_org, staff, give, complete):
    org = make_org()
    done = staff(org, name="Ada")
    complete(done, completed_on=date(2025, 3, 1))
    behind = staff(org, name="Béa")
    give(behind, "trafficking_exploitation", date(2024, 7, 1))  # expires 2025-07-01: soon
    give(behind, "trauma_informed", date(2024, 5, 1))  # expired on 2025-05-01
    give(behind, "trauma_informed", date(2024, 1, 1))  # older, also expired
    give(behind, "exit_harm_reduction", status=RecordStatus.DECLARED)
    progress = services.missing_for(org, TODAY)
    assert not progress.is_trained and progress.complete_count == 1
    people = {p.user.name: p for p in progress.staff}
    assert people["Ada"].complete and not people["Ada"].to_do
    states = {m.module.code: m for m in people["Béa"].modules}
    assert states["trafficking_exploitation"].state is ModuleState.EXPIRING
    assert states["trafficking_exploitation"].expires_on == date(2025, 7, 1)
    assert states["trauma_informed"].state is ModuleState.EXPIRED
    assert states["trauma_informed"].expires_on == date(2025, 5, 1)
    assert states["exit_harm_reduction"].state is ModuleState.MISSING
    assert states["exit_harm_reduction"].pending
    assert [m.module.code for m in people["Béa"].to_do] == list(REQUIRED[1:])
    assert progress.is_trained == services.is_trained(org, TODAY)


def test_validity_adds_calendar_months():
    assert services.add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert services.add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert services.add_months(date(2025, 11, 15), 3) == date(2026, 2, 15)


def _notes(kind: str) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.kind == kind)))


def test_expiry_notices_go_once_to_the_person_and_the_administrators(
    make_org, make_user, staff, give
):
    admin = make_user(role=Role.ADMIN)
    org = make_org("Clinique Gamma")
    person = staff(org, email="gamma@example.org")
    soon = give(person, "trauma_informed", date(2024, 7, 1), expires_on=TODAY + timedelta(days=60))
    give(person, "trafficking_exploitation", expires_on=TODAY + timedelta(days=61))  # not yet
    give(person, "exit_harm_reduction", expires_on=TODAY + timedelta(days=5))
    give(person, "exit_harm_reduction", expires_on=TODAY + timedelta(days=370))  # renewed
    give(
        person,
        "welcome_dignity",
        expires_on=TODAY + timedelta(days=5),
        status=RecordStatus.DECLARED,
    )
    gone = staff(org)
    give(gone, "trauma_informed", expires_on=TODAY + timedelta(days=5))
    gone.active = False
    db.session.commit()

    assert services.send_expiry_notices(NOW) == 1
    db.session.commit()
    assert soon.expiry_notice_sent_at == NOW
    notes = _notes("training_expiring")
    assert sorted(n.user_id for n in notes) == sorted([person.id, admin.id])
    assert all(n.params["date"] == "2025-08-09" for n in notes)
    assert {n.params["organization"] for n in notes} == {"Clinique Gamma"}
    assert sorted(m["To"] for m in outbox()) == sorted([person.email, admin.email])

    assert services.send_expiry_notices(NOW + timedelta(hours=3)) == 0
    db.session.commit()
    assert len(_notes("training_expiring")) == 2 and len(outbox()) == 2
    # A day later the record expiring in 61 days enters the period: its own notice, once.
    assert services.send_expiry_notices(NOW + timedelta(days=1)) == 1
