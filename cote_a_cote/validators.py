"""Form validators whose messages say what to do, built from the field's own label.

`Required()` replaces a bare "This field is required.": an empty text field asks to fill it in
by name, a list asks to choose, a box asks to tick, a date asks for a date. A field with a better,
hand-written message passes it as `message=` as before.
"""

from __future__ import annotations

from flask_babel import gettext as _
from wtforms.validators import DataRequired, InputRequired, StopValidation

CHOICE_TYPES = {"SelectField", "RadioField", "SelectMultipleField", "MultiCheckboxField"}
DATE_TYPES = {"DateField", "DateTimeField", "DateTimeLocalField", "TimeField", "MonthField"}


def what_to_do(field) -> str:
    """The instruction for an empty field: "Enter …", "Choose …" or "Tick …", with its label."""
    label = str(field.label.text).strip().rstrip(":").strip()
    if field.type == "BooleanField":
        return _("Tick “%(label)s”.", label=label)
    if field.type in CHOICE_TYPES:
        return _("Choose an option for “%(label)s”.", label=label)
    if field.type in DATE_TYPES:
        return _("Enter a date for “%(label)s”.", label=label)
    return _("Enter “%(label)s”.", label=label)


class Required(DataRequired):
    """DataRequired with a message that names the field and says what to do."""

    def __call__(self, form, field):
        if field.data:
            return
        field.errors[:] = []
        raise StopValidation(self.message or what_to_do(field))


class RequiredInput(InputRequired):
    """InputRequired (for 0 or a value that is falsy but given) with the same kind of message."""

    def __call__(self, form, field):
        if field.raw_data and field.raw_data[0]:
            return
        field.errors[:] = []
        raise StopValidation(self.message or what_to_do(field))
