"""The administrators' view of the audit trail: filter, page through, check the chain.

It lives with the administration, not in audit/, because it looks up accounts: the audit
trail itself sits below every feature, which all write to it.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from ..accounts.models import User
from ..audit.services import events_query, verify_trail
from ..extensions import db
from ..roles import Role, role_required
from .audit_forms import AuditFilterForm, VerifyForm

bp = Blueprint("audit", __name__)

PER_PAGE = 50


@bp.get("/")
@role_required(Role.ADMIN)
def journal():
    form = AuditFilterForm(formdata=request.args)
    page, actors = None, {}
    if form.validate():
        page = db.paginate(events_query(**form.criteria()), per_page=PER_PAGE, error_out=False)
        ids = {event.actor_id for event in page.items if event.actor_id is not None}
        if ids:
            actors = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}
    return render_template(
        "audit/journal.html",
        form=form,
        page=page,
        actors=actors,
        query_args=form.query_args(),
        verify_form=VerifyForm(),
    )


@bp.post("/verifier")
@role_required(Role.ADMIN)
def verify():
    form = VerifyForm()
    if form.validate_on_submit():
        check = verify_trail()
        if check.report.broken is not None:
            message = _(
                "The audit trail is broken: event %(id)d does not match the chain.",
                id=check.report.broken,
            )
        elif check.lost:
            message = _(
                "The audit trail is broken: event %(id)d, recorded outside the database, "
                "is no longer in it.",
                id=check.lost[0]["id"],
            )
        elif check.anchors_unreadable:
            message = _("The file of recorded heads (AUDIT_ANCHOR_FILE) cannot be read.")
        else:
            message = ngettext(
                "The audit trail is intact: %(num)d event verified.",
                "The audit trail is intact: %(num)d events verified.",
                check.report.count,
            )
        flash(message, "success" if check.intact else "error")
    return redirect(url_for("audit.journal"))
