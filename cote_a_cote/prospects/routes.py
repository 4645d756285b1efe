"""Pages of partner recruitment: an intervenante's suggestion, the coordinators' prospect list.

Intervenantes (and administrators) suggest at /prospects/suggerer; everything under
/admin/prospects is for administrators only.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..errors import attempt
from ..extensions import db
from ..i18n import current_locale
from ..roles import Role, role_required
from . import services
from .forms import FilterForm, FollowUpForm, InviteForm, LinkForm, StatusForm, SuggestionForm
from .models import ProspectStatus
from .services import STATUS_LABELS

bp = Blueprint("prospects", __name__)
admin_only = role_required(Role.ADMIN)
PER_PAGE = 50


@bp.app_template_global()
def prospect_counts():
    """Prospects by sector and region, for the administrators' dashboard (stats)."""
    return services.counts_by_sector_and_region(current_locale())


@bp.context_processor
def _labels() -> dict:
    return {"STATUS_LABELS": STATUS_LABELS}


def _suggestion_form(**kwargs) -> SuggestionForm:
    return SuggestionForm(services.sectors(), services.regions(), current_locale(), **kwargs)


@bp.route("/prospects/suggerer", methods=["GET", "POST"])
@role_required(Role.INTERVENANTE, Role.ADMIN)
def suggest():
    form = _suggestion_form()
    if form.validate_on_submit():
        data = services.Suggestion(
            form.name.data, form.sector.data, form.region.data, form.why.data,
            form.knows_someone.data,
        )  # fmt: skip
        if attempt(lambda: services.suggest(data, current_user), form, field="sector"):
            db.session.commit()
            flash(_("Thank you: the coordinating team will look at your suggestion."), "success")
            return redirect(url_for("prospects.suggest"))
    return render_template("prospects/suggest.html", form=form)


@bp.get("/admin/prospects")
@admin_only
def index():
    sectors = services.sectors()
    form = FilterForm(sectors, services.regions(), current_locale(), formdata=request.args)
    form.validate()
    status = (
        ProspectStatus(form.status.data) if form.status.data and not form.status.errors else None
    )
    sector = next((t for t in sectors if t.code == form.sector.data), None)
    region = form.region.data if form.region.data and not form.region.errors else None
    page = db.paginate(
        services.listing(status, sector.id if sector else None, region),
        per_page=PER_PAGE,
        error_out=False,
    )
    return render_template("prospects/index.html", form=form, page=page)


def _detail(prospect, **forms):
    forms.setdefault("status_form", StatusForm(services.allowed_moves(prospect), formdata=None))
    forms.setdefault("follow_form", FollowUpForm(formdata=None, obj=prospect))
    forms.setdefault("invite_form", InviteForm(formdata=None, email=prospect.invited_email))
    forms.setdefault("link_form", LinkForm(services.applications(), formdata=None))
    return render_template("prospects/detail.html", prospect=prospect, **forms)


def _back(prospect):
    return redirect(url_for("prospects.detail", prospect_id=prospect.id))


@bp.get("/admin/prospects/<int:prospect_id>")
@admin_only
def detail(prospect_id: int):
    return _detail(services.get_prospect(prospect_id))


@bp.post("/admin/prospects/<int:prospect_id>/statut")
@admin_only
def set_status(prospect_id: int):
    prospect = services.get_prospect(prospect_id)
    form = StatusForm(services.allowed_moves(prospect))
    if form.validate_on_submit() and attempt(
        lambda: services.change_status(prospect, ProspectStatus(form.status.data), current_user),
        form,
        field="status",
    ):
        db.session.commit()
        flash(_("The status is changed."), "success")
        return _back(prospect)
    return _detail(prospect, status_form=form)


@bp.post("/admin/prospects/<int:prospect_id>/suivi")
@admin_only
def follow_up(prospect_id: int):
    prospect = services.get_prospect(prospect_id)
    form = FollowUpForm()
    if form.validate_on_submit():
        services.follow_up(prospect, form.notes.data, form.next_step_on.data)
        db.session.commit()
        flash(_("The follow-up is saved."), "success")
        return _back(prospect)
    return _detail(prospect, follow_form=form)


@bp.post("/admin/prospects/<int:prospect_id>/inviter")
@admin_only
def invite(prospect_id: int):
    prospect = services.get_prospect(prospect_id)
    form = InviteForm()
    if form.validate_on_submit() and attempt(
        lambda: services.invite(prospect, form.email.data, form.locale.data, current_user),
        form,
        field="email",
    ):
        db.session.commit()
        flash(_("The invitation is sent."), "success")
        return _back(prospect)
    return _detail(prospect, invite_form=form)


@bp.post("/admin/prospects/<int:prospect_id>/lier")
@admin_only
def link(prospect_id: int):
    prospect = services.get_prospect(prospect_id)
    form = LinkForm(services.applications())
    if form.validate_on_submit():
        organization = db.get_or_404(services.Organization, form.organization_id.data)
        if attempt(
            lambda: services.link_application(prospect, organization, current_user),
            form,
            field="organization_id",
        ):
            db.session.commit()
            flash(_("The prospect is linked to its application."), "success")
            return _back(prospect)
    return _detail(prospect, link_form=form)
