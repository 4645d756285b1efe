"""Award, renew, withdraw and expiry: the rules, the dates and the history kept."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from cote_a_cote.audit.models import AuditEvent
from cote_a_cote.catalogue.models import OrganizationStatus
from cote_a_cote.extensions import db
from cote_a_cote.recognition import services
from cote_a_cote.recognition.models import AwardStatus, RecognitionAward
from cote_a_cote.recognition.services import RecognitionError
from cote_a_cote.roles import Role

from .conftest import NOW, TODAY


@pytest.fixture
def admin(make_user):
    return make_user(role=Role.ADMIN)


@pytest.fixture
def easy(level_with):
    """A level with no required criterion: every partner meets it."""
    return level_with(code="facile", rank=5)


def test_award_covers_one_year_from_today_with_an_unguessable_code(make_org, easy, admin):
    org = make_org()
    made = services.award(org, easy, "  Engagement remarquable  ", admin, TODAY, now=NOW)
    db.session.commit()
    assert (made.valid_from, made.valid_until, made.year) == (TODAY, date(2026, 6, 10), 2025)
    assert made.rationale == "Engagement remarquable"
    assert made.awarded_by_id == admin.id and made.criteria_override is False
    assert len(made.verification_code) >= 16
    assert services.award(org, easy, "Encore", admin, TODAY).verification_code != (
        made.verification_code
    )
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "recognition.award" in actions


def test_award_needs_a_rationale(make_org, easy, admin):
    with pytest.raises(RecognitionError) as error:
        services.award(make_org(), easy, "   ", admin, TODAY)
    assert error.value.field == "rationale"
    assert db.session.scalar(select(RecognitionAward.id)) is None


def test_a_level_whose_criteria_are_unmet_needs_an_explicit_override(make_org, levels, admin):
    org = make_org()  # no staff, no referral: meets nothing
    with pytest.raises(RecognitionError) as error:
        services.award(org, levels["allie"], "Parce que", admin, TODAY)
    assert error.value.field == "override"
    made = services.award(org, levels["allie"], "Partenaire fondateur", admin, TODAY, override=True)
    assert made.criteria_override is True


def test_only_approved_providers_are_recognised(make_org, easy, admin):
    with pytest.raises(RecognitionError):
        services.award(make_org(status=OrganizationStatus.SUSPENDED), easy, "Non", admin, TODAY)


def test_current_award_follows_the_dates(make_org, easy, admin):
    org = make_org()
    services.award(org, easy, "Oui", admin, TODAY)
    assert services.current_award(org, TODAY - timedelta(days=1)) is None
    assert services.current_award(org, TODAY) is not None
    assert services.current_award(org, date(2026, 6, 10)) is not None  # last day included
    assert services.current_award(org, date(2026, 6, 11)) is None  # expired by date


def test_current_award_is_the_highest_level(make_org, level_with, admin):
    low, high = level_with(code="bas", rank=1), level_with(code="haut", rank=2)
    org = make_org()
    services.award(org, high, "Haut", admin, TODAY - timedelta(days=30))
    services.award(org, low, "Bas", admin, TODAY)
    assert services.current_award(org, TODAY).level_id == high.id


def test_renewal_is_a_new_row_linked_and_starting_when_the_last_ends(make_org, easy, admin):
    org = make_org()
    first = services.award(org, easy, "An 1", admin, TODAY)
    with pytest.raises(RecognitionError):
        services.renew(first, "Trop tôt", admin, TODAY + timedelta(days=100))
    renewal = services.renew(first, "An 2", admin, date(2026, 5, 1))
    db.session.commit()
    assert renewal.id != first.id and renewal.renewed_from_id == first.id
    assert (renewal.valid_from, renewal.valid_until, renewal.year) == (
        date(2026, 6, 11),
        date(2027, 6, 11),
        2026,
    )
    assert first.rationale == "An 1" and first.status is AwardStatus.ACTIVE  # kept as it was
    assert services.current_award(org, date(2026, 6, 10)).id == first.id
    assert services.current_award(org, date(2026, 6, 11)).id == renewal.id
    with pytest.raises(RecognitionError):
        services.renew(first, "Deux fois", admin, date(2026, 5, 2))


def test_an_expired_award_renews_from_today(make_org, easy, admin):
    first = services.award(make_org(), easy, "An 1", admin, TODAY)
    later = date(2026, 9, 1)
    renewal = services.renew(first, "Retour", admin, later)
    assert renewal.valid_from == later


def test_withdrawal_keeps_the_award_and_says_who_when_and_why(make_org, easy, admin):
    org = make_org()
    first = services.award(org, easy, "Oui", admin, TODAY)
    renewal = services.renew(first, "Encore", admin, date(2026, 5, 1))
    services.withdraw(first, "Plainte fondée", admin, now=NOW)
    db.session.commit()
    assert first.status is AwardStatus.WITHDRAWN
    assert (first.withdrawn_at, first.withdrawn_by_id, first.withdrawal_reason) == (
        NOW,
        admin.id,
        "Plainte fondée",
    )
    assert first.rationale == "Oui"
    assert renewal.status is AwardStatus.WITHDRAWN  # its renewal goes with it
    assert services.current_award(org, TODAY) is None
    assert db.session.scalar(select(db.func.count(RecognitionAward.id))) == 2
    with pytest.raises(RecognitionError):
        services.withdraw(first, "Encore", admin)
    with pytest.raises(RecognitionError):
        services.renew(first, "Après retrait", admin, date(2026, 6, 1))


def test_withdrawal_needs_a_reason(make_org, easy, admin):
    first = services.award(make_org(), easy, "Oui", admin, TODAY)
    with pytest.raises(RecognitionError) as error:
        services.withdraw(first, "", admin)
    assert error.value.field == "reason"
    assert first.status is AwardStatus.ACTIVE


def test_awards_ending_within_30_days_are_listed_until_renewed(make_org, easy, admin):
    soon, later = make_org(name="Bientôt"), make_org(name="Plus tard")
    ending = services.award(soon, easy, "Oui", admin, TODAY - timedelta(days=350))
    services.award(later, easy, "Oui", admin, TODAY - timedelta(days=100))
    assert [a.id for a in services.expiring(TODAY)] == [ending.id]
    services.renew(ending, "Encore", admin, TODAY)
    assert services.expiring(TODAY) == []


def test_public_badges_only_for_listed_partners_who_opted_in(make_org, easy, admin):
    shown = make_org(recognition_public=True)
    private = make_org(recognition_public=False)
    suspended = make_org(recognition_public=True)
    for org in (shown, private, suspended):
        services.award(org, easy, "Oui", admin, TODAY)
    suspended.status = OrganizationStatus.SUSPENDED
    db.session.commit()
    badges = services.public_badges([shown.id, private.id, suspended.id], TODAY)
    assert list(badges) == [shown.id]
    assert services.public_badges([shown.id], TODAY + timedelta(days=400)) == {}
