"""What happens to a referral: every action goes through apply(), which enforces the table.

Each action checks transitions.TRANSITIONS, sets state, actor and time, writes exactly one audit
event (action name and referral id, no content), notifies without content and flushes. Nothing
here commits: the request (or command) commits once, or rolls back on ReferralError.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, text
from sqlalchemy.orm.exc import StaleDataError

from ..accounts.models import User
from ..audit.services import record
from ..catalogue.models import Service, Taxonomy, TaxonomyTerm
from ..config import LOCAL_ZONE, settings
from ..database import utcnow
from ..errors import UserError
from ..extensions import db
from ..notifications.services import notify, notify_organization
from ..roles import Role
from .models import (
    AGE_BANDS,
    GENDERS,
    ContactMode,
    DeclinedBy,
    Outcome,
    Person,
    Referral,
    ReferralEvaluation,
    ReferralStatus,
)
from .transitions import Action, Party, rule_for


# Where notifications lead: no referral page exists yet (the next session adds them), so the
# e-mail links to the platform's home.
def link_for_provider(referral: Referral) -> dict:
    """Where a provider's notification about referral leads (its id only, never its content)."""
    return {"endpoint": "referral_inbox.detail", "endpoint_args": {"referral_id": referral.id}}


def link_for_intervenante(referral: Referral) -> dict:
    return {"endpoint": "referrals.detail", "endpoint_args": {"referral_id": referral.id}}


# No 0/O, 1/I/L, or letters read alike aloud: the person may copy the code by hand.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")

# The free text a referral may hold; all of it is erased by purge_text().
FREE_TEXT_FIELDS = (
    "person_needs_text",
    "contact_channel",
    "contact_safe_times",
    "briefing",
    "consent_purpose",
    "decline_reason",
)
_TEXT_LIMITS = {
    "person_needs_text": 1000,
    "contact_channel": 200,
    "contact_safe_times": 200,
    "briefing": 2000,
    "consent_purpose": 300,
    "decline_reason": 500,
}


class ReferralError(UserError):
    """An action refused; the message (a lazy string) is meant for the user."""


class ReferralConflict(ReferralError):
    """Someone changed the referral since it was loaded; the caller must roll back and reload."""


def local_today(now: datetime) -> date:
    """The calendar date in Québec at now (consent and waiting dates are Québec dates)."""
    return now.astimezone(LOCAL_ZONE).date()


def random_code() -> str:
    """A random code, ABCD-EFGH (not checked against existing referrals)."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def new_code() -> str:
    """A fresh random code, ABCD-EFGH, not held by any person yet."""
    while True:
        code = random_code()
        if db.session.scalar(select(Person.id).where(Person.code == code)) is None:
            return code


def may_refer_under(actor: User, person: Person) -> bool:
    """Whether actor may add a referral under person's code.

    The code must still exist (not erased) and be the intervenante's own, or her
    organisation's when the organisation shares referrals.
    """
    if actor.role is not Role.INTERVENANTE or not actor.active or person.code is None:
        return False
    if person.owner_id == actor.id:
        return True
    organization = actor.organization
    return (
        organization is not None
        and organization.share_referrals
        and person.organization_id == actor.organization_id
    )


def new_person(actor: User, now: datetime, remote_addr: str | None = None) -> Person:
    """A new person with a fresh code, followed by actor; audited by id; flushes."""
    person = Person(
        code=new_code(),
        owner_id=actor.id,
        organization_id=actor.organization_id,
        created_at=now,
    )
    db.session.add(person)
    db.session.flush()
    record(actor, "person.create", "person", person.id, remote_addr, now)
    return person


def parties_of(actor: User, referral: Referral) -> frozenset[Party]:
    """How actor stands towards referral: owner, addressed provider, administrator (or none)."""
    parties = set()
    if not actor.active:
        return frozenset()
    if referral.referring_user_id == actor.id:
        parties.add(Party.OWNER)
    if actor.role is Role.PROVIDER and actor.organization_id == referral.provider_organization_id:
        parties.add(Party.PROVIDER)
    if actor.role is Role.ADMIN:
        parties.add(Party.ADMIN)
    return frozenset(parties)


def consent_is_valid(referral: Referral, now: datetime) -> bool:
    """Confirmed, not withdrawn, and not past its last day."""
    return (
        referral.consent_confirmed_at is not None
        and referral.consent_withdrawn_at is None
        and referral.consent_valid_until is not None
        and local_today(now) <= referral.consent_valid_until
    )


def _clean_text(field: str, value: str | None) -> str | None:
    value = (value or "").strip()
    if len(value) > _TEXT_LIMITS[field]:
        raise ReferralError(_l("A text is longer than allowed; please shorten it."))
    return value or None


def _need_terms(needs: Iterable[int | TaxonomyTerm]) -> list[TaxonomyTerm]:
    ids = {n.id if isinstance(n, TaxonomyTerm) else int(n) for n in needs}
    if not ids:
        return []
    terms = db.session.scalars(
        select(TaxonomyTerm)
        .join(Taxonomy)
        .where(TaxonomyTerm.id.in_(ids), Taxonomy.code == "need", TaxonomyTerm.active.is_(True))
    ).all()
    if len(terms) != len(ids):
        raise ReferralError(_l("Please choose the needs from the list."))
    return list(terms)


def _lock_for_key(key: str) -> None:
    """Serialise submissions carrying the same key until this transaction ends."""
    dialect = db.session.get_bind(mapper=Referral.__mapper__).dialect.name
    if dialect == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key})
    elif dialect == "sqlite":
        db.session.execute(text("UPDATE referral SET id = id WHERE 0"))  # the write lock


def _set_content(referral: Referral, fields: dict) -> None:
    """Assign the draft's content fields, validated."""
    for name, value in fields.items():
        if name == "needs":
            referral.needs = _need_terms(value)
        elif name in _TEXT_LIMITS:
            setattr(referral, name, _clean_text(name, value))
        elif name == "preferred_language":
            value = (value or "").strip().lower()
            if not _LANGUAGE.match(value):
                raise ReferralError(_l("Please choose a language."))
            referral.preferred_language = value
        elif name in ("fast_track", "accompanied"):
            setattr(referral, name, bool(value))
        elif name == "contact_mode":
            referral.contact_mode = ContactMode(value)
        elif name in ("age_band", "gender"):
            allowed = AGE_BANDS if name == "age_band" else GENDERS
            setattr(referral, name, value if value in allowed else None)
        else:
            raise TypeError(f"not a draft field: {name}")
    if referral.contact_mode is ContactMode.DIRECT and not referral.contact_channel:
        raise ReferralError(_l("Say through which channel the person may be contacted."))


DRAFT_FIELDS = frozenset(
    {
        "needs",
        "person_needs_text",
        "preferred_language",
        "fast_track",
        "accompanied",
        "age_band",
        "gender",
        "contact_mode",
        "contact_channel",
        "contact_safe_times",
        "briefing",
    }
)


def create_draft(
    actor: User,
    service: Service,
    *,
    idempotency_key: str | None = None,
    remote_addr: str | None = None,
    now: datetime | None = None,
    person: Person | None = None,
    **content,
) -> Referral:
    """A new draft from actor to service, for person (a new one when None).

    The same idempotency key returns the first draft.
    """
    now = now or utcnow()
    if idempotency_key:
        _lock_for_key(idempotency_key)
        existing = db.session.scalar(
            select(Referral).where(Referral.idempotency_key == idempotency_key)
        )
        if existing is not None:
            if existing.referring_user_id != actor.id:
                raise ReferralError(_l("This form was already used; please start again."))
            return existing
    if person is not None and not may_refer_under(actor, person):
        raise ReferralError(_l("This code cannot receive a new referral."))
    _check_may_refer(actor, service)
    person = person or new_person(actor, now, remote_addr)
    referral = _new_draft(
        actor, service, now, content, person=person, idempotency_key=idempotency_key
    )
    record(actor, "referral.create", "referral", referral.id, remote_addr, now)
    return referral


def _check_may_refer(actor: User, service: Service | None) -> None:
    if actor.role is not Role.INTERVENANTE or not actor.active:
        raise ReferralError(_l("Only intervenantes refer a person to a service."))
    if service is None or not service.organization.is_listed:
        raise ReferralError(_l("This service does not receive referrals through the platform now."))


def _new_draft(
    actor: User,
    service: Service,
    now: datetime,
    content: dict,
    person: Person,
    idempotency_key: str | None = None,
    rerouted_from: Referral | None = None,
) -> Referral:
    _check_may_refer(actor, service)
    unknown = set(content) - DRAFT_FIELDS
    if unknown:
        raise TypeError(f"not draft fields: {sorted(unknown)}")
    referral = Referral(
        person_id=person.id,
        idempotency_key=idempotency_key or None,
        service_id=service.id,
        provider_organization_id=service.organization_id,
        referring_user_id=actor.id,
        referring_organization_id=actor.organization_id,
        status=ReferralStatus.DRAFT,
        status_changed_at=now,
        status_changed_by_id=actor.id,
        created_at=now,
        rerouted_from_id=rerouted_from.id if rerouted_from else None,
    )
    _set_content(referral, {"preferred_language": "fr", **content})
    db.session.add(referral)
    db.session.flush()
    return referral


# --- The actions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    actor: User
    parties: frozenset[Party]
    now: datetime


def _update_draft(referral: Referral, ctx: Context, **content) -> None:
    unknown = set(content) - DRAFT_FIELDS
    if unknown:
        raise TypeError(f"not draft fields: {sorted(unknown)}")
    _set_content(referral, content)
    # The person agreed to what the draft said then: a changed draft needs her consent again.
    referral.consent_confirmed_at = None


def _confirm_consent(
    referral: Referral,
    ctx: Context,
    *,
    share_contact: bool = False,
    share_briefing: bool = False,
    purpose: str | None = None,
    valid_until: date | None = None,
) -> None:
    today = local_today(ctx.now)
    valid_until = valid_until or today + timedelta(days=settings().referral_consent_days)
    if valid_until < today:
        raise ReferralError(_l("The consent must be valid at least until today."))
    referral.consent_share_contact = bool(share_contact)
    referral.consent_share_briefing = bool(share_briefing)
    referral.consent_purpose = _clean_text("consent_purpose", purpose)
    referral.consent_valid_until = valid_until
    referral.consent_confirmed_at = ctx.now
    referral.consent_withdrawn_at = None


def _send(referral: Referral, ctx: Context) -> None:
    # The provider may have been suspended (or unlisted) since the draft was written.
    _check_may_refer(ctx.actor, referral.service)
    referral.sent_at = ctx.now


def _receive(referral: Referral, ctx: Context) -> None:
    referral.received_at = ctx.now


def _responded(referral: Referral, ctx: Context) -> None:
    if Party.PROVIDER in ctx.parties and referral.first_response_at is None:
        referral.first_response_at = ctx.now


def _accept(referral: Referral, ctx: Context, *, appointment_at: datetime | None = None) -> None:
    if appointment_at is not None and appointment_at.tzinfo is None:
        raise ValueError("appointment_at must be timezone-aware")
    referral.appointment_at = appointment_at
    _responded(referral, ctx)


def _waitlist(referral: Referral, ctx: Context, *, expected_on: date) -> None:
    if expected_on < local_today(ctx.now):
        raise ReferralError(_l("The expected date cannot be in the past."))
    referral.waitlist_expected_on = expected_on
    _responded(referral, ctx)


def _decline(
    referral: Referral, ctx: Context, *, reason: str, declined_by: DeclinedBy | str
) -> None:
    declined_by = DeclinedBy(declined_by)
    if Party.PROVIDER not in ctx.parties and declined_by is not DeclinedBy.PERSON:
        # The intervenante speaks for the person, never for the provider.
        raise ReferralError(_l("Only the provider can record its own refusal."))
    cleaned = _clean_text("decline_reason", reason)
    if cleaned is None:
        raise ReferralError(_l("Please give the reason."))
    referral.decline_reason = cleaned
    referral.declined_by = declined_by
    referral.closed_at = ctx.now
    _responded(referral, ctx)


def _start(referral: Referral, ctx: Context) -> None:
    return None


def _close(referral: Referral, ctx: Context) -> None:
    referral.closed_at = ctx.now


def _not_complete(referral: Referral, ctx: Context, *, outcome: Outcome | str) -> None:
    referral.outcome = Outcome(outcome)
    referral.closed_at = ctx.now


def _reroute(referral: Referral, ctx: Context, *, service: Service) -> Referral:
    if referral.consent_withdrawn_at is not None:
        raise ReferralError(
            _l("The person withdrew their consent: this referral cannot be re-routed.")
        )
    if service.id == referral.service_id:
        raise ReferralError(_l("Choose another service than the one that declined."))
    content = {name: getattr(referral, name) for name in DRAFT_FIELDS}
    # One audit event for the action (referral.reroute on this referral); the new draft links back.
    # The same person: the new draft keeps the code they already hold.
    person = referral.person
    if person.code is None:  # erased with the old referrals: the person gets a new code
        person = new_person(ctx.actor, ctx.now)
    return _new_draft(ctx.actor, service, ctx.now, content, person=person, rerouted_from=referral)


def purge_text(referral: Referral, now: datetime) -> bool:
    """Erase the referral's free text; True when there was any (or it was never purged)."""
    had_text = any(getattr(referral, name) for name in FREE_TEXT_FIELDS)
    for name in FREE_TEXT_FIELDS:
        setattr(referral, name, None)
    changed = had_text or referral.purged_at is None
    referral.purged_at = now
    return changed


def _withdraw_consent(referral: Referral, ctx: Context) -> None:
    referral.consent_withdrawn_at = ctx.now
    # At once, not at the next purge: the provider must not read the briefing a moment longer.
    purge_text(referral, ctx.now)
    if referral.closed_at is None:
        referral.closed_at = ctx.now


def _evaluate(
    referral: Referral,
    ctx: Context,
    *,
    respect: int,
    no_judgement: int,
    confidentiality: int,
    would_refer_again: bool,
) -> ReferralEvaluation:
    scores = (respect, no_judgement, confidentiality)
    if not all(isinstance(s, int) and not isinstance(s, bool) and 1 <= s <= 5 for s in scores):
        raise ReferralError(_l("Each rating goes from 1 to 5."))
    taken = db.session.scalar(
        select(ReferralEvaluation.id).where(ReferralEvaluation.referral_id == referral.id)
    )
    if taken is not None:
        raise ReferralError(_l("This referral is already evaluated."))
    evaluation = ReferralEvaluation(
        referral_id=referral.id,
        respect=respect,
        no_judgement=no_judgement,
        confidentiality=confidentiality,
        would_refer_again=bool(would_refer_again),
        evaluator_id=ctx.actor.id,
        created_at=ctx.now,
    )
    db.session.add(evaluation)
    return evaluation


_EFFECTS: dict[Action, Callable] = {
    Action.UPDATE_DRAFT: _update_draft,
    Action.CONFIRM_CONSENT: _confirm_consent,
    Action.SEND: _send,
    Action.RECEIVE: _receive,
    Action.ACCEPT: _accept,
    Action.WAITLIST: _waitlist,
    Action.DECLINE: _decline,
    Action.START: _start,
    Action.COMPLETE: _close,
    Action.NOT_COMPLETE: _not_complete,
    Action.WITHDRAW: _close,
    Action.REROUTE: _reroute,
    Action.WITHDRAW_CONSENT: _withdraw_consent,
    Action.EVALUATE: _evaluate,
}

_MISSING = {
    "expected_on": _l("Please give the expected date."),
    "reason": _l("Please give the reason."),
    "declined_by": _l("Please say who declined."),
    "outcome": _l("Please choose the outcome."),
    "service": _l("Please choose the service."),
}


def apply(
    referral: Referral,
    action: Action,
    actor: User,
    now: datetime | None = None,
    *,
    remote_addr: str | None = None,
    **data,
):
    """Take action on referral as actor, if the table allows it; returns the effect's result."""
    now = now or utcnow()
    rule = rule_for(action, referral.status)
    if rule is None:
        raise ReferralError(_l("This action is not possible in the referral's current status."))
    parties = parties_of(actor, referral)
    if not parties & rule.parties:
        raise ReferralError(_l("You may not take this action on this referral."))
    for key in rule.required:
        if data.get(key) is None or data.get(key) == "":
            raise ReferralError(_MISSING.get(key, _l("Please fill in every required field.")))
    if rule.needs_consent and not consent_is_valid(referral, now):
        raise ReferralError(
            _l("The person's consent must be recorded, and still valid, before sending.")
        )
    previous = referral.status
    ctx = Context(actor, parties, now)
    try:
        result = _EFFECTS[action](referral, ctx, **data)
        if rule.target is not None:
            referral.status = rule.target
            referral.status_changed_at = now
            referral.status_changed_by_id = actor.id
        db.session.flush()
        record(actor, action.audit_name, "referral", referral.id, remote_addr, now)
        _notify(referral, action, ctx, previous)
    except StaleDataError as error:
        raise ReferralConflict(
            _l("Someone else changed this referral at the same time. Reload it and try again.")
        ) from error
    return result


def _notify(referral: Referral, action: Action, ctx: Context, previous: ReferralStatus) -> None:
    """Tell the other side, in words that say nothing about the person."""
    provider, intervenante = link_for_provider(referral), link_for_intervenante(referral)
    if action is Action.SEND:
        notify_organization(referral.provider_organization_id, "referral_new", **provider)
    elif action in (Action.ACCEPT, Action.WAITLIST, Action.DECLINE) and (
        Party.PROVIDER in ctx.parties
    ):
        notify([referral.referring_user], "referral_answered", **intervenante)
    elif action in (Action.WITHDRAW, Action.WITHDRAW_CONSENT):
        if referral.sent_at is not None and previous not in (
            ReferralStatus.DECLINED,
            ReferralStatus.COMPLETED,
            ReferralStatus.NOT_COMPLETED,
            ReferralStatus.WITHDRAWN,
        ):
            notify_organization(referral.provider_organization_id, "referral_withdrawn", **provider)
    elif action in (Action.DECLINE, Action.START, Action.COMPLETE, Action.NOT_COMPLETE):
        if Party.PROVIDER in ctx.parties:
            notify([referral.referring_user], "referral_updated", **intervenante)
        else:
            notify_organization(referral.provider_organization_id, "referral_updated", **provider)


# One function per action, for the pages and for readability.


def update_draft(referral, actor, now=None, **content):
    return apply(referral, Action.UPDATE_DRAFT, actor, now, **content)


def confirm_consent(referral, actor, now=None, **consent):
    return apply(referral, Action.CONFIRM_CONSENT, actor, now, **consent)


def send(referral, actor, now=None, **kw):
    return apply(referral, Action.SEND, actor, now, **kw)


def confirm_consent_and_send(referral, actor, now=None, remote_addr=None, **consent):
    """The consent page's one change: the person's consent confirmed, then the referral sent."""
    confirm_consent(referral, actor, now, remote_addr=remote_addr, **consent)
    return send(referral, actor, now, remote_addr=remote_addr)


def mark_received(referral, actor, now=None, **kw):
    return apply(referral, Action.RECEIVE, actor, now, **kw)


def accept(referral, actor, now=None, **kw):
    return apply(referral, Action.ACCEPT, actor, now, **kw)


def waitlist(referral, actor, now=None, **kw):
    return apply(referral, Action.WAITLIST, actor, now, **kw)


def decline(referral, actor, now=None, **kw):
    return apply(referral, Action.DECLINE, actor, now, **kw)


def start(referral, actor, now=None, **kw):
    return apply(referral, Action.START, actor, now, **kw)


def complete(referral, actor, now=None, **kw):
    return apply(referral, Action.COMPLETE, actor, now, **kw)


def not_complete(referral, actor, now=None, **kw):
    return apply(referral, Action.NOT_COMPLETE, actor, now, **kw)


def withdraw(referral, actor, now=None, **kw):
    return apply(referral, Action.WITHDRAW, actor, now, **kw)


def reroute(referral, actor, now=None, **kw) -> Referral:
    """A new draft to kw['service'], linked to the declined (or withdrawn) referral."""
    return apply(referral, Action.REROUTE, actor, now, **kw)


def rerouted_to(referral: Referral) -> list[Referral]:
    """The drafts the referral was re-routed to, in the order they were made."""
    return list(
        db.session.scalars(
            select(Referral)
            .where(Referral.rerouted_from_id == referral.id)
            .order_by(Referral.created_at, Referral.id)
        )
    )


def withdraw_consent(referral, actor, now=None, **kw):
    return apply(referral, Action.WITHDRAW_CONSENT, actor, now, **kw)


def evaluated_ids(referrals: Iterable[Referral]) -> set[int]:
    """The ids of those referrals that already carry an evaluation of the welcome."""
    ids = [r.id for r in referrals]
    found = select(ReferralEvaluation.referral_id).where(ReferralEvaluation.referral_id.in_(ids))
    return set(db.session.scalars(found))


def evaluate(referral, actor, now=None, **kw) -> ReferralEvaluation:
    return apply(referral, Action.EVALUATE, actor, now, **kw)


def record_view(
    user: User, referral: Referral, remote_addr: str | None = None, now: datetime | None = None
):
    """One audit event for a page showing the referral (the pages call it after the loader)."""
    return record(user, "referral.view", "referral", referral.id, remote_addr, now)
