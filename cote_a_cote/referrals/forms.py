"""Forms of the intervenante's referral pages.

The referral form deliberately has no field for a name, a birth date or an address: what the
provider needs is the person's needs, language and how to reach her safely.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
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
from ..forms import (
    EARLIEST_DATE,
    AtLeastOne,
    BaseForm,
    DateRange,
    MultiCheckboxField,
    days_from_today,
    trimmed,
)
from ..vocabulary.languages import OFFERED
from .models import ContactMode, Outcome

OUTCOME_LABELS = {
    Outcome.NO_SHOW: _l("The person did not go"),
    Outcome.PERSON_WITHDREW: _l("The person changed their mind"),
    Outcome.PROVIDER_COULD_NOT_SERVE: _l("The provider could not serve the person"),
    Outcome.OTHER: _l("Other reason"),
}


CONSENT_MAX_DAYS = 3 * 365 + 1

# Optional, for the annual report's counts only; "not asked" (empty) differs from "prefer not".
AGE_BAND_LABELS = {
    "12_17": _l("12 to 17"),
    "18_24": _l("18 to 24"),
    "25_34": _l("25 to 34"),
    "35_49": _l("35 to 49"),
    "50_plus": _l("50 and over"),
    "prefer_not": _l("Prefers not to say"),
}
GENDER_LABELS = {
    "woman": _l("Woman"),
    "man": _l("Man"),
    "non_binary": _l("Non-binary person"),
    "two_spirit": _l("Two-Spirit person"),
    "another": _l("Another gender identity"),
    "prefer_not": _l("Prefers not to say"),
}


def _optional_choices(labels: dict) -> list:
    return [SelectChoice("", _l("Not asked")), *(SelectChoice(k, v) for k, v in labels.items())]


def new_idempotency_key() -> str:
    return secrets.token_urlsafe(24)


class ReferralForm(BaseForm):
    needs = MultiCheckboxField(
        _l("Needs"), coerce=int, validators=[AtLeastOne(_l("Choose at least one need."))]
    )
    person_needs_text = TextAreaField(
        _l("Needs, as the person sees them"),
        filters=[trimmed],
        validators=[Optional(), Length(max=1000)],
    )
    preferred_language = SelectField(_l("Preferred language"), default="fr")
    fast_track = BooleanField(_l("Fast track requested (urgent)"))
    accompanied = BooleanField(_l("I will accompany the person"))
    age_band = SelectField(
        _l("Age group (optional)"),
        choices=_optional_choices(AGE_BAND_LABELS),
        validators=[Optional()],
    )
    gender = SelectField(
        _l("Gender (optional)"),
        choices=_optional_choices(GENDER_LABELS),
        validators=[Optional()],
    )
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
        _l("Safe channel"), filters=[trimmed], validators=[Optional(), Length(max=200)]
    )
    contact_safe_times = StringField(
        _l("Safe times"), filters=[trimmed], validators=[Optional(), Length(max=200)]
    )
    briefing = TextAreaField(
        _l("Briefing for the provider"),
        filters=[trimmed],
        validators=[Optional(), Length(max=2000)],
    )
    idempotency_key = HiddenField(
        validators=[DataRequired(), Length(max=64), Regexp(r"^[A-Za-z0-9_-]+$")]
    )
    # Which person: a new code, or one the intervenante already follows (chosen by its id in the
    # form, so the code never travels in a URL).
    person_id = SelectField(_l("For which person?"), coerce=int, default=0)

    def set_person_choices(self, persons, preselected: int | None = None) -> None:
        """persons: (id, code) pairs the intervenante may refer under; 0 is a new code."""
        self.person_id.choices = [SelectChoice(0, _l("A new person (a new code)"))] + [
            SelectChoice(person_id, _l("The person with code %(code)s", code=code))
            for person_id, code in persons
        ]
        if not self.is_submitted() and preselected in {p for p, _ in persons}:
            self.person_id.data = preselected

    def set_choices(self, need_terms, locale: str, searched=(), offered=()) -> None:
        self.needs.choices = [SelectChoice(t.id, t.label(locale)) for t in need_terms]
        self.arrange_needs(need_terms, locale, searched, offered)
        self.preferred_language.choices = [
            SelectChoice(code, language_name(code, locale)) for code in OFFERED
        ]
        key = getattr(self, "idempotency_key", None)
        if key is not None and not self.is_submitted() and not key.data:
            key.data = new_idempotency_key()

    # How the needs are laid out (see arrange_needs): ids listed first, then (label, ids) groups.
    need_first: tuple = ()
    need_groups: tuple = ()

    def arrange_needs(self, need_terms, locale: str, searched=(), offered=()) -> None:
        """Pre-select the needs searched for (on a first visit) and list them first, with the
        service's and any already ticked; the other needs go in groups by top-level need."""
        by_code = {t.code: t for t in need_terms}
        searched = [c for c in dict.fromkeys(searched) if c in by_code]
        if not self.is_submitted() and not self.needs.data and searched:
            self.needs.data = [by_code[c].id for c in searched]
        ticked = set(self.needs.data or ())
        first = [by_code[c].id for c in searched]
        first += [by_code[c].id for c in offered if c in by_code and by_code[c].id not in first]
        first += [t.id for t in need_terms if t.id in ticked and t.id not in first]
        groups: dict[str, list[int]] = {}
        for term in need_terms:
            if term.id not in first:
                groups.setdefault(".".join(term.code.split(".")[:2]), []).append(term.id)
        self.need_first = tuple(first)
        self.need_groups = tuple(
            (by_code[top].label(locale) if top in by_code else top, tuple(ids))
            for top, ids in groups.items()
        )
        # The first box of the list is the one the error summary links to (needs-0).
        order = {term_id: n for n, term_id in enumerate([*first, *sum(groups.values(), [])])}
        self.needs.choices = sorted(
            self.needs.choices, key=lambda c: order.get(c.value, len(order))
        )

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
            "age_band": self.age_band.data or None,
            "gender": self.gender.data or None,
            "contact_mode": self.contact_mode.data,
            "contact_channel": self.contact_channel.data,
            "contact_safe_times": self.contact_safe_times.data,
            "briefing": self.briefing.data,
        }


class DraftForm(ReferralForm):
    """The same fields, to change a saved draft (no idempotency key: it exists already)."""

    idempotency_key = None
    person_id = None  # a draft stays with its person

    @classmethod
    def for_draft(cls, referral) -> DraftForm:
        """Filled from the draft on a GET, from the request on a POST."""
        form = cls(obj=referral)
        if not form.is_submitted():
            form.needs.data = [term.id for term in referral.needs]
            form.contact_mode.data = referral.contact_mode.value
        return form


class PersonDeclinedForm(BaseForm):
    """The intervenante records that the person herself declined the provider's answer."""

    reason = TextAreaField(
        _l("Why the person declined"),
        filters=[trimmed],
        validators=[DataRequired(message=_l("Please give the reason.")), Length(max=500)],
    )


class ConsentForm(BaseForm):
    purpose = StringField(
        _l("Purpose"), filters=[trimmed], validators=[Optional(), Length(max=300)]
    )
    valid_until = DateField(
        _l("Consent valid until"),
        # A consent is given for a referral, not for life: three years at most.
        validators=[
            DataRequired(message=_l("Please give the last day of the consent.")),
            DateRange(EARLIEST_DATE, days_from_today(CONSENT_MAX_DAYS)),
        ],
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


class ActionForm(BaseForm):
    """Nothing to fill in: the CSRF token only."""


class NotCompleteForm(BaseForm):
    outcome = SelectField(
        _l("Outcome"),
        choices=[SelectChoice("", _l("Choose…"))]
        + [SelectChoice(outcome.value, label) for outcome, label in OUTCOME_LABELS.items()],
        validators=[DataRequired(message=_l("Please choose the outcome."))],
    )


class RerouteForm(BaseForm):
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


class EvaluationForm(BaseForm):
    respect = _score(_l("Respect"))
    no_judgement = _score(_l("No judgement"))
    confidentiality = _score(_l("Confidentiality"))
    would_refer_again = RadioField(
        _l("Would you refer someone to this service again?"),
        choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))],
        validators=[InputRequired(message=_l("Please answer yes or no."))],
    )
