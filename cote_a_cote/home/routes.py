"""The home page for each role, the language switch and the quick-exit help page."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, g, redirect, render_template, session
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from ..catalogue import services as catalogue
from ..extensions import db
from ..i18n import current_locale
from ..redirects import safe_next
from ..roles import Role
from ..search.services import reference_choices
from .forms import LanguageForm

bp = Blueprint("home", __name__)


@bp.app_context_processor
def layout_helpers() -> dict:
    """Helpers base.html needs on every page, including error pages."""
    return {
        "Role": Role,
        "endpoint_exists": endpoint_exists,
        "demo_data_present": demo_data_present,
    }


def endpoint_exists(endpoint: str) -> bool:
    """Whether a route is registered, so the layout links only to pages that exist."""
    return endpoint in current_app.view_functions


def demo_data_present() -> bool:
    """Whether the fictional demo catalogue is loaded; asked once per request."""
    if "demo_data_present" not in g:
        try:
            g.demo_data_present = catalogue.has_fictional_data()
        except SQLAlchemyError:
            # The 500 page shows this footer too: a database fault must not break the error page
            # (and its quick-exit button) a second time.
            db.session.rollback()
            g.demo_data_present = False
    return g.demo_data_present


@bp.get("/")
def index():
    role = current_user.role if current_user.is_authenticated else None
    if role is Role.INTERVENANTE:
        return render_template(
            "home/intervenante.html",
            organization=current_user.organization,
            needs=reference_choices(current_locale())["need"],
        )
    if role is Role.PROVIDER:
        profile = catalogue.organization_profile(
            current_user.organization, current_user, current_locale()
        )
        return render_template("home/provider.html", organization=profile)
    if role is Role.ADMIN:
        return render_template("home/admin.html", counts=catalogue.catalogue_counts())
    return render_template("home/index.html")


@bp.post("/langue")
def set_language():
    form = LanguageForm()
    if not form.validate_on_submit():
        abort(400)
    locale = form.locale.data
    session["locale"] = locale
    if current_user.is_authenticated:
        from ..accounts.services import set_preferred_locale

        set_preferred_locale(current_user._get_current_object(), locale)
        db.session.commit()
    return redirect(safe_next(form.next.data))


@bp.get("/sortie-rapide")
def quick_exit_help():
    return render_template("home/quick_exit.html")
