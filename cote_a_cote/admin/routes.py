"""Administrator pages: queues, accounts, invitations."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts import services as accounts
from ..accounts.models import Invitation, User
from ..catalogue.models import Organization, OrganizationKind, TaxonomyTerm, keyword_list
from ..errors import attempt
from ..extensions import db
from ..i18n import current_locale
from ..referrals.upkeep import pending_handovers
from ..roles import Role, role_required
from . import services
from .forms import (
    AccountFilterForm,
    InvitationForm,
    ReferralDelegateForm,
    ReferralSharingForm,
    TermKeywordsForm,
    keyword_lines,
)

bp = Blueprint("admin", __name__)

ACCOUNTS_PER_PAGE = 25


@bp.get("/")
@role_required(Role.ADMIN)
def index():
    # The organisation page belongs to the catalogue; link to it only once it exists.
    org_page = "catalogue.organization" in current_app.view_functions
    return render_template("admin/index.html", queues=services.queues(), org_page=org_page)


@bp.get("/comptes", endpoint="accounts")
@role_required(Role.ADMIN)
def accounts_list():
    form = AccountFilterForm(formdata=request.args)
    page = db.paginate(
        services.users_query(**form.criteria()), per_page=ACCOUNTS_PER_PAGE, error_out=False
    )
    return render_template(
        "admin/accounts.html", form=form, page=page, query_args=form.query_args()
    )


@bp.route("/invitations/nouvelle", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new_invitation():
    form = InvitationForm(accounts.invitable_organizations())
    if form.validate_on_submit() and attempt(
        lambda: accounts.create_invitation(
            name=form.name.data,
            email=form.email.data,
            role=Role(form.role.data),
            organization=db.get_or_404(Organization, form.organization_id.data),
            invited_by=current_user,
            locale=form.locale.data,
        ),
        form,
    ):
        db.session.commit()
        flash(_("The invitation was sent."), "success")
        return redirect(url_for("admin.index"))
    return render_template("admin/new_invitation.html", form=form)


@bp.post("/invitations/<int:invitation_id>/revoquer")
@role_required(Role.ADMIN)
def revoke_invitation(invitation_id: int):
    invitation = db.get_or_404(Invitation, invitation_id)
    if attempt(lambda: accounts.revoke_invitation(invitation)):
        db.session.commit()
        flash(_("The invitation was revoked; its link no longer works."), "success")
    return redirect(url_for("admin.index"))


@bp.post("/comptes/<int:user_id>/desactiver")
@role_required(Role.ADMIN)
def deactivate_account(user_id: int):
    user = db.get_or_404(User, user_id)
    if attempt(lambda: accounts.deactivate_user(user, actor=current_user)):
        db.session.commit()
        current_app.logger.info("User %s deactivated by user %s", user.id, current_user.id)
        flash(_("The account of %(name)s is deactivated.", name=user.name), "success")
    return redirect(url_for("admin.accounts"))


@bp.post("/comptes/<int:user_id>/reactiver")
@role_required(Role.ADMIN)
def reactivate_account(user_id: int):
    user = db.get_or_404(User, user_id)
    accounts.reactivate_user(user)
    db.session.commit()
    flash(_("The account of %(name)s is active again.", name=user.name), "success")
    return redirect(url_for("admin.accounts"))


@bp.get("/organisations-referentes")
@role_required(Role.ADMIN)
def referring_organizations():
    rows = []
    for org, intervenantes in services.referring_organizations():
        delegate = ReferralDelegateForm(prefix=f"org{org.id}")
        delegate.set_choices(intervenantes)
        current = next((u.id for u in intervenantes if u.is_referral_delegate), 0)
        delegate.delegate.data = current
        rows.append((org, intervenantes, delegate))
    return render_template(
        "admin/referring_organizations.html",
        rows=rows,
        form=ReferralSharingForm(),
        pending=pending_handovers(),
    )


def _referring_organization_or_404(organization_id: int) -> Organization:
    """Only referring organisations have intervenantes: any other id answers 404."""
    organization = db.get_or_404(Organization, organization_id)
    if organization.kind is not OrganizationKind.REFERRER:
        abort(404)
    return organization


@bp.post("/organisations-referentes/<int:organization_id>/partage")
@role_required(Role.ADMIN)
def referral_sharing(organization_id: int):
    organization = _referring_organization_or_404(organization_id)
    form = ReferralSharingForm()
    if not form.validate_on_submit():
        flash(_("Nothing was changed: please try again."), "error")
    elif services.set_referral_sharing(
        organization, form.share.data == "yes", current_user, request.remote_addr
    ):
        db.session.commit()
        if organization.share_referrals:
            message = _(
                "The intervenantes of %(name)s now see each other's referrals.",
                name=organization.name,
            )
        else:
            message = _(
                "The intervenantes of %(name)s now see only their own referrals.",
                name=organization.name,
            )
        flash(message, "success")
    return redirect(url_for("admin.referring_organizations"))


@bp.post("/organisations-referentes/<int:organization_id>/relais")
@role_required(Role.ADMIN)
def referral_delegate(organization_id: int):
    organization = _referring_organization_or_404(organization_id)
    intervenantes = services.active_intervenantes([organization.id])[organization.id]
    form = ReferralDelegateForm(prefix=f"org{organization.id}")
    form.set_choices(intervenantes)
    if not form.validate_on_submit():
        flash(_("Nothing was changed: please try again."), "error")
        return redirect(url_for("admin.referring_organizations"))
    delegate = next((u for u in intervenantes if u.id == form.delegate.data), None)
    accounts.set_referral_delegate(organization, delegate, current_user, request.remote_addr)
    db.session.commit()
    if delegate is None:
        flash(
            _(
                "Nobody is designated at %(name)s: the open referrals of a departing "
                "intervenante will wait, frozen, until a colleague is designated.",
                name=organization.name,
            ),
            "success",
        )
    else:
        flash(
            _(
                "%(person)s will take over the open referrals of a colleague whose account is "
                "deactivated.",
                person=delegate.name,
            ),
            "success",
        )
    return redirect(url_for("admin.referring_organizations"))


@bp.get("/taxonomie")
@role_required(Role.ADMIN)
def taxonomy():
    return render_template("admin/taxonomy.html", taxonomies=services.taxonomies())


@bp.route("/taxonomie/<int:term_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def taxonomy_term(term_id: int):
    term = db.get_or_404(TaxonomyTerm, term_id)
    form = TermKeywordsForm()
    if not form.is_submitted():
        form.keywords_fr.data = "\n".join(keyword_list(term.keywords_fr))
        form.keywords_en.data = "\n".join(keyword_list(term.keywords_en))
    elif form.validate():
        changed = services.set_term_keywords(
            term,
            keyword_lines(form.keywords_fr.data),
            keyword_lines(form.keywords_en.data),
            current_user,
            request.remote_addr,
        )
        db.session.commit()
        if changed:
            flash(
                _(
                    "The keywords of %(term)s are saved; search uses them now.",
                    term=term.label(current_locale()),
                ),
                "success",
            )
        return redirect(url_for("admin.taxonomy", _anchor=f"term-{term.id}"))
    return render_template("admin/taxonomy_term.html", term=term, form=form)
