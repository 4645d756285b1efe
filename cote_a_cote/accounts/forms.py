"""Forms for signing in, resetting a password and accepting an invitation."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from ..forms import BaseForm, EmailAddress, strip_spaces
from .services import MIN_PASSWORD_LENGTH


def token_from_link(value: str | None) -> str | None:
    """The secret alone, whether the whole e-mailed link was pasted or only its last part."""
    if not isinstance(value, str):
        return value
    return value.strip().rsplit("#", 1)[-1].rsplit("/", 1)[-1].strip() or None


class OpenLinkForm(BaseForm):
    """The secret of an e-mailed link, posted so that it never appears in a URL or a log line."""

    token = StringField(
        _l("Link from the e-mail"),
        filters=[token_from_link],
        validators=[DataRequired(message=_l("Paste the link from the e-mail.")), Length(max=2000)],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )


class LoginForm(BaseForm):
    # No format check: a malformed address simply fails like any unknown one.
    email = EmailField(
        _l("E-mail address"), filters=[strip_spaces], validators=[DataRequired(), Length(max=254)]
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])
    next = HiddenField()


class ForgotPasswordForm(BaseForm):
    email = EmailField(
        _l("E-mail address"),
        filters=[strip_spaces],
        validators=[
            DataRequired(),
            Length(max=254),
            EmailAddress(),
        ],
    )


class NewPasswordForm(BaseForm):
    password = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(),
            # WTForms fills in %(min)d.
            Length(
                min=MIN_PASSWORD_LENGTH,
                message=_l("The password must have at least %(min)d characters."),
            ),
            Length(max=1024),
        ],
    )
    confirm = PasswordField(
        _l("Confirm the new password"),
        validators=[
            DataRequired(),
            EqualTo("password", message=_l("The two passwords do not match.")),
        ],
    )


class AcceptInvitationForm(NewPasswordForm):
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=120)])
