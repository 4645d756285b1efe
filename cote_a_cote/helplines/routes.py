"""/obtenir-de-l-aide for anyone, and the administrators' pages that keep it up to date.

The public page has no form and no tracking: it lists the active help lines and the referring
organisations that agreed to be listed, by region.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ..catalogue import services as catalogue
from ..catalogue.models import Organization, OrganizationKind
from ..extensions import db
from ..i18n import current_locale
from ..roles import Role, role_required
from . import services
from .forms import HelplineForm, ListingForm
from .models import Helpline, ReferrerListing

bp = Blueprint("helplines", __name__)


@bp.get("/obtenir-de-l-aide")
def get_help():
    locale = current_locale()
    return render_template(
        "helplines/get_help.html",
        helplines=services.active_helplines(),
        regions=services.listed_referrers(locale),
        locale=locale,
    )


@bp.get("/admin/lignes-d-aide")
@role_required(Role.ADMIN)
def admin_index():
    return render_template(
        "helplines/admin_index.html",
        helplines=services.all_helplines(),
        referrers=services.referring_organizations(),
        locale=current_locale(),
    )


def _helpline_page(form: HelplineForm, helpline: Helpline | None):
    if form.validate_on_submit():
        services.save_helpline(helpline, form.values())
        db.session.commit()
        flash(_("The help line is saved."), "success")
        return redirect(url_for("helplines.admin_index"))
    return render_template("helplines/helpline_form.html", form=form, helpline=helpline)


@bp.route("/admin/lignes-d-aide/nouvelle", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new_helpline():
    return _helpline_page(HelplineForm(), None)


@bp.route("/admin/lignes-d-aide/<int:helpline_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_helpline(helpline_id: int):
    helpline = db.get_or_404(Helpline, helpline_id)
    return _helpline_page(HelplineForm(obj=helpline), helpline)


@bp.post("/admin/lignes-d-aide/<int:helpline_id>/supprimer")
@role_required(Role.ADMIN)
def delete_helpline(helpline_id: int):
    services.delete_helpline(db.get_or_404(Helpline, helpline_id))
    db.session.commit()
    flash(_("The help line is deleted."), "success")
    return redirect(url_for("helplines.admin_index"))


@bp.route("/admin/lignes-d-aide/organisations/<int:organization_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_listing(organization_id: int):
    organization = db.session.get(Organization, organization_id)
    if organization is None or organization.kind is not OrganizationKind.REFERRER:
        abort(404)
    listing = db.session.get(ReferrerListing, organization.id)
    form = ListingForm(obj=listing)
    form.set_choices(catalogue.region_choices(current_locale()))
    if form.validate_on_submit():
        services.save_listing(organization, form.values())
        db.session.commit()
        flash(_("The listing is saved."), "success")
        return redirect(url_for("helplines.admin_index"))
    return render_template("helplines/listing_form.html", form=form, organization=organization)
