"""How referrals follow what happens elsewhere: a departure, a designation, a suspension."""

from __future__ import annotations

from .. import signals
from ..accounts.services import referral_delegate
from ..roles import Role
from .ratings import provider_rating_summary
from .upkeep import flag_for_rerouting, hand_over_on_departure, inherit_pending
from .visibility import confidential_address_visible


def _hand_over(user, actor, **_):
    # Her open referrals go to the colleague her organisation designated; without one they
    # stay frozen until it designates one (never to the administrator: consent scope).
    if user.role is Role.INTERVENANTE and actor.role is Role.ADMIN:
        hand_over_on_departure(user, referral_delegate(user), actor=actor)


def _inherit(organization, delegate, actor, remote_addr=None, **_):
    # The colleague inherits the hand-overs that waited for someone to be designated.
    inherit_pending(organization.id, delegate, actor=actor, remote_addr=remote_addr)


def _reroute(organization, now, actor, **_):
    # Its open referrals must go elsewhere: their intervenantes are told at once.
    flag_for_rerouting(organization, now=now, actor=actor)


def _address_visible(service, viewer, **_):
    return confidential_address_visible(viewer, service)


def _ratings(organization, **_):
    return provider_rating_summary(organization)


def connect() -> None:
    """Subscribe referrals to the signals it reacts to (connecting twice changes nothing)."""
    signals.account_deactivated.connect(_hand_over)
    signals.referral_delegate_designated.connect(_inherit)
    signals.organization_suspended.connect(_reroute)
    signals.confidential_address_asked.connect(_address_visible)
    signals.provider_ratings_asked.connect(_ratings)
