"""Forms of the administrator pages: account filters, invitations, taxonomy keywords."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    EmailField,
    HiddenField,
    SearchField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, Email, Length, Optional, ValidationError

from ..catalogue.models import Organization
from ..forms import BaseForm, strip_spaces
from ..roles import ROLE_LABELS, Role

STATUS_ACTIVE = "active"
STATUS_INACTIVE = "inactive"


class AccountFilterForm(BaseForm):
    """The GET filters of the account list (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    q = SearchField(_l("Name or e-mail address"), validators=[Optional(), Length(max=120)])
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice("", _l("All roles"))]
        + [SelectChoice(role.value, ROLE_LABELS[role]) for role in Role],
        validators=[Optional()],
    )
    status = SelectField(
        _l("Status"),
        choices=[
            SelectChoice("", _l("All accounts")),
            SelectChoice(STATUS_ACTIVE, _l("Active")),
            SelectChoice(STATUS_INACTIVE, _l("Deactivated")),
        ],
        validators=[Optional()],
    )

    def criteria(self) -> dict:
        """The valid filters as keyword arguments for admin.services.users_query."""
        if not self.validate():
            return {}
        return {
            "search": (self.q.data or "").strip() or None,
            "role": Role(self.role.data) if self.role.data else None,
            "active": {STATUS_ACTIVE: True, STATUS_INACTIVE: False}.get(self.status.data),
        }

    def query_args(self) -> dict:
        """The filters as they appear in the address, to keep them across pages."""
        return {name: value for name in ("q", "role", "status") if (value := self[name].data)}


class InvitationForm(BaseForm):
    name = StringField(
        _l("Name"), filters=[strip_spaces], validators=[DataRequired(), Length(max=120)]
    )
    email = EmailField(
        _l("E-mail address"),
        filters=[strip_spaces],
        validators=[
            DataRequired(),
            Length(max=254),
            Email(message=_l("Enter a valid e-mail address.")),
        ],
    )
    role = SelectField(
        _l("Role"),
        choices=[
            SelectChoice(role.value, ROLE_LABELS[role]) for role in (Role.INTERVENANTE, Role.ADMIN)
        ],
        validators=[DataRequired()],
    )
    organization_id = SelectField(_l("Organisation"), coerce=int, validators=[DataRequired()])
    locale = SelectField(
        _l("Language of the invitation e-mail"),
        choices=[SelectChoice("fr", "Français"), SelectChoice("en", "English")],
        default="fr",
    )

    def __init__(self, organizations: list[Organization], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization_id.choices = [SelectChoice(org.id, org.name) for org in organizations]

    def add_error(self, field_name: str | None, message: str) -> bool:
        """Attach a rule's message to a field (or to the e-mail field when none is named)."""
        field = self._fields.get(field_name or "", self.email)
        field.errors = [*field.errors, message]
        return False


class ReferralSharingForm(BaseForm):
    """Turn on or off the sharing of referrals among a referring organisation's intervenantes."""

    share = HiddenField(validators=[AnyOf(["yes", "no"])])


class ReferralDelegateForm(BaseForm):
    """Which colleague takes over the open referrals of a deactivated intervenante."""

    delegate = SelectField(_l("Designated colleague"), coerce=int, validate_choice=True)

    def set_choices(self, intervenantes) -> None:
        self.delegate.choices = [SelectChoice(0, _l("Nobody: referrals wait, frozen"))] + [
            SelectChoice(user.id, user.name) for user in intervenantes
        ]


KEYWORDS_MAX = 60  # per language: enough synonyms for any term, few enough to stay reviewable
KEYWORD_LENGTH_MAX = 80


def keyword_lines(text: str | None) -> list[str]:
    """The keywords typed in a box, one per line or separated by commas, without repeats."""
    found: dict[str, str] = {}
    for part in (text or "").replace(",", "\n").splitlines():
        keyword = " ".join(part.split())
        if keyword:
            found.setdefault(keyword.casefold(), keyword)
    return list(found.values())


class KeywordList:
    """At most KEYWORDS_MAX keywords, each at most KEYWORD_LENGTH_MAX characters."""

    def __call__(self, form, field) -> None:
        keywords = keyword_lines(field.data)
        if len(keywords) > KEYWORDS_MAX:
            raise ValidationError(
                _l("Give at most %(max)s keywords in each language.", max=KEYWORDS_MAX)
            )
        if any(len(k) > KEYWORD_LENGTH_MAX for k in keywords):
            raise ValidationError(
                _l("Keep each keyword under %(max)s characters.", max=KEYWORD_LENGTH_MAX)
            )


class TermKeywordsForm(BaseForm):
    """The search keywords of one taxonomy term, French and English."""

    keywords_fr = TextAreaField(_l("Keywords in French"), validators=[Optional(), KeywordList()])
    keywords_en = TextAreaField(_l("Keywords in English"), validators=[Optional(), KeywordList()])
