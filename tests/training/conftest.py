"""Training fixtures: the starting modules, provider staff and records written in one line."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from cote_a_cote.extensions import db
from cote_a_cote.roles import Role
from cote_a_cote.training.models import RecordStatus, TrainingModule, TrainingRecord
from cote_a_cote.training.seeding import load_training_modules

# Noon in Montréal on 10 June 2025: the same calendar day in UTC and in Québec.
NOW = datetime(2025, 6, 10, 16, 0, tzinfo=UTC)
TODAY = date(2025, 6, 10)
REQUIRED = (
    "trafficking_exploitation",
    "trauma_informed",
    "exit_harm_reduction",
    "confidentiality_safety",
    "welcome_dignity",
)


def recently() -> date:
    """A month before the real today: pages run on the real clock."""
    from cote_a_cote.database import utcnow
    from cote_a_cote.training.services import local_day

    return local_day(utcnow()) - timedelta(days=30)


@pytest.fixture
def modules(app) -> dict[str, TrainingModule]:
    """The starting modules (five required), by code."""
    load_training_modules()
    db.session.commit()
    return {m.code: m for m in db.session.scalars(select(TrainingModule))}


@pytest.fixture
def staff(make_user):
    """An active provider staff member of organization."""

    def factory(organization, **fields):
        fields.setdefault("role", Role.PROVIDER)
        return make_user(organization=organization, **fields)

    return factory


@pytest.fixture
def give(modules):
    """give(user, code, completed_on, expires_on=..., status=...): add one record and commit."""

    def factory(user, code, completed_on=None, expires_on="auto", status=None):
        module = modules[code]
        completed_on = completed_on or recently()
        if expires_on == "auto":
            from cote_a_cote.training.services import expiry_for

            expires_on = expiry_for(module, completed_on)
        record = TrainingRecord(
            user_id=user.id,
            module_id=module.id,
            completed_on=completed_on,
            expires_on=expires_on,
            status=status or RecordStatus.CONFIRMED,
        )
        db.session.add(record)
        db.session.commit()
        return record

    return factory


@pytest.fixture
def complete(give):
    """Give user every required module, completed on completed_on (or expiring on expires_on)."""

    def factory(user, completed_on=None, expires_on="auto"):
        return [give(user, code, completed_on, expires_on) for code in REQUIRED]

    return factory
