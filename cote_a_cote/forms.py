"""The base of every form: each text, number and date field is bounded, whatever the form says.

Every form of the platform derives from BaseForm (or SubForm for the rows of a FieldList), so
the rules below hold on every field without per-form code:

- the form reads only the posted fields (request.form): a file sent where text is expected, or a
  JSON body, is simply a missing field, never a Python object handed to a filter; an UploadForm
  also reads request.files, but only under the names of its own FileFields;
- text: no control characters (newline and tab are allowed in multi-line fields only; NUL
  never), and a maximum length (the field's own Length, or TEXT_MAX / MULTILINE_MAX);
- whole numbers: within the database's INTEGER range unless the field sets a NumberRange;
- decimal numbers: finite (no NaN or infinity);
- dates: within EARLIEST_DATE..LATEST_DATE unless the field sets its own DateRange.

The checks run first, before the field's own validators, so those only ever see sane values.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from flask_wtf.form import _Auto, _is_submitted
from werkzeug.datastructures import FileStorage, MultiDict
from wtforms import (
    DateField,
    DateTimeField,
    DecimalField,
    FloatField,
    Form,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.meta import DefaultMeta
from wtforms.validators import Length, NumberRange, Optional, StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from .config import LOCAL_ZONE
from .i18n import safe_format_date

TEXT_MAX = 1_000
MULTILINE_MAX = 10_000
# Ids and counts are INTEGER columns: PostgreSQL refuses anything wider.
DB_INT_MIN = -(2**31)
DB_INT_MAX = 2**31 - 1
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)

# C0 controls, DEL and C1 controls; multi-line text keeps tab, line feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

DateBound = date | Callable[[], date]


def optional_id(value) -> int | None:
    """A select's id (a field's coerce): '' or None, the empty or 'all' choice, is None; anything
    but a whole number from 1 to DB_INT_MAX raises ValueError, which the field reports as an
    invalid choice. A wider number never reaches the database (PostgreSQL refuses it)."""
    if value in (None, ""):
        return None
    number = int(value)
    if not 1 <= number <= DB_INT_MAX:
        raise ValueError(value)
    return number


def local_today() -> date:
    """Today in Québec (the platform's time zone), for date bounds relative to today."""
    return datetime.now(LOCAL_ZONE).date()


def days_from_today(days: int) -> Callable[[], date]:
    """A date bound `days` after (or, negative, before) today, worked out when validating."""
    return lambda: local_today() + timedelta(days=days)


def _resolve(bound: DateBound | None) -> date | None:
    return bound() if callable(bound) else bound


class NoControlCharacters:
    """Refuse invisible control characters (and NUL, which PostgreSQL cannot store)."""

    def __init__(self, multiline: bool = False):
        self.pattern = _CONTROL_MULTILINE if multiline else _CONTROL
        self.multiline = multiline

    def __call__(self, form, field) -> None:
        if isinstance(field.data, str) and self.pattern.search(field.data):
            if self.multiline:
                message = _l("Remove the invisible control characters from this text.")
            else:
                message = _l(
                    "Remove the invisible characters (control characters, tabs or line breaks) "
                    "from this field."
                )
            raise StopValidation(message)


class Finite:
    """A decimal number must be an actual number: no NaN, no infinity."""

    def __call__(self, form, field) -> None:
        value = field.data
        if value is None:
            return
        try:
            finite = math.isfinite(value)
        except (TypeError, ValueError, OverflowError):
            finite = False
        if not finite:
            raise StopValidation(_l("Enter a number."))


class DateRange:
    """The date must fall between minimum and maximum (each a date or a callable giving one)."""

    def __init__(self, minimum: DateBound | None = None, maximum: DateBound | None = None):
        self.minimum = minimum
        self.maximum = maximum

    def __call__(self, form, field) -> None:
        value = field.data
        if value is None:
            return
        day = value.date() if isinstance(value, datetime) else value
        low, high = _resolve(self.minimum), _resolve(self.maximum)
        if low is not None and day < low:
            raise StopValidation(_l("Enter a date on or after %(day)s.", day=safe_format_date(low)))
        if high is not None and day > high:
            raise StopValidation(
                _l("Enter a date on or before %(day)s.", day=safe_format_date(high))
            )


# The demonstration accounts' domain (seed-demo): a reserved .invalid name that no mail reaches.
DEMO_EMAIL_DOMAIN = "demo.cote-a-cote.invalid"


class EmailAddress:
    """A well-formed e-mail address (no DNS look-up). Special-use domains such as .invalid are
    refused, except the demonstration domain the README gives newcomers."""

    def __init__(self, message=None):
        self.message = message or _l("Enter a valid e-mail address.")

    def __call__(self, form, field) -> None:
        value = field.data or ""
        if not value:
            return
        local, at, domain = value.rpartition("@")
        if at and domain.lower() == DEMO_EMAIL_DOMAIN:
            value = f"{local}@example.org"  # check the rest of the address as usual
        try:
            validate_email(value, check_deliverability=False)
        except EmailNotValidError as error:
            raise ValidationError(self.message) from error


def position_field(label) -> IntegerField:
    """A place in an ordered list: a whole number from 0 to 10,000, 0 when left empty."""
    return IntegerField(
        label,
        default=0,
        validators=[
            Optional(),
            NumberRange(min=0, max=10000, message=_l("Enter a number from 0 to 10000.")),
        ],
    )


# Filters shared by every form: what a field holds before it is validated.
def strip_spaces(value: str | None) -> str | None:
    """The text without the spaces around it (a pasted value often carries them)."""
    return value.strip() if isinstance(value, str) else value


def trimmed(value):
    """Trimmed text, or None for an empty field."""
    if isinstance(value, str):
        return value.strip() or None
    return value


def plain_text(value):
    """Trimmed text with control characters removed rather than refused, or None: for forms whose
    writers must never meet an error about invisible characters (the person's own answer)."""
    if isinstance(value, str):
        value = _CONTROL_MULTILINE.sub("", value).strip()
        return value or None
    return value


# Widgets and checks shared by the forms of several features.
class MultiCheckboxField(SelectMultipleField):
    """A group of checkboxes, rendered in a fieldset by the form macros."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class DecimalCommaField(FloatField):
    """A number that also accepts a decimal comma, as French speakers write it."""

    def process_formdata(self, valuelist):
        if valuelist and isinstance(valuelist[0], str):
            valuelist = [valuelist[0].strip().replace(",", ".")]
        if valuelist and not valuelist[0]:
            self.data = None
            return
        super().process_formdata(valuelist)


class AtLeastOne:
    """At least one box ticked. Unlike DataRequired, it puts no `required` on every checkbox."""

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        if not field.data:
            raise StopValidation(self.message)


def web_address(form, field):
    """An address a browser can open: http or https only (no javascript:, no file:)."""
    if field.data and not field.data.lower().startswith(("https://", "http://")):
        raise ValidationError(_l("Enter an address starting with https:// or http://."))


def _has(field, kind: type, attribute: str | None = None) -> bool:
    for validator in field.validators:
        if isinstance(validator, kind) and (
            attribute is None or getattr(validator, attribute, None) not in (None, -1)
        ):
            return True
    return False


def _checks_controls_itself(field) -> bool:
    """A field with its own control-character validator keeps its own message."""
    return any(
        "control_characters" in getattr(v, "__name__", "")
        or "ControlCharacters" in type(v).__name__
        for v in field.validators
    )


def _is_calendar_date(field) -> bool:
    """A date or a date and time; not a time of day, which its format bounds already (WTForms'
    TimeField is a DateTimeField)."""
    return isinstance(field, DateField | DateTimeField) and not isinstance(field, TimeField)


def input_rules(field) -> list:
    """The checks every field of this type gets, before its own validators."""
    rules: list = []
    if isinstance(field, HiddenField):
        # Nobody types into a hidden field: a value with control characters counts as not sent
        # (see _blank_if_controls), and only its length is checked.
        if not _has(field, Length, "max"):
            rules.append(Length(max=TEXT_MAX))
    elif isinstance(field, StringField | PasswordField):
        multiline = isinstance(field, TextAreaField)
        if not _checks_controls_itself(field):
            rules.append(NoControlCharacters(multiline=multiline))
        if not _has(field, Length, "max"):
            limit = MULTILINE_MAX if multiline else TEXT_MAX
            rules.append(Length(max=limit, message=_l("Keep this under %(max)d characters.")))
    elif isinstance(field, IntegerField):
        if not (_has(field, NumberRange, "min") and _has(field, NumberRange, "max")):
            rules.append(
                NumberRange(min=DB_INT_MIN, max=DB_INT_MAX, message=_l("Enter a smaller number."))
            )
    elif isinstance(field, FloatField | DecimalField):
        rules.append(Finite())
    elif _is_calendar_date(field) and not _has(field, DateRange):
        rules.append(DateRange(EARLIEST_DATE, LATEST_DATE))
    return rules


def _blank_if_controls(value):
    """A hidden value carrying control characters was not written by our page: treat it as not
    sent (a `next` address with a NUL or a tab is dropped rather than cleaned into a path)."""
    return "" if isinstance(value, str) and _CONTROL.search(value) else value


class _BoundedMeta(DefaultMeta):
    def bind_field(self, form, unbound_field, options):
        field = super().bind_field(form, unbound_field, options)
        if isinstance(field, HiddenField):
            field.filters = [_blank_if_controls, *field.filters]
        rules = input_rules(field)
        if rules:
            field.validators = [*rules, *field.validators]
        return field


class BaseForm(FlaskForm):
    """Every form of the platform: FlaskForm with the input rules above."""

    class Meta(_BoundedMeta, FlaskForm.Meta):
        def wrap_formdata(self, form, formdata):
            # Only the posted fields: never request.files or a JSON body (Flask-WTF would read
            # both, handing a FileStorage or a list to filters written for text).
            if formdata is _Auto:
                return request.form if _is_submitted() else None
            return formdata


class UploadForm(BaseForm):
    """A form with file fields (the page's <form> needs enctype="multipart/form-data").

    The posted text fields as in BaseForm, plus the uploaded files sent under the name of one of
    this form's FileFields, and nothing else: a file sent under a text field's name is still a
    missing field, and a FileField never receives text (it holds a FileStorage or None). Checking
    the file itself (size, type from its first bytes) is the uploads package's job.
    """

    class Meta(BaseForm.Meta):
        def wrap_formdata(self, form, formdata):
            if formdata is not _Auto:
                return formdata
            if not _is_submitted():
                return None
            data: MultiDict[str, str | FileStorage] = MultiDict(request.form)
            for name, field in form._fields.items():
                if isinstance(field, FileField):
                    data.poplist(name)
                    for upload in request.files.getlist(name):
                        data.add(name, upload)
            return data

    def add_error(self, field_name: str | None, message: str) -> None:
        """A refusal about the file (its size, its type) shows on the named field, or on the
        form's first file field when none is named."""
        field = self._fields.get(field_name or "")
        if field is None:
            field = next(f for f in self._fields.values() if isinstance(f, FileField))
        field.errors = [*field.errors, message]


class SubForm(Form):
    """The rows of a FieldList(FormField(...)): the same rules, no CSRF of their own."""

    class Meta(_BoundedMeta, Form.Meta):
        pass
