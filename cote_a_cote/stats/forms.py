"""The dashboard's period filter, read from the address (it changes nothing: no CSRF)."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import ValidationError

from ..forms import BaseForm, strip_spaces
from .figures import Month, default_period

MAX_MONTHS = 60
FIRST_YEAR, LAST_YEAR = 2000, 2099


def _month(field) -> Month | None:
    """The field's month, None when empty; ValidationError when it is not a month."""
    if not field.data:
        return None
    try:
        month = Month.parse(field.data)
    except ValueError:
        raise ValidationError(_l("Enter a month as year-month, for example 2026-04.")) from None
    if not FIRST_YEAR <= month.year <= LAST_YEAR:
        raise ValidationError(
            _l("Enter a month between %(first)s and %(last)s.", first=FIRST_YEAR, last=LAST_YEAR)
        )
    return month


class PeriodForm(BaseForm):
    """From and to months, both included; empty means the last 12 months.

    Plain text inputs, not type="month": a browser empties a month input holding an invalid
    value, and the page must show what was typed beside its error.
    """

    class Meta:
        csrf = False

    start = StringField(
        _l("From (month)"),
        filters=[strip_spaces],
        render_kw={"placeholder": "2026-04", "autocomplete": "off", "size": 8},
    )
    end = StringField(
        _l("To (month, included)"),
        filters=[strip_spaces],
        render_kw={"placeholder": "2026-04", "autocomplete": "off", "size": 8},
    )

    def validate_start(self, field) -> None:
        _month(field)

    def validate_end(self, field) -> None:
        last = _month(field)
        try:
            first = _month(self.start)
        except ValidationError:
            return  # start shows its own error
        if first and last:
            if last < first:
                raise ValidationError(_l("The last month cannot be before the first month."))
            if len(range(first.year * 12 + first.month, last.year * 12 + last.month)) >= MAX_MONTHS:
                raise ValidationError(
                    _l("Choose a period of at most %(num)s months.", num=MAX_MONTHS)
                )

    def period(self, today: date) -> tuple[Month, Month]:
        """The chosen months (once valid); a missing end is filled from the default period."""
        default_first, default_last = default_period(today)
        first = _month(self.start)
        last = _month(self.end)
        if first is None:
            if last is None:
                first, last = default_first, default_last
            else:
                first = last.plus(-11)
        elif last is None:
            last = max(first, min(first.plus(11), default_last))
        self.start.data, self.end.data = str(first), str(last)
        return first, last
