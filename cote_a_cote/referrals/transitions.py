"""Every action on a referral, the statuses it may start from, where it leads and who may take it.

This table is the only place the workflow is written down; services.apply() enforces it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from .models import CLOSED_STATUSES, OPEN_STATUSES, ReferralStatus

S = ReferralStatus


class Action(enum.Enum):
    UPDATE_DRAFT = "update_draft"
    CONFIRM_CONSENT = "confirm_consent"
    SEND = "send"
    RECEIVE = "receive"  # the provider opened it
    ACCEPT = "accept"
    WAITLIST = "waitlist"
    DECLINE = "decline"
    START = "start"
    COMPLETE = "complete"
    NOT_COMPLETE = "not_complete"
    WITHDRAW = "withdraw"
    REROUTE = "reroute"
    WITHDRAW_CONSENT = "withdraw_consent"
    EVALUATE = "evaluate"

    @property
    def audit_name(self) -> str:
        return f"referral.{self.value}"


class Party(enum.Enum):
    """How the actor stands towards one referral."""

    OWNER = "owner"  # the intervenante who referred (or the person it was passed to)
    PROVIDER = "provider"  # staff of the organisation the referral is addressed to
    ADMIN = "admin"


@dataclass(frozen=True)
class Rule:
    action: Action
    sources: frozenset[ReferralStatus]
    target: ReferralStatus | None  # None: the status does not change
    parties: frozenset[Party]
    required: tuple[str, ...] = ()  # keys of the action's data that must be given
    needs_consent: bool = False  # a confirmed, unexpired, unwithdrawn consent


OWNER = frozenset({Party.OWNER})
PROVIDER = frozenset({Party.PROVIDER})
OWNER_OR_PROVIDER = frozenset({Party.OWNER, Party.PROVIDER})
OWNER_OR_ADMIN = frozenset({Party.OWNER, Party.ADMIN})
_ANSWERABLE = frozenset({S.RECEIVED, S.WAITLISTED})

TRANSITIONS: tuple[Rule, ...] = (
    Rule(Action.UPDATE_DRAFT, frozenset({S.DRAFT}), None, OWNER),
    Rule(Action.CONFIRM_CONSENT, frozenset({S.DRAFT}), None, OWNER),
    Rule(Action.SEND, frozenset({S.DRAFT}), S.SENT, OWNER, needs_consent=True),
    Rule(Action.RECEIVE, frozenset({S.SENT}), S.RECEIVED, PROVIDER),
    # accepted may carry an appointment; waitlisted needs the expected date.
    Rule(Action.ACCEPT, _ANSWERABLE, S.ACCEPTED, PROVIDER),
    Rule(Action.WAITLIST, frozenset({S.RECEIVED}), S.WAITLISTED, PROVIDER, ("expected_on",)),
    # The provider records a refusal, its own or the person's; the intervenante the person's.
    Rule(
        Action.DECLINE,
        _ANSWERABLE,
        S.DECLINED,
        OWNER_OR_PROVIDER,
        ("reason", "declined_by"),
    ),
    Rule(Action.START, frozenset({S.ACCEPTED}), S.IN_PROGRESS, OWNER_OR_PROVIDER),
    Rule(Action.COMPLETE, frozenset({S.IN_PROGRESS}), S.COMPLETED, OWNER_OR_PROVIDER),
    Rule(
        Action.NOT_COMPLETE,
        frozenset({S.ACCEPTED, S.WAITLISTED, S.IN_PROGRESS}),
        S.NOT_COMPLETED,
        OWNER_OR_PROVIDER,
        ("outcome",),
    ),
    Rule(Action.WITHDRAW, OPEN_STATUSES | {S.DRAFT}, S.WITHDRAWN, OWNER_OR_ADMIN),
    # A new draft for another service, linked to this one; this one stays as it is.
    Rule(Action.REROUTE, frozenset({S.DECLINED, S.WITHDRAWN}), None, OWNER, ("service",)),
    # Withdrawing consent stops an open referral; on a closed one it only erases the text.
    Rule(Action.WITHDRAW_CONSENT, OPEN_STATUSES | {S.DRAFT}, S.WITHDRAWN, OWNER_OR_ADMIN),
    Rule(Action.WITHDRAW_CONSENT, CLOSED_STATUSES, None, OWNER_OR_ADMIN),
    Rule(
        Action.EVALUATE,
        frozenset({S.COMPLETED, S.NOT_COMPLETED}),
        None,
        OWNER,
        ("respect", "no_judgement", "confidentiality", "would_refer_again"),
    ),
)


def rule_for(action: Action, status: ReferralStatus) -> Rule | None:
    """The rule allowing action from status, or None when the table has none."""
    for rule in TRANSITIONS:
        if rule.action is action and status in rule.sources:
            return rule
    return None


def allowed_actions(status: ReferralStatus, parties: frozenset[Party] | set[Party]) -> list[Action]:
    """The actions these parties may take from status, in the table's order (for the pages)."""
    seen: list[Action] = []
    for rule in TRANSITIONS:
        if status in rule.sources and rule.parties & set(parties) and rule.action not in seen:
            seen.append(rule.action)
    return seen
