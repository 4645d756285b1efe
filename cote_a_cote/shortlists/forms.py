"""Forms of the shortlist pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from ..forms import BaseForm, plain_text
from .models import NAME_MAX, NOTE_MAX

NEW_LIST = 0


class NameForm(BaseForm):
    name = StringField(
        _l("Name of the list"),
        filters=[plain_text],
        validators=[Length(max=NAME_MAX, message=_l("At most %(max)d characters.", max=NAME_MAX))],
    )


class NoteForm(BaseForm):
    note = TextAreaField(
        _l("Private note"),
        filters=[plain_text],
        validators=[
            Optional(),
            Length(max=NOTE_MAX, message=_l("At most %(max)d characters.", max=NOTE_MAX)),
        ],
    )


class AddForm(BaseForm):
    shortlist = SelectField(
        _l("List"),
        coerce=int,
        validate_choice=False,  # the loader decides: another's list answers 404
        validators=[InputRequired(message=_l("Choose a list."))],
    )
    name = StringField(
        _l("Name of the new list"),
        filters=[plain_text],
        validators=[
            Optional(),
            Length(max=NAME_MAX, message=_l("At most %(max)d characters.", max=NAME_MAX)),
        ],
    )

    def set_choices(self, lists) -> None:
        self.shortlist.choices = [SelectChoice(s.id, s.name) for s in lists] + [
            SelectChoice(NEW_LIST, _l("A new list (name it below)"))
        ]
