"""Recognition pages: administrators, partners and the public.

Administrators manage levels and award, renew and withdraw; provider staff see their own
organisation's standing, choose public visibility and download the badge and certificate; anyone
may see the partners who opted in and verify a badge or certificate by its code.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from ..catalogue.models import Organization, OrganizationKind
from ..config import settings
from ..database import utcnow
from ..errors import attempt
from ..extensions import db
from ..i18n import current_locale, safe_format_date
from ..roles import Role, role_required
from ..security import public_url
from ..training.rule import local_day
from . import criteria, documents, services
from .forms import (
    ENGAGEMENT_KIND_LABELS,
    AwardForm,
    EngagementForm,
    EngagementReviewForm,
    LevelForm,
    NewLevelForm,
    PartnerFilterForm,
    PublicChoiceForm,
    RenewForm,
    WithdrawForm,
)
from .labels import (
    AWARD_STATE_LABELS,
    CRITERION_LABELS,
    ENGAGEMENT_STATUS_LABELS,
    STATE_LABELS,
    describe_measure,
    describe_threshold,
)
from .models import EngagementRecord, RecognitionAward, RecognitionLevel
from .public import public_context

bp = Blueprint("recognition", __name__)

ORGS_PER_PAGE = 50


def _today():
    return local_day(utcnow())


@bp.context_processor
def _labels():
    return {
        "recognition_criteria": criteria.CRITERIA,
        "criterion_labels": CRITERION_LABELS,
        "criterion_state_labels": STATE_LABELS,
        "award_state_labels": AWARD_STATE_LABELS,
        "describe_measure": describe_measure,
        "describe_threshold": describe_threshold,
        "engagement_kind_labels": ENGAGEMENT_KIND_LABELS,
        "engagement_status_labels": ENGAGEMENT_STATUS_LABELS,
    }


# --- Loaders ----------------------------------------------------------------------------------


def _provider_or_404(organization_id: int) -> Organization:
    org = db.session.get(Organization, organization_id)
    if org is None or org.kind is not OrganizationKind.PROVIDER:
        abort(404)
    return org


def _own_organization() -> Organization:
    org = current_user.organization
    if org is None or org.kind is not OrganizationKind.PROVIDER:
        abort(404)
    return org


# --- Administrators -----------------------------------------------------------------------------


@bp.get("/admin/reconnaissance")
@role_required(Role.ADMIN)
def admin_index():
    today = _today()
    levels = db.session.scalars(services.levels_query()).all()
    form = PartnerFilterForm(formdata=request.args)
    filters = form.query_args()
    page = db.paginate(
        services.partners_query(today, filters.get("q"), filters.get("award")),
        per_page=ORGS_PER_PAGE,
        error_out=False,
    )
    ids = [org.id for org in page.items]
    return render_template(
        "recognition/admin_index.html",
        form=form,
        filters=filters,
        levels=levels,
        page=page,
        standings=criteria.standings(ids, today),
        awards=services.current_awards(ids, today),
        expiring=services.expiring(today),
        today=today,
    )


@bp.route("/admin/reconnaissance/niveaux/nouveau", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new_level():
    form = NewLevelForm()
    if form.validate_on_submit():
        return _save_level(None, form)
    return render_template("recognition/level_form.html", form=form, level=None)


@bp.route("/admin/reconnaissance/niveaux/<int:level_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_level(level_id: int):
    level = db.get_or_404(RecognitionLevel, level_id)
    form = LevelForm(obj=level)
    if form.validate_on_submit():
        return _save_level(level, form)
    return render_template("recognition/level_form.html", form=form, level=level)


def _save_level(level, form):
    saved = attempt(lambda: services.save_level(level, form.values(), current_user), form).value
    if saved is None:  # refused
        return render_template("recognition/level_form.html", form=form, level=level)
    db.session.commit()
    flash(_("The level %(name)s is saved.", name=saved.name(current_locale())), "success")
    return redirect(url_for("recognition.admin_index"))


@bp.get("/admin/reconnaissance/organisations/<int:organization_id>")
@role_required(Role.ADMIN)
def admin_organization(organization_id: int):
    return _organization_page(_provider_or_404(organization_id))


def _organization_page(org, award_form=None, renew_form=None, withdraw_form=None):
    today = _today()
    levels = criteria.active_levels()
    awards = services.history(org)
    target = _actionable(awards, today)
    return render_template(
        "recognition/admin_organization.html",
        org=org,
        standing=criteria.standing(org, today),
        current=services.current_award(org, today),
        history=awards,
        target=target,
        renewed=services.renewal_of(target) if target else None,
        award_form=award_form or AwardForm(levels, current_locale(), prefix="award"),
        renew_form=renew_form or RenewForm(prefix="renew"),
        withdraw_form=withdraw_form or WithdrawForm(prefix="withdraw"),
        today=today,
    )


def _actionable(awards, today):
    """The award the renew and withdraw forms act on: the newest one not withdrawn."""
    return next((item for item in awards if not item.is_withdrawn), None)


@bp.post("/admin/reconnaissance/organisations/<int:organization_id>/attribuer")
@role_required(Role.ADMIN)
def award(organization_id: int):
    org = _provider_or_404(organization_id)
    form = AwardForm(criteria.active_levels(), current_locale(), prefix="award")
    if form.validate_on_submit():
        level = db.get_or_404(RecognitionLevel, form.level_id.data)
        outcome = attempt(
            lambda: services.award(
                org, level, form.rationale.data, current_user, _today(), bool(form.override.data)
            ),
            form,
        )
        made = outcome.value
        if made is not None:
            db.session.commit()
            flash(
                _("The level %(name)s is awarded.", name=made.level.name(current_locale())),
                "success",
            )
            return redirect(url_for("recognition.admin_organization", organization_id=org.id))
    return _organization_page(org, award_form=form)


def _award_or_404(award_id: int) -> RecognitionAward:
    return db.get_or_404(RecognitionAward, award_id)


@bp.post("/admin/reconnaissance/distinctions/<int:award_id>/renouveler")
@role_required(Role.ADMIN)
def renew(award_id: int):
    previous = _award_or_404(award_id)
    form = RenewForm(prefix="renew")
    if form.validate_on_submit() and attempt(
        lambda: services.renew(
            previous, form.rationale.data, current_user, _today(), bool(form.override.data)
        ),
        form,
    ):
        db.session.commit()
        flash(_("The award is renewed for another year."), "success")
        return redirect(
            url_for("recognition.admin_organization", organization_id=previous.organization_id)
        )
    return _organization_page(previous.organization, renew_form=form)


@bp.post("/admin/reconnaissance/distinctions/<int:award_id>/retirer")
@role_required(Role.ADMIN)
def withdraw(award_id: int):
    target = _award_or_404(award_id)
    form = WithdrawForm(prefix="withdraw")
    if form.validate_on_submit() and attempt(
        lambda: services.withdraw(target, form.reason.data, current_user), form
    ):
        db.session.commit()
        flash(_("The award is withdrawn."), "success")
        return redirect(
            url_for("recognition.admin_organization", organization_id=target.organization_id)
        )
    return _organization_page(target.organization, withdraw_form=form)


# --- Partners -----------------------------------------------------------------------------------


@bp.get("/portail/reconnaissance")
@role_required(Role.PROVIDER)
def partner_page():
    return _partner_page(_own_organization())


def _partner_page(org, engagement_form=None, status=200):
    today = _today()
    standing = criteria.standing(org, today)
    return (
        render_template(
            "recognition/partner.html",
            org=org,
            standing=standing,
            current=services.current_award(org, today),
            history=services.history(org),
            form=PublicChoiceForm(public=org.recognition_public),
            engagement_form=engagement_form or EngagementForm(),
            engagements=services.engagement_of(org),
            contact=settings().recognition_contact_email,
            today=today,
        ),
        status,
    )


@bp.post("/portail/reconnaissance/engagements")
@role_required(Role.PROVIDER)
def submit_engagement():
    org = _own_organization()
    form = EngagementForm()
    if form.validate_on_submit() and attempt(
        lambda: services.submit_engagement(
            org,
            form.kind.data,
            form.occurred_on.data,
            form.description.data,
            current_user,
            _today(),
        ),
        form,
    ):
        db.session.commit()
        flash(_("Thank you: the coordinating team will confirm this record."), "success")
        return redirect(url_for("recognition.partner_page") + "#engagement-title")
    return _partner_page(org, engagement_form=form, status=400)


@bp.get("/portail/reconnaissance/affiche.pdf")
@role_required(Role.PROVIDER)
def display_material():
    """A poster to display, for a partner holding a current award."""
    org = _own_organization()
    current = services.current_award(org, _today())
    if current is None:
        abort(404)
    pdf = documents.poster_pdf(
        heading=_("A recognised partner"),
        organization=org.name,
        level_line=_(
            "%(level)s — %(year)s", level=current.level.name(current_locale()), year=current.year
        ),
        lines=[
            _("Our team is trained to welcome every person with respect, without judgement."),
            _("Check this recognition at:"),
        ],
        verify_url=public_url("recognition.verify", code=current.verification_code),
    )
    filename = f"affiche-reconnaissance-{current.year}.pdf"
    return (
        pdf,
        200,
        {
            "Content-Type": "application/pdf",
            "Content-Disposition": f'attachment; filename="{filename}"',
        },
    )


@bp.post("/portail/reconnaissance/visibilite")
@role_required(Role.PROVIDER)
def set_visibility():
    org = _own_organization()
    form = PublicChoiceForm()
    if form.validate_on_submit():
        services.set_public(org, bool(form.public.data), current_user)
        db.session.commit()
        if org.recognition_public:
            flash(_("Your recognition is now shown publicly."), "success")
        else:
            flash(_("Your recognition is no longer shown publicly."), "success")
    return redirect(url_for("recognition.partner_page"))


@bp.get("/portail/reconnaissance/certificat")
@role_required(Role.PROVIDER)
def certificate():
    org = _own_organization()
    today = _today()
    current = services.current_award(org, today)
    if current is None:
        abort(404)
    locale = current_locale()
    pdf = documents.certificate_pdf(
        heading=_("Certificate of engagement recognition"),
        lines=[
            _("Côte-à-Côte recognises the engagement of"),
            _("with the people it serves, at the level"),
            _(
                "Valid from %(start)s to %(end)s.",
                start=safe_format_date(current.valid_from),
                end=safe_format_date(current.valid_until),
            ),
            _("Awarded by the Côte-à-Côte coordinating team."),
        ],
        organization=org.name,
        level_line=_("%(level)s — %(year)s", level=current.level.name(locale), year=current.year),
        verify_label=_("Check that this certificate is genuine and current at:"),
        verify_url=public_url("recognition.verify", code=current.verification_code),
    )
    filename = f"certificat-reconnaissance-{current.year}.pdf"
    return (
        pdf,
        200,
        {
            "Content-Type": "application/pdf",
            "Content-Disposition": f'attachment; filename="{filename}"',
        },
    )


# --- Engagement records, reviewed by administrators ----------------------------------------------


@bp.get("/admin/reconnaissance/engagements")
@role_required(Role.ADMIN)
def engagement_queue():
    return render_template(
        "recognition/engagement_queue.html",
        queue=services.engagement_queue(),
        form=EngagementReviewForm(),
    )


@bp.post("/admin/reconnaissance/engagements/<int:record_id>/<any(confirmer, refuser):decision>")
@role_required(Role.ADMIN)
def review_engagement(record_id: int, decision: str):
    item = db.get_or_404(EngagementRecord, record_id)
    form = EngagementReviewForm()
    if not form.validate_on_submit():
        flash(" ".join(str(e) for e in form.note.errors) or _("Please try again."), "error")
        return redirect(url_for("recognition.engagement_queue"))
    if attempt(
        lambda: services.review_engagement(
            item, decision == "confirmer", current_user, form.note.data
        )
    ):
        db.session.commit()
        if decision == "confirmer":
            flash(_("The record is confirmed: it now counts for recognition."), "success")
        else:
            flash(_("The record is declined."), "success")
    return redirect(url_for("recognition.engagement_queue"))


# --- Everyone -----------------------------------------------------------------------------------


@bp.get("/reconnaissance")
def public_page():
    return render_template("recognition/public.html", **public_context(_today()))


@bp.get("/reconnaissance/badge/<code>.svg")
def badge(code: str):
    found = services.find_by_code(code)
    today = _today()
    if found is None or not found.is_current(today):
        abort(404)
    locale = current_locale()
    level_name = found.level.name(locale)
    ranks = [lv.id for lv in db.session.scalars(services.levels_query())]
    svg = documents.badge_svg(
        title=_(
            "Côte-à-Côte engagement recognition: %(level)s %(year)s, %(organization)s",
            level=level_name,
            year=found.year,
            organization=found.organization.name,
        ),
        level_name=level_name,
        year=found.year,
        caption=_("Engagement recognition"),
        rank_index=ranks.index(found.level_id) if found.level_id in ranks else 0,
    )
    return (
        svg,
        200,
        {
            "Content-Type": "image/svg+xml; charset=utf-8",
            "Cache-Control": "no-cache",
        },
    )


@bp.get("/reconnaissance/verifier/<code>")
def verify(code: str):
    found = services.find_by_code(code)
    if found is None:
        return render_template("recognition/verify_unknown.html"), 404
    return render_template("recognition/verify.html", award=found, state=found.state(_today()))
