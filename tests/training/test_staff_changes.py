"""The trained badge follows staff changes at once: deactivation, reactivation, a new colleague."""

from __future__ import annotations

from datetime import timedelta

from cote_a_cote.accounts import services as accounts
from cote_a_cote.accounts.models import Invitation
from cote_a_cote.database import utcnow
from cote_a_cote.extensions import db
from cote_a_cote.roles import Role


def test_deactivating_the_untrained_colleague_makes_the_organisation_trained(
    make_org, make_user, staff, complete
):
    org = make_org()
    trained, untrained = staff(org), staff(org)
    complete(trained)
    admin = make_user(role=Role.ADMIN)
    from cote_a_cote.training.services import refresh_organization

    refresh_organization(org)
    db.session.commit()
    assert org.is_trained is False  # with the default share, everyone must be trained

    accounts.deactivate_user(untrained, actor=admin)
    db.session.commit()
    assert org.is_trained is True

    accounts.reactivate_user(untrained)
    db.session.commit()
    assert org.is_trained is False


def test_a_new_colleague_joining_by_invitation_counts_at_once(make_org, staff, complete):
    org = make_org()
    complete(staff(org))
    from cote_a_cote.training.services import refresh_organization

    refresh_organization(org)
    db.session.commit()
    assert org.is_trained is True
    invitation = Invitation(
        email="nouvelle.collegue@example.org",
        name="Nouvelle",
        role=Role.PROVIDER,
        organization_id=org.id,
        token_hash="x" * 64,
        expires_at=utcnow() + timedelta(days=1),
    )
    db.session.add(invitation)
    db.session.commit()
    accounts.accept_invitation(invitation, "Nouvelle Collègue", "un mot de passe assez long")
    db.session.commit()
    assert org.is_trained is False  # until she completes the required modules
