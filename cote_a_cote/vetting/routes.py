"""Administrator vetting pages: applications, decisions, revisions, history, stale profiles."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..catalogue import logo as logos
from ..catalogue.services import STATUS_LABELS, capacity, language_name
from ..errors import attempt
from ..extensions import db
from ..i18n import current_locale
from ..revisions import diff as revision_diff
from ..revisions import services as revision_services
from ..revisions.models import RevisionStatus
from ..roles import Role, role_required
from ..uploads.services import send_stored
from . import review, services
from .forms import DECISION_FORMS, ApproveRevisionForm, ReturnRevisionForm
from .models import EventAction

bp = Blueprint("vetting", __name__)

DONE = {
    EventAction.CHANGES_REQUESTED: _l("Changes were requested; the organisation has been told."),
    EventAction.APPROVED: _l("The organisation is approved and now listed."),
    EventAction.REJECTED: _l("The application was rejected; the organisation has been told."),
    EventAction.SUSPENDED: _l("The organisation is suspended and no longer appears in search."),
    EventAction.REINSTATED: _l("The organisation is reinstated and appears in search again."),
}


# The decisions in the order the review page offers them: (decision, endpoint, label, button class).
DECISION_BUTTONS = [
    (EventAction.CHANGES_REQUESTED, "vetting.request_changes", _l("Request changes"), "button"),
    (EventAction.APPROVED, "vetting.approve", _l("Approve"), "button button--primary"),
    (EventAction.REJECTED, "vetting.reject", _l("Reject"), "button button--danger"),
    (EventAction.SUSPENDED, "vetting.suspend", _l("Suspend"), "button button--danger"),
    (EventAction.REINSTATED, "vetting.reinstate", _l("Reinstate"), "button button--primary"),
]


@bp.get("/")
@role_required(Role.ADMIN)
def queue():
    return render_template(
        "vetting/queue.html",
        queue=review.application_queue(),
        revision_count=services.pending_revision_count(),
        stale_count=services.stale_count(),
    )


def _decision_forms(organization) -> dict:
    """A form for each decision allowed now (submitting belongs to the provider)."""
    return {
        action: cls(prefix=prefix)
        for action, (cls, prefix) in DECISION_FORMS.items()
        if action in services.allowed_actions(organization)
    }


def _render_review(organization, forms):
    return render_template(
        "vetting/review.html",
        profile=review.profile(organization),
        history=review.history_for_admin(organization),
        revisions=[
            review.revision_row(r) for r in revision_services.pending_revisions(organization)
        ],
        decisions=[
            (endpoint, label, css, forms[action])
            for action, endpoint, label, css in DECISION_BUTTONS
            if action in forms
        ],
        status_label=STATUS_LABELS[organization.status],
        locale=current_locale(),
        capacity=capacity,
        language_name=language_name,
        pending_logo=logos.pending_logo_of(organization),
    )


@bp.get("/organisations/<int:organization_id>", endpoint="review")
@role_required(Role.ADMIN)
def review_page(organization_id: int):
    organization = review.get_application(organization_id)
    return _render_review(organization, _decision_forms(organization))


def _decide(organization_id: int, action: EventAction):
    """Validate the decision's form, apply it and come back to the review page."""
    organization = review.get_application(organization_id)
    forms = _decision_forms(organization)
    form = forms.get(action)
    if form is None:
        # Not possible from this status (a second tab, a double click): say so, change nothing.
        flash(_("This decision is not possible in the organisation's current status."), "error")
        return redirect(url_for("vetting.review", organization_id=organization.id))
    if form.validate_on_submit():
        decided = attempt(
            lambda: services.decide(organization, action, current_user, form.message.data),
            form,
            "message",
        )
        if decided:
            db.session.commit()
            flash(str(DONE[action]), "success")
            return redirect(url_for("vetting.review", organization_id=organization.id))
    return _render_review(organization, forms)


@bp.post("/organisations/<int:organization_id>/demander-des-modifications")
@role_required(Role.ADMIN)
def request_changes(organization_id: int):
    return _decide(organization_id, EventAction.CHANGES_REQUESTED)


@bp.post("/organisations/<int:organization_id>/approuver")
@role_required(Role.ADMIN)
def approve(organization_id: int):
    return _decide(organization_id, EventAction.APPROVED)


@bp.post("/organisations/<int:organization_id>/refuser")
@role_required(Role.ADMIN)
def reject(organization_id: int):
    return _decide(organization_id, EventAction.REJECTED)


@bp.post("/organisations/<int:organization_id>/suspendre")
@role_required(Role.ADMIN)
def suspend(organization_id: int):
    return _decide(organization_id, EventAction.SUSPENDED)


@bp.post("/organisations/<int:organization_id>/retablir")
@role_required(Role.ADMIN)
def reinstate(organization_id: int):
    return _decide(organization_id, EventAction.REINSTATED)


@bp.get("/organisations/<int:organization_id>/historique")
@role_required(Role.ADMIN)
def history(organization_id: int):
    organization = review.get_application(organization_id)
    return render_template(
        "vetting/history.html",
        organization=organization,
        history=review.history_for_admin(organization),
    )


@bp.get("/profils-a-confirmer")
@role_required(Role.ADMIN)
def stale():
    rows, total = review.stale_rows()
    return render_template(
        "vetting/stale.html",
        rows=rows,
        total=total,
        stale_after_days=services.stale_after().days,
        limit=review.QUEUE_LIMIT,
    )


# --- Profile revisions ----------------------------------------------------------------------------


@bp.get("/revisions")
@role_required(Role.ADMIN)
def revisions():
    rows, total = review.revision_queue()
    return render_template(
        "vetting/revisions.html", rows=rows, total=total, logos=logos.pending_logos()
    )


def _render_revision(revision, approve_form, return_form):
    return render_template(
        "vetting/revision.html",
        revision=revision,
        row=review.revision_row(revision),
        diff=revision_diff.diff(revision),
        status_label=review.REVISION_STATUS_LABELS[revision.status],
        pending=revision.status is RevisionStatus.PENDING,
        approve_form=approve_form,
        return_form=return_form,
    )


@bp.get("/revisions/<int:revision_id>")
@role_required(Role.ADMIN)
def revision(revision_id: int):
    found = review.get_revision(revision_id)
    return _render_revision(
        found, ApproveRevisionForm(prefix="publish"), ReturnRevisionForm(prefix="return")
    )


def _revision_decided(found):
    if found.status is RevisionStatus.PENDING:
        return None
    flash(_("This change was already decided."), "error")
    return redirect(url_for("vetting.revision", revision_id=found.id))


@bp.post("/revisions/<int:revision_id>/publier")
@role_required(Role.ADMIN)
def approve_revision(revision_id: int):
    found = review.get_revision(revision_id)
    approve_form = ApproveRevisionForm(prefix="publish")
    if (answer := _revision_decided(found)) is not None:
        return answer
    if approve_form.validate_on_submit():
        if not attempt(lambda: revision_services.approve_revision(found, current_user)):
            return redirect(url_for("vetting.revision", revision_id=revision_id))
        db.session.commit()
        flash(_("The change is published."), "success")
        return redirect(url_for("vetting.revisions"))
    return _render_revision(found, approve_form, ReturnRevisionForm(prefix="return"))


@bp.post("/revisions/<int:revision_id>/renvoyer")
@role_required(Role.ADMIN)
def return_revision(revision_id: int):
    found = review.get_revision(revision_id)
    return_form = ReturnRevisionForm(prefix="return")
    if (answer := _revision_decided(found)) is not None:
        return answer
    if return_form.validate_on_submit():
        returned = attempt(
            lambda: revision_services.return_revision(
                found, current_user, return_form.message.data
            ),
            return_form,
            "message",
        )
        if not returned:
            return _render_revision(found, ApproveRevisionForm(prefix="publish"), return_form)
        db.session.commit()
        flash(_("The change was returned to the organisation with your message."), "success")
        return redirect(url_for("vetting.revisions"))
    return _render_revision(found, ApproveRevisionForm(prefix="publish"), return_form)


# --- A listed organisation's new logo ---------------------------------------------------------


@bp.get("/organisations/<int:organization_id>/logo-en-attente")
@role_required(Role.ADMIN)
def pending_logo(organization_id: int):
    stored = logos.pending_logo_of(review.get_application(organization_id))
    if stored is None:
        abort(404)
    return send_stored(stored)


@bp.post("/organisations/<int:organization_id>/logo-en-attente/publier")
@role_required(Role.ADMIN)
def publish_logo(organization_id: int):
    return _decide_logo(organization_id, True)


@bp.post("/organisations/<int:organization_id>/logo-en-attente/refuser")
@role_required(Role.ADMIN)
def refuse_logo(organization_id: int):
    return _decide_logo(organization_id, False)


def _decide_logo(organization_id: int, publish: bool):
    organization = review.get_application(organization_id)
    if attempt(lambda: revision_services.decide_logo(organization, publish, current_user)):
        db.session.commit()
        if publish:
            flash(_("The new logo is published."), "success")
        else:
            flash(_("The new logo is refused and deleted; the previous one stays."), "success")
    return redirect(url_for("vetting.review", organization_id=organization.id))
