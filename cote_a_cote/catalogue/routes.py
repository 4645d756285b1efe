"""The catalogue listing and service/organisation detail pages."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_babel import format_decimal, format_percent
from flask_login import current_user

from .. import signals
from ..i18n import current_locale
from ..roles import Role
from ..uploads.services import send_stored
from . import logo, services
from .forms import ListingFilterForm

bp = Blueprint("catalogue", __name__)


@bp.record_once
def _configure(state) -> None:
    # Numbers written as in the reader's language (4,5 in French; 4.5 in English).
    state.app.add_template_filter(lambda n: format_decimal(n, format="0.0"), "decimal")
    state.app.add_template_filter(lambda n: format_percent(n), "percent")


@bp.get("/catalogue")
def listing():
    locale = current_locale()
    form = ListingFilterForm(formdata=request.args)
    form.set_choices(services.region_choices(locale), services.need_choices(locale))
    form.validate()
    filters = form.active_filters()
    page = services.listing_page(current_user, filters, locale)
    return render_template("catalogue/listing.html", form=form, filters=filters, page=page)


@bp.get("/services/<int:service_id>")
def service(service_id: int):
    found = services.get_service_for(current_user, service_id)
    detail = services.service_detail(found, current_user, current_locale())
    return render_template(
        "catalogue/service.html",
        service=detail,
        back_to_search=services.search_back_args(request.args.get("retour")),
        ratings=_ratings_for(current_user, found),
        recognition=_badge_labels(found.organization_id),
    )


def _badge_labels(organization_id: int) -> dict[int, str]:
    """The organisation's public recognition badge today, as recognition answers it."""
    answer = signals.first_answer(
        signals.badge_labels_asked.send([organization_id], locale=current_locale())
    )
    return answer or {}


def _ratings_for(viewer, service):
    """Intervenantes see a provider's welcome ratings in aggregate, once there are enough."""
    if not (viewer.is_authenticated and viewer.role is Role.INTERVENANTE):
        return None
    return signals.first_answer(signals.provider_ratings_asked.send(service.organization))


@bp.get("/organisations/<int:organization_id>")
def organization(organization_id: int):
    found = services.get_organization_for(current_user, organization_id)
    profile = services.organization_profile(found, current_user, current_locale())
    return render_template(
        "catalogue/organization.html",
        organization=profile,
        recognition=_badge_labels(found.id),
        logo=logo.logo_of(found),
    )


@bp.get("/organisations/<int:organization_id>/logo")
def organization_logo(organization_id: int):
    """The logo, to whoever may see the organisation's page (404 otherwise, or without one)."""
    stored = logo.logo_of(services.get_organization_for(current_user, organization_id))
    if stored is None:
        abort(404)
    return send_stored(stored)
