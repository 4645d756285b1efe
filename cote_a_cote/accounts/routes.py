"""Sign in and out, password reset, invitations."""

from __future__ import annotations

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
from flask_login import current_user

from ..config import settings
from ..extensions import db, limiter
from ..redirects import safe_next
from . import services, throttle
from .forms import (
    AcceptInvitationForm,
    ForgotPasswordForm,
    LoginForm,
    NewPasswordForm,
)
from .links import open_emailed_link
from .sessions import end_session, forget_cached_user, start_session

bp = Blueprint("accounts", __name__)

# Session keys holding an e-mailed token once it has left the address bar.
RESET_TOKEN_KEY = "reset_token"  # noqa: S105 - a key name, not a secret
INVITATION_TOKEN_KEY = "invitation_token"  # noqa: S105
# Marks a request whose credentials were refused, for the rate limiter (per request, unlike g).
LOGIN_FAILED_FLAG = "cote_a_cote.login_failed"


@bp.before_app_request
def load_user_from_this_request() -> None:
    forget_cached_user()


def _account_from_network_key() -> str:
    """Reset requests count per account and network address: strangers elsewhere, however many
    their requests, never use up the owner's way back in (the reset)."""
    email = request.form.get("email")
    return f"account:{throttle.account_digest(email)}:{throttle.network_digest()}"


def _network_key() -> str:
    return "network:" + throttle.network_digest()


def _from_known_device() -> bool:
    return throttle.is_known_device(request.form.get("email"))


def _per_account_limit() -> str:
    return settings().login_limit_per_account


def _per_address_limit() -> str:
    return settings().login_limit_per_address


def _login_failed(response) -> bool:
    return bool(request.environ.get(LOGIN_FAILED_FLAG))


@bp.route("/connexion", methods=["GET", "POST"])
@limiter.limit(
    _per_address_limit,
    key_func=_network_key,
    methods=["POST"],
    deduct_when=_login_failed,
    exempt_when=_from_known_device,
)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    failed = False
    if form.validate_on_submit():
        throttle.check_sign_in_allowed(form.email.data)
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None and user.email_verified_at is None:
            # Right password, address not confirmed yet: only its owner learns this.
            return render_template("accounts/login.html", form=form, unverified=True)
        if user is not None:
            start_session(user)
            db.session.commit()
            current_app.logger.info("Sign-in of user %s", user.id)
            return throttle.remember_device(redirect(safe_next(form.next.data)), user.email)
        # Unknown address, wrong password and deactivated account look exactly alike.
        request.environ[LOGIN_FAILED_FLAG] = failed = True
        throttle.record_failure(form.email.data)
        current_app.logger.info("Failed sign-in attempt")
    return render_template("accounts/login.html", form=form, failed=failed)


@bp.post("/deconnexion")
def logout():
    if current_user.is_authenticated:
        current_app.logger.info("Sign-out of user %s", current_user.id)
    end_session()
    db.session.commit()
    flash(_("You are signed out."), "success")
    return redirect(url_for("home.index"))


@bp.route("/mot-de-passe/oublie", methods=["GET", "POST"])
@limiter.limit(_per_account_limit, key_func=_account_from_network_key, methods=["POST"])
@limiter.limit(_per_address_limit, key_func=_network_key, methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        pending_mail = services.request_password_reset(form.email.data)
        if pending_mail is not None:
            pending_mail()  # queued with the token; sent after the answer
        db.session.commit()
        flash(
            _(
                "If an account exists for this address, we have sent it a link to choose "
                "a new password. Check your inbox."
            ),
            "info",
        )
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/mot-de-passe/reinitialiser", methods=["GET", "POST"])
def open_reset_link():
    """The e-mailed link ends in #secret, which no server sees: the page posts it."""
    return open_emailed_link(
        lambda token: services.check_reset_token(token).valid,
        RESET_TOKEN_KEY,
        "accounts.new_password",
        _("Choose a new password"),
        _invalid_link,
    )


@bp.route("/mot-de-passe/nouveau", methods=["GET", "POST"])
def new_password():
    reset = services.check_reset_token(session.get(RESET_TOKEN_KEY)).record
    if reset is None:
        session.pop(RESET_TOKEN_KEY, None)
        return _invalid_link()
    form = NewPasswordForm()
    if form.validate_on_submit():
        user = services.reset_password(reset, form.password.data)
        start_session(user)
        db.session.commit()
        throttle.forgive_account(user.email)
        current_app.logger.info("Password reset for user %s", user.id)
        flash(_("Your password has been changed. You are signed in."), "success")
        return throttle.remember_device(redirect(url_for("home.index")), user.email)
    return render_template(
        "accounts/new_password.html", form=form, min_length=services.MIN_PASSWORD_LENGTH
    )


@bp.route("/invitation", methods=["GET", "POST"])
def open_invitation_link():
    """The e-mailed link ends in #secret, which no server sees: the page posts it."""
    return open_emailed_link(
        lambda token: services.check_invitation_token(token).valid,
        INVITATION_TOKEN_KEY,
        "accounts.accept_invitation",
        _("Create your account"),
        _invalid_link,
    )


@bp.route("/invitation/accepter", methods=["GET", "POST"])
def accept_invitation():
    invitation = services.check_invitation_token(session.get(INVITATION_TOKEN_KEY)).record
    if invitation is None:
        session.pop(INVITATION_TOKEN_KEY, None)
        return _invalid_link()
    form = AcceptInvitationForm(name=invitation.name)
    if form.validate_on_submit():
        user = services.accept_invitation(invitation, form.name.data, form.password.data)
        start_session(user)
        db.session.commit()
        current_app.logger.info("Invitation %s accepted by user %s", invitation.id, user.id)
        flash(_("Welcome to Côte-à-Côte. Your account is ready."), "success")
        return redirect(url_for("home.index"))
    return render_template(
        "accounts/accept_invitation.html",
        form=form,
        invitation=invitation,
        min_length=services.MIN_PASSWORD_LENGTH,
    )


def _invalid_link():
    return render_template("accounts/invalid_link.html"), 404
