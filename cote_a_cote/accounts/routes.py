"""Sign in and out, password reset, invitations."""

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

from ..extensions import db, limiter
from ..redirects import safe_next
from . import services
from .forms import AcceptInvitationForm, ForgotPasswordForm, LoginForm, NewPasswordForm
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


def _account_key() -> str:
    """Rate-limit key for the submitted address (hashed: the limiter store never sees it)."""
    email = services.normalise_email(request.form.get("email"))
    return "account:" + hashlib.sha256(email.encode()).hexdigest()


def _per_account_limit() -> str:
    return current_app.config["LOGIN_LIMIT_PER_ACCOUNT"]


def _per_address_limit() -> str:
    return current_app.config["LOGIN_LIMIT_PER_ADDRESS"]


def _login_failed(response) -> bool:
    return bool(request.environ.get(LOGIN_FAILED_FLAG))


@bp.route("/connexion", methods=["GET", "POST"])
@limiter.limit(
    _per_account_limit, key_func=_account_key, methods=["POST"], deduct_when=_login_failed
)
@limiter.limit(
    _per_address_limit, key_func=get_remote_address, methods=["POST"], deduct_when=_login_failed
)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    failed = False
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None and user.email_verified_at is None:
            # Right password, address not confirmed yet: only its owner learns this.
            return render_template("accounts/login.html", form=form, unverified=True)
        if user is not None:
            start_session(user)
            db.session.commit()
            current_app.logger.info("Sign-in of user %s", user.id)
            return redirect(safe_next(form.next.data))
        # Unknown address, wrong password and deactivated account look exactly alike.
        request.environ[LOGIN_FAILED_FLAG] = failed = True
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
@limiter.limit(_per_account_limit, key_func=_account_key, methods=["POST"])
@limiter.limit(_per_address_limit, key_func=get_remote_address, methods=["POST"])
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


@bp.get("/mot-de-passe/reinitialiser/<token>")
def reset_link(token: str):
    if not services.check_reset_token(token).valid:
        return _invalid_link()
    session[RESET_TOKEN_KEY] = token
    return redirect(url_for("accounts.new_password"))


@bp.route("/mot-de-passe/nouveau", methods=["GET", "POST"])
def new_password():
    check = services.check_reset_token(session.get(RESET_TOKEN_KEY))
    if not check.valid:
        session.pop(RESET_TOKEN_KEY, None)
        return _invalid_link()
    form = NewPasswordForm()
    if form.validate_on_submit():
        user = services.reset_password(check.record, form.password.data)
        start_session(user)
        db.session.commit()
        current_app.logger.info("Password reset for user %s", user.id)
        flash(_("Your password has been changed. You are signed in."), "success")
        return redirect(url_for("home.index"))
    return render_template(
        "accounts/new_password.html", form=form, min_length=services.MIN_PASSWORD_LENGTH
    )


@bp.get("/invitation/<token>")
def invitation_link(token: str):
    if not services.check_invitation_token(token).valid:
        return _invalid_link()
    session[INVITATION_TOKEN_KEY] = token
    return redirect(url_for("accounts.accept_invitation"))


@bp.route("/invitation/accepter", methods=["GET", "POST"])
def accept_invitation():
    check = services.check_invitation_token(session.get(INVITATION_TOKEN_KEY))
    if not check.valid:
        session.pop(INVITATION_TOKEN_KEY, None)
        return _invalid_link()
    invitation = check.record
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
