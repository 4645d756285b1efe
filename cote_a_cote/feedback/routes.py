"""/avis, where a person rates the welcome without an account; the provider's aggregate page.

/avis sets no cookie of its own: the only one is the session cookie holding the CSRF token
(and the language, if the person switches it). The code travels in the POST body only.
"""

from __future__ import annotations

from flask import Blueprint, make_response, render_template
from flask_limiter.util import get_remote_address
from flask_login import current_user

from ..config import settings
from ..errors import attempt
from ..extensions import db, limiter
from ..referrals.ratings import provider_rating_summary
from ..roles import Role, role_required
from . import services
from .forms import FeedbackForm

bp = Blueprint("feedback", __name__)


def _limit_per_address() -> str:
    return settings().feedback_limit_per_address


@bp.route("/avis", methods=["GET", "POST"])
@limiter.limit(_limit_per_address, key_func=get_remote_address, methods=["POST"])
def give():
    form = FeedbackForm()
    if form.validate_on_submit() and attempt(
        lambda: services.record_answer(form.code.data, form.ratings(), form.comment.data), form
    ):
        db.session.commit()
        return _private(render_template("feedback/thanks.html"))
    return _private(render_template("feedback/form.html", form=form))


def _private(page: str):
    """Never kept by a browser or a proxy: the page may hold the code the person typed."""
    response = make_response(page)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/portail/avis-des-personnes")
@role_required(Role.PROVIDER)
def provider_page():
    organization = current_user.organization
    return render_template(
        "feedback/provider.html",
        people=services.provider_summary(organization.id),
        comments=services.recent_comments(organization.id),
        intervenantes=provider_rating_summary(organization),
        minimum=settings().referral_ratings_minimum,
    )
