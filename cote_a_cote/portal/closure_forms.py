"""Input of the closures and pauses a provider sets on a service."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import DateField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, Length, Optional

from ..forms import BaseForm, DateRange, trimmed
from .closure_services import REASON_MAX, ClosureInput

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)
MESSAGE_MAX = 300


def _day(label):
    return DateField(
        label,
        validators=[
            DataRequired(message=_l("Enter a date (YYYY-MM-DD).")),
            DateRange(EARLIEST, LATEST),
        ],
    )


class ClosureForm(BaseForm):
    starts_on = _day(_l("First day closed"))
    ends_on = _day(_l("Last day closed"))
    closed_from = TimeField(_l("Closed from (optional)"), validators=[Optional()])
    closed_until = TimeField(_l("Closed until (optional)"), validators=[Optional()])
    reason = TextAreaField(
        _l("Reason (optional)"),
        filters=[trimmed],
        validators=[
            Optional(),
            Length(
                max=REASON_MAX,
                message=_l("Keep the reason under %(max)d characters.", max=REASON_MAX),
            ),
        ],
        description=_l(
            "Shown to intervenantes only, never to the public. No personal information."
        ),
    )

    def data_for_service(self) -> ClosureInput:
        return ClosureInput(
            self.starts_on.data,
            self.ends_on.data,
            self.closed_from.data,
            self.closed_until.data,
            self.reason.data,
        )

    def add_error(self, field_name: str | None, message: str) -> None:
        field = self._fields.get(field_name or "", self.starts_on)
        field.errors = [*field.errors, message]


class PauseForm(BaseForm):
    starts_on = _day(_l("Paused from"))
    ends_on = _day(_l("Paused until (included)"))
    message_fr = StringField(
        _l("Message shown during the pause (French)"),
        filters=[trimmed],
        validators=[
            DataRequired(message=_l("Write the message shown during the pause.")),
            Length(
                max=MESSAGE_MAX,
                message=_l("Keep the message under %(max)d characters.", max=MESSAGE_MAX),
            ),
        ],
    )
    message_en = StringField(
        _l("Message shown during the pause (English, optional)"),
        filters=[trimmed],
        validators=[
            Optional(),
            Length(
                max=MESSAGE_MAX,
                message=_l("Keep the message under %(max)d characters.", max=MESSAGE_MAX),
            ),
        ],
    )

    def add_error(self, field_name: str | None, message: str) -> None:
        field = self._fields.get(field_name or "", self.starts_on)
        field.errors = [*field.errors, message]
