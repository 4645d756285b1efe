"""Forms of the provider's referral pages: one small form per answer, each validated here."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from wtforms import DateField, RadioField, SelectChoice, SelectField, TextAreaField, TimeField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from ..config import LOCAL_ZONE
from ..forms import EARLIEST_DATE, BaseForm, DateRange, days_from_today
from .models import DeclinedBy, Outcome

OUTCOME_LABELS = {
    Outcome.NO_SHOW: _l("The person did not come"),
    Outcome.PERSON_WITHDREW: _l("The person withdrew"),
    Outcome.PROVIDER_COULD_NOT_SERVE: _l("We could not serve the person"),
    Outcome.OTHER: _l("Other reason"),
}


class AcceptForm(BaseForm):
    # An appointment already kept (up to 90 days ago) or within the next two years.
    appointment_date = DateField(
        _l("Appointment date"),
        validators=[Optional(), DateRange(days_from_today(-90), days_from_today(731))],
    )
    appointment_time = TimeField(_l("Appointment time"), validators=[Optional()])

    def validate_appointment_time(self, field) -> None:
        if field.data is not None and self.appointment_date.data is None:
            raise ValidationError(_l("Give the date of the appointment as well."))

    def appointment_at(self) -> datetime | None:
        """The appointment as an aware datetime in Québec time, or None when no date is given."""
        day = self.appointment_date.data
        if day is None:
            return None
        moment = self.appointment_time.data or datetime.min.time()
        return datetime.combine(day, moment, tzinfo=LOCAL_ZONE)


class WaitlistForm(BaseForm):
    expected_on = DateField(
        _l("Expected date the person can be served"),
        validators=[
            DataRequired(message=_l("Please give the expected date.")),
            DateRange(EARLIEST_DATE, days_from_today(731)),
        ],
    )


class DeclineForm(BaseForm):
    declined_by = RadioField(
        _l("Who declined"),
        choices=[
            SelectChoice(DeclinedBy.PROVIDER.value, _l("Our organisation")),
            SelectChoice(DeclinedBy.PERSON.value, _l("The person")),
        ],
        validators=[InputRequired(message=_l("Please say who declined."))],
    )
    reason = TextAreaField(
        _l("Reason"),
        filters=[lambda value: value.strip() if value else value],
        validators=[DataRequired(message=_l("Please give the reason.")), Length(max=500)],
    )


class StartForm(BaseForm):
    """Nothing to fill in: the CSRF token only."""


class CompleteForm(BaseForm):
    """Nothing to fill in: the CSRF token only."""


class NotCompleteForm(BaseForm):
    outcome = SelectField(
        _l("Outcome"),
        choices=[SelectChoice("", _l("Choose…"))]
        + [SelectChoice(outcome.value, label) for outcome, label in OUTCOME_LABELS.items()],
        validators=[DataRequired(message=_l("Please choose the outcome."))],
    )
