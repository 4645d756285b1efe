"""Two people acting on one referral at once: no lost update, the second gets a clear error."""

from __future__ import annotations

import pytest
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from cote_a_cote.accounts.models import User
from cote_a_cote.audit.models import AuditEvent
from cote_a_cote.audit.services import verify_chain
from cote_a_cote.extensions import db
from cote_a_cote.referrals import services
from cote_a_cote.referrals.models import Referral, ReferralStatus
from cote_a_cote.referrals.services import ReferralConflict

from .conftest import NOW, sent

S = ReferralStatus


def test_the_version_column_refuses_a_stale_update(app, world):
    referral = sent(world)
    db.session.commit()
    first, second = Session(db.engine), Session(db.engine)
    try:
        mine = first.get(Referral, referral.id)
        theirs = second.get(Referral, referral.id)
        mine.status = S.RECEIVED
        first.commit()
        theirs.status = S.WITHDRAWN
        with pytest.raises(StaleDataError):
            second.commit()
        second.rollback()
    finally:
        first.close()
        second.close()
    db.session.expire_all()
    assert db.session.get(Referral, referral.id).status is S.RECEIVED


def test_the_second_service_call_raises_a_clear_conflict(app, world):
    referral = sent(world)
    services.mark_received(referral, world.paul, NOW)
    db.session.commit()
    seen_by_paul = db.session.get(Referral, referral.id)  # loaded before the other change
    assert seen_by_paul.status is S.RECEIVED

    with app.app_context():  # a second request: its own session on the same engine
        other = db.session.get(Referral, referral.id)
        alice = db.session.get(User, world.alice.id)
        services.withdraw(other, alice, NOW)
        db.session.commit()

    with pytest.raises(ReferralConflict) as caught:
        services.accept(seen_by_paul, world.paul, NOW)
    with force_locale("en"):
        assert "Someone else changed this referral" in str(caught.value)
    db.session.rollback()

    db.session.expire_all()
    assert db.session.get(Referral, referral.id).status is S.WITHDRAWN
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-1] == "referral.withdraw" and "referral.accept" not in actions
    assert verify_chain() is None
