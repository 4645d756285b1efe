"""The provider's side of referrals: the inbox of its organisation and one-step answers."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import case

from ..catalogue.services import language_name
from ..database import utcnow
from ..extensions import db
from ..i18n import current_locale
from ..roles import Role, role_required
from . import services
from .models import Referral, ReferralStatus
from .provider_forms import (
    OUTCOME_LABELS,
    AcceptForm,
    CompleteForm,
    DeclineForm,
    NotCompleteForm,
    StartForm,
    WaitlistForm,
)
from .transitions import Action, allowed_actions
from .visibility import briefing_visible_to, contact_visible_to, get_referral_for, visible_query

bp = Blueprint("referral_inbox", __name__)

PER_PAGE = 25
S = ReferralStatus

STATUS_LABELS = {
    S.DRAFT: _l("Draft"),
    S.SENT: _l("New"),
    S.RECEIVED: _l("Opened, to answer"),
    S.ACCEPTED: _l("Accepted"),
    S.WAITLISTED: _l("On the waiting list"),
    S.DECLINED: _l("Declined"),
    S.IN_PROGRESS: _l("In progress"),
    S.COMPLETED: _l("Completed"),
    S.NOT_COMPLETED: _l("Not completed"),
    S.WITHDRAWN: _l("Withdrawn"),
}
# The inbox order: new ones first, then what still needs an answer, then the rest.
INBOX_ORDER = (
    S.SENT,
    S.RECEIVED,
    S.WAITLISTED,
    S.ACCEPTED,
    S.IN_PROGRESS,
    S.DECLINED,
    S.NOT_COMPLETED,
    S.COMPLETED,
    S.WITHDRAWN,
)

# The answers the provider can give from the page: action -> (form class, prefix, done message).
ANSWERS = {
    Action.ACCEPT: (AcceptForm, "accept", _l("The referral is accepted.")),
    Action.WAITLIST: (WaitlistForm, "waitlist", _l("The referral is on your waiting list.")),
    Action.DECLINE: (DeclineForm, "decline", _l("The referral is declined.")),
    Action.START: (StartForm, "start", _l("The referral is in progress.")),
    Action.COMPLETE: (CompleteForm, "complete", _l("The referral is completed.")),
    Action.NOT_COMPLETE: (NotCompleteForm, "not-complete", _l("The referral is closed.")),
}


@bp.get("/")
@role_required(Role.PROVIDER)
def inbox():
    rank = case(*((Referral.status == status, n) for n, status in enumerate(INBOX_ORDER)))
    query = visible_query(current_user).order_by(rank, Referral.sent_at.desc(), Referral.id.desc())
    page = db.paginate(query, per_page=PER_PAGE, error_out=False)
    return render_template(
        "referrals/provider_inbox.html",
        page=page,
        status_labels=STATUS_LABELS,
        locale=current_locale(),
    )


def _forms(referral: Referral) -> dict:
    """A form for each answer the transition table allows the provider now."""
    parties = services.parties_of(current_user, referral)
    return {
        action: ANSWERS[action][0](prefix=ANSWERS[action][1])
        for action in allowed_actions(referral.status, parties)
        if action in ANSWERS
    }


def _briefing_notice(referral: Referral, now) -> str | None:
    """Why the briefing is not shown, or None when it is."""
    if briefing_visible_to(current_user, referral, now):
        return None
    if referral.consent_withdrawn_at is not None:
        return _("The person withdrew their consent: the briefing was erased.")
    if referral.is_closed:
        return _("The referral is closed: its briefing is no longer shown.")
    if not services.consent_is_valid(referral, now):
        return _("The person's consent has expired: the briefing is no longer shown.")
    if not referral.consent_share_briefing:
        return _("The person did not agree to share a briefing with you.")
    return _("No briefing was written for this referral.")


def _render_detail(referral: Referral, forms: dict):
    """Show the referral; every showing is one audit event (a first opening marks it received)."""
    now = utcnow()
    remote_addr = request.remote_addr
    if referral.status is S.SENT:
        services.mark_received(referral, current_user, now, remote_addr=remote_addr)
        forms = _forms(referral)
    else:
        services.record_view(current_user, referral, remote_addr, now)
    page = render_template(
        "referrals/provider_detail.html",
        referral=referral,
        forms={action.value: form for action, form in forms.items()},
        status_label=STATUS_LABELS[referral.status],
        outcome_labels=OUTCOME_LABELS,
        language=language_name(referral.preferred_language, current_locale()),
        show_briefing=briefing_visible_to(current_user, referral, now),
        briefing_notice=_briefing_notice(referral, now),
        show_contact=contact_visible_to(current_user, referral, now),
        locale=current_locale(),
    )
    db.session.commit()
    return page


@bp.get("/<int:referral_id>")
@role_required(Role.PROVIDER)
def detail(referral_id: int):
    referral = get_referral_for(current_user, referral_id)
    try:
        return _render_detail(referral, _forms(referral))
    except services.ReferralConflict as error:
        # Someone changed it while we marked it received: show it as it is now.
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("referral_inbox.detail", referral_id=referral_id))


def _answer(referral_id: int, action: Action, call):
    """Validate the action's form, apply it, commit; refusals come back as messages."""
    referral = get_referral_for(current_user, referral_id)
    here = url_for("referral_inbox.detail", referral_id=referral_id)
    forms = _forms(referral)
    form = forms.get(action)
    if form is None:
        flash(_("This action is not possible in the referral's current status."), "error")
        return redirect(here)
    if not form.validate_on_submit():
        return _render_detail(referral, forms)
    try:
        call(referral, form, remote_addr=request.remote_addr)
    except services.ReferralConflict as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(here)
    except services.ReferralError as error:
        db.session.rollback()
        flash(str(error), "error")
        return _render_detail(get_referral_for(current_user, referral_id), forms)
    db.session.commit()
    flash(str(ANSWERS[action][2]), "success")
    return redirect(here)


@bp.post("/<int:referral_id>/accepter")
@role_required(Role.PROVIDER)
def accept(referral_id: int):
    return _answer(
        referral_id,
        Action.ACCEPT,
        lambda r, f, **kw: services.accept(
            r, current_user, appointment_at=f.appointment_at(), **kw
        ),
    )


@bp.post("/<int:referral_id>/mettre-en-attente")
@role_required(Role.PROVIDER)
def waitlist(referral_id: int):
    return _answer(
        referral_id,
        Action.WAITLIST,
        lambda r, f, **kw: services.waitlist(r, current_user, expected_on=f.expected_on.data, **kw),
    )


@bp.post("/<int:referral_id>/refuser")
@role_required(Role.PROVIDER)
def decline(referral_id: int):
    return _answer(
        referral_id,
        Action.DECLINE,
        lambda r, f, **kw: services.decline(
            r, current_user, reason=f.reason.data, declined_by=f.declined_by.data, **kw
        ),
    )


@bp.post("/<int:referral_id>/commencer")
@role_required(Role.PROVIDER)
def start(referral_id: int):
    return _answer(
        referral_id, Action.START, lambda r, f, **kw: services.start(r, current_user, **kw)
    )


@bp.post("/<int:referral_id>/terminer")
@role_required(Role.PROVIDER)
def complete(referral_id: int):
    return _answer(
        referral_id, Action.COMPLETE, lambda r, f, **kw: services.complete(r, current_user, **kw)
    )


@bp.post("/<int:referral_id>/non-terminee")
@role_required(Role.PROVIDER)
def not_complete(referral_id: int):
    return _answer(
        referral_id,
        Action.NOT_COMPLETE,
        lambda r, f, **kw: services.not_complete(r, current_user, outcome=f.outcome.data, **kw),
    )
