"""Public pages: becoming a partner, the application, and e-mail verification."""

from __future__ import annotations

import hashlib

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user

from ..accounts.links import open_emailed_link
from ..accounts.services import MIN_PASSWORD_LENGTH, normalise_email
from ..accounts.sessions import start_session
from ..catalogue.models import Visibility
from ..config import settings
from ..extensions import db, limiter
from ..i18n import current_locale
from . import application as applying
from .forms import ApplicationForm, ConfirmEmailForm, ResendVerificationForm
from .services import region_choices, term_choices

bp = Blueprint("partners", __name__)

VERIFY_TOKEN_KEY = "verify_token"  # noqa: S105 - a session key name, not a secret
# Marks a request that really created (or refused) an application, for the rate limiter.
APPLIED_FLAG = "cote_a_cote.application_filed"


def _application_limit() -> str:
    return settings().application_limit_per_address


def _resend_limit() -> str:
    return settings().verification_resend_limit


def _address_limit() -> str:
    return settings().login_limit_per_address


def _account_key() -> str:
    """Rate-limit key for the submitted address (hashed: the limiter store never sees it)."""
    email = normalise_email(request.form.get("email"))
    return "verify:" + hashlib.sha256(email.encode()).hexdigest()


def _filed(response) -> bool:
    return bool(request.environ.get(APPLIED_FLAG))


@bp.get("/devenir-partenaire")
def become():
    return render_template("portal/become.html")


@bp.route("/devenir-partenaire/postuler", methods=["GET", "POST"])
@limiter.limit(
    _application_limit, key_func=get_remote_address, methods=["POST"], deduct_when=_filed
)
def apply():
    if current_user.is_authenticated:
        flash(_("You are signed in. To apply for another organisation, sign out first."), "info")
        return redirect(url_for("home.index"))
    locale = current_locale()
    form = ApplicationForm(
        term_choices("sector", locale), region_choices(locale), term_choices("need", locale)
    )
    if form.validate_on_submit():
        send = applying.apply(
            applying.Application(
                organization_name=form.organization_name.data,
                sector=form.sector.data,
                contact_name=form.contact_name.data,
                email=form.email.data,
                password=form.password.data,
                phone=form.phone.data,
                regions=form.regions.data,
                services=[applying.ServiceDraft(n, needs) for n, needs in form.service_drafts()],
                visibility=Visibility(form.visibility.data),
                locale=locale,
            )
        )
        send()  # queued with the application; sent after the answer
        db.session.commit()
        request.environ[APPLIED_FLAG] = True
        return redirect(url_for("partners.application_sent"))
    return render_template("portal/apply.html", form=form, min_length=MIN_PASSWORD_LENGTH)


@bp.get("/devenir-partenaire/demande-envoyee")
def application_sent():
    return render_template("portal/application_sent.html", form=ResendVerificationForm())


@bp.route("/courriel/verifier", methods=["GET", "POST"])
def verify_link():
    """The e-mailed link ends in #secret, which no server sees: the page posts it."""
    return open_emailed_link(
        lambda token: applying.check_verification_token(token) is not None,
        VERIFY_TOKEN_KEY,
        "partners.confirm_email",
        _("Confirm your e-mail address"),
        _invalid_link,
    )


@bp.route("/courriel/confirmer", methods=["GET", "POST"])
def confirm_email():
    record = applying.check_verification_token(session.get(VERIFY_TOKEN_KEY))
    if record is None:
        session.pop(VERIFY_TOKEN_KEY, None)
        return _invalid_link()
    form = ConfirmEmailForm()
    if form.validate_on_submit():
        user = applying.verify_email(record)
        start_session(user)  # clears the session, token included
        db.session.commit()
        current_app.logger.info("E-mail verified for user %s", user.id)
        flash(_("Your e-mail address is confirmed. Welcome to your partner portal."), "success")
        return redirect(url_for("portal.dashboard"))
    return render_template("accounts/confirm_email.html", form=form, email=record.user.email)


@bp.post("/courriel/renvoyer")
@limiter.limit(_resend_limit, key_func=_account_key)
@limiter.limit(_address_limit, key_func=get_remote_address)
def resend_verification():
    form = ResendVerificationForm()
    if form.validate_on_submit():
        send = applying.request_new_verification(form.email.data)
        if send is not None:
            send()  # queued with the token; sent after the answer
        db.session.commit()
        flash(
            _(
                "If an account awaits confirmation at this address, we have sent it a new link. "
                "Check your inbox."
            ),
            "info",
        )
        return redirect(url_for("partners.application_sent"))
    flash(_("Enter the e-mail address you applied with."), "error")
    return redirect(url_for("partners.application_sent"))


def _invalid_link():
    return render_template("accounts/verification_invalid.html", form=ResendVerificationForm()), 404
