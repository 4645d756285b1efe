"""Recognition fixtures: a fixed day, and a partner's figures written in one line each."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from cote_a_cote.extensions import db
from cote_a_cote.recognition.models import RecognitionLevel
from cote_a_cote.referrals.models import Referral, ReferralEvaluation, ReferralStatus
from cote_a_cote.referrals.services import new_code
from cote_a_cote.roles import Role
from cote_a_cote.training.models import RecordStatus, TrainingModule, TrainingRecord

# Noon in Montréal on 10 June 2025: the same calendar day in UTC and in Québec.
NOW = datetime(2025, 6, 10, 16, 0, tzinfo=UTC)
TODAY = date(2025, 6, 10)


@pytest.fixture
def levels(reference) -> dict[str, RecognitionLevel]:
    """The three starting levels (loaded with the reference data), by code."""
    return {lv.code: lv for lv in db.session.scalars(select(RecognitionLevel))}


@pytest.fixture
def level_with(app, reference):
    """A level requiring only the thresholds given (every other criterion not required)."""

    def factory(code="test", rank=100, **thresholds) -> RecognitionLevel:
        level = RecognitionLevel(
            code=code, name_fr="Niveau test", name_en="Test level", rank=rank, **thresholds
        )
        db.session.add(level)
        db.session.commit()
        return level

    return factory


@pytest.fixture
def staff(make_user):
    """Active provider staff of org; trained=True gives each every required module, confirmed."""

    def factory(org, count=1, trained=True, expires_on=None):
        modules = db.session.scalars(
            select(TrainingModule).where(TrainingModule.required.is_(True))
        ).all()
        members = []
        for _ in range(count):
            member = make_user(role=Role.PROVIDER, organization=org)
            if trained:
                for module in modules:
                    db.session.add(
                        TrainingRecord(
                            user_id=member.id,
                            module_id=module.id,
                            completed_on=TODAY - timedelta(days=30),
                            expires_on=expires_on,
                            status=RecordStatus.CONFIRMED,
                        )
                    )
            members.append(member)
        db.session.commit()
        return members

    return factory


@pytest.fixture
def referrals(make_user, make_service):
    """Referrals to org: status, hours to first response (None: no answer), an evaluation."""
    cache = {}

    def factory(org, status=ReferralStatus.COMPLETED, count=1, hours=None, rating=None):
        if "intervenante" not in cache:
            cache["intervenante"] = make_user(role=Role.INTERVENANTE)
        if org.id not in cache:
            cache[org.id] = make_service(organization=org)
        intervenante, service = cache["intervenante"], cache[org.id]
        sent = NOW - timedelta(days=20)
        made = []
        for _ in range(count):
            referral = Referral(
                code=new_code(),
                service_id=service.id,
                provider_organization_id=org.id,
                referring_user_id=intervenante.id,
                referring_organization_id=intervenante.organization_id,
                status=status,
                status_changed_at=sent,
                created_at=sent,
                sent_at=None if status is ReferralStatus.DRAFT else sent,
                first_response_at=None if hours is None else sent + timedelta(hours=hours),
            )
            db.session.add(referral)
            db.session.flush()
            if rating is not None:
                db.session.add(
                    ReferralEvaluation(
                        referral_id=referral.id,
                        respect=rating,
                        no_judgement=rating,
                        confidentiality=rating,
                        would_refer_again=True,
                    )
                )
            made.append(referral)
        db.session.commit()
        return made

    return factory
