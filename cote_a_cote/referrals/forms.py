"""Forms of the intervenante's referral pages.

The referral form deliberately has no field for a name, a birth date or an address: what the
provider needs is the person's needs, language and how to reach her safely.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp

from ..catalogue.services import language_name
from ..portal.forms import LANGUAGE_CODES, AtLeastOne, MultiCheckboxField, strip_or_none
from .models import ContactMode, Outcome

OUTCOME_LABELS = {
    Outcome.NO_SHOW: _l("The person did not go"),
    Outcome.PERSON_WITHDREW: _l("The person changed their mind"),
    Outcome.PROVIDER_COULD_NOT_SERVE: _l("The provider could not serve the person"),
    Outcome.OTHER: _l("Other reason"),
}


def new_idempotency_key() -> str:
    return secrets.token_urlsafe(24)


class ReferralForm(FlaskForm):
    needs = MultiCheckboxField(
        _l("Needs"), coerce=int, validators=[AtLeastOne(_l("Choose at least one need."))]
    )
    person_needs_text = TextAreaField(
        _l("Needs, as the person sees them"),
        filters=[strip_or_none],
        validators=[Optional(), Length(max=1000)],
    )
    preferred_language = SelectField(_l("Preferred language"), default="fr")
    fast_track = BooleanField(_l("Fast track requested (urgent)"))
    accompanied = BooleanField(_l("I will accompany the person"))
    contact_mode = RadioField(
        _l("How may the provider contact the person?"),
        choices=[
            SelectChoice(ContactMode.THROUGH_INTERVENANTE.value, _l("Only through me")),
            SelectChoice(
                ContactMode.DIRECT.value, _l("Directly, by the channel and at the times below")
            ),
        ],
        default=ContactMode.THROUGH_INTERVENANTE.value,
        validators=[InputRequired(message=_l("Please choose how the person may be contacted."))],
    )
    contact_channel = StringField(
        _l("Safe channel"), filters=[strip_or_none], validators=[Optional(), Length(max=200)]
    )
    contact_safe_times = StringField(
        _l("Safe times"), filters=[strip_or_none], validators=[Optional(), Length(max=200)]
    )
    briefing = TextAreaField(
        _l("Briefing for the provider"),
        filters=[strip_or_none],
        validators=[Optional(), Length(max=2000)],
    )
    idempotency_key = HiddenField(
        validators=[DataRequired(), Length(max=64), Regexp(r"^[A-Za-z0-9_-]+$")]
    )

    def set_choices(self, need_terms, locale: str) -> None:
        self.needs.choices = [SelectChoice(t.id, t.label(locale)) for t in need_terms]
        self.preferred_language.choices = [
            SelectChoice(code, language_name(code, locale)) for code in LANGUAGE_CODES
        ]
        key = getattr(self, "idempotency_key", None)
        if key is not None and not self.is_submitted() and not key.data:
            key.data = new_idempotency_key()

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # Not an inline validator: Optional() would stop the chain before it on an empty field.
        if self.contact_mode.data == ContactMode.DIRECT.value and not self.contact_channel.data:
            self.contact_channel.errors = [
                *self.contact_channel.errors,
                _l("Say through which channel the person may be contacted."),
            ]
            valid = False
        return valid

    def content(self) -> dict:
        """The draft's fields, as services.create_draft takes them."""
        return {
            "needs": self.needs.data,
            "person_needs_text": self.person_needs_text.data,
            "preferred_language": self.preferred_language.data,
            "fast_track": self.fast_track.data,
            "accompanied": self.accompanied.data,
            "contact_mode": self.contact_mode.data,
            "contact_channel": self.contact_channel.data,
            "contact_safe_times": self.contact_safe_times.data,
            "briefing": self.briefing.data,
        }


class DraftForm(ReferralForm):
    """The same fields, to change a saved draft (no idempotency key: it exists already)."""

    idempotency_key = None

    @classmethod
    def for_draft(cls, referral) -> DraftForm:
        """Filled from the draft on a GET, from the request on a POST."""
        form = cls(obj=referral)
        if not form.is_submitted():
            form.needs.data = [term.id for term in referral.needs]
            form.contact_mode.data = referral.contact_mode.value
        return form


class PersonDeclinedForm(FlaskForm):
    """The intervenante records that the person herself declined the provider's answer."""

    reason = TextAreaField(
        _l("Why the person declined"),
        filters=[strip_or_none],
        validators=[DataRequired(message=_l("Please give the reason.")), Length(max=500)],
    )


class ConsentForm(FlaskForm):
    purpose = StringField(
        _l("Purpose"), filters=[strip_or_none], validators=[Optional(), Length(max=300)]
    )
    valid_until = DateField(
        _l("Consent valid until"),
        validators=[DataRequired(message=_l("Please give the last day of the consent."))],
    )
    share_contact = BooleanField(_l("Share how and when the person may be contacted"))
    share_briefing = BooleanField(_l("Share the briefing"))
    agreed = BooleanField(
        _l("The person agreed to this referral and to what is shared"),
        validators=[
            DataRequired(message=_l("The referral cannot be sent without the person's consent."))
        ],
    )

    def set_defaults(self, today: date, days: int) -> None:
        if not self.is_submitted():
            self.valid_until.data = today + timedelta(days=days)
            self.share_contact.data = True
            self.share_briefing.data = True


class ActionForm(FlaskForm):
    """Nothing to fill in: the CSRF token only."""


class NotCompleteForm(FlaskForm):
    outcome = SelectField(
        _l("Outcome"),
        choices=[SelectChoice("", _l("Choose…"))]
        + [SelectChoice(outcome.value, label) for outcome, label in OUTCOME_LABELS.items()],
        validators=[DataRequired(message=_l("Please choose the outcome."))],
    )


class RerouteForm(FlaskForm):
    service_id = IntegerField(
        _l("Service"), validators=[InputRequired(message=_l("Please choose the service."))]
    )


def _score(label):
    return RadioField(
        label,
        coerce=int,
        choices=[SelectChoice(n, str(n)) for n in range(1, 6)],
        validators=[InputRequired(message=_l("Please give a rating from 1 to 5."))],
    )


class EvaluationForm(FlaskForm):
    respect = _score(_l("Respect"))
    no_judgement = _score(_l("No judgement"))
    confidentiality = _score(_l("Confidentiality"))
    would_refer_again = RadioField(
        _l("Would you refer someone to this service again?"),
        choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))],
        validators=[InputRequired(message=_l("Please answer yes or no."))],
    )
