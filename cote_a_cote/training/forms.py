"""Forms of the training pages: modules, records, filters, declarations and decisions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
)

from ..accounts.models import User
from ..catalogue.models import Organization
from ..forms import (
    LATEST_DATE,
    BaseForm,
    DateRange,
    UploadForm,
    days_from_today,
    optional_id,
    position_field,
    strip_spaces,
)
from .models import RecordStatus, SessionLanguage, TrainingModule
from .services import STATUS_LABELS
from .sessions import LANGUAGE_LABELS, MAX_SEATS, SessionInput

# Training records start with the program's predecessors: nothing before 1990.
EARLIEST = date(1990, 1, 1)
NOTE_MAX = 2000


def _module_label(module: TrainingModule, locale: str) -> str:
    label = module.name(locale)
    return label if module.active else gettext("%(name)s (not offered)", name=label)


class ModuleForm(BaseForm):
    name_fr = StringField(
        _l("Name (French)"), filters=[strip_spaces], validators=[DataRequired(), Length(max=200)]
    )
    name_en = StringField(
        _l("Name (English)"), filters=[strip_spaces], validators=[DataRequired(), Length(max=200)]
    )
    description_fr = TextAreaField(
        _l("Description (French)"), validators=[Optional(), Length(max=4000)]
    )
    description_en = TextAreaField(
        _l("Description (English)"), validators=[Optional(), Length(max=4000)]
    )
    validity_months = IntegerField(
        _l("Validity in months"),
        validators=[
            Optional(),
            NumberRange(min=1, max=120, message=_l("Enter a number of months from 1 to 120.")),
        ],
    )
    required = BooleanField(_l("Required to count as trained"))
    active = BooleanField(_l("Offered (active)"), default=True)
    position = position_field(_l("Position in lists"))

    def values(self) -> dict:
        return {
            "name_fr": self.name_fr.data,
            "name_en": self.name_en.data,
            "description_fr": self.description_fr.data,
            "description_en": self.description_en.data,
            "validity_months": self.validity_months.data,
            "required": bool(self.required.data),
            "active": bool(self.active.data),
            "position": self.position.data or 0,
        }

    def add_error(self, field_name: str | None, message: str) -> None:
        field = self._fields.get(field_name or "", self.name_fr)
        field.errors = [*field.errors, message]


class NewModuleForm(ModuleForm):
    code = StringField(
        _l("Code"),
        filters=[strip_spaces],
        validators=[
            DataRequired(),
            Length(max=60),
            Regexp(
                r"^[a-z0-9][a-z0-9_.-]*$",
                message=_l("Use lowercase letters, digits, dots, dashes and underscores."),
            ),
        ],
    )

    def values(self) -> dict:
        return {**super().values(), "code": self.code.data}


class RecordFilterForm(BaseForm):
    """The GET filters of the record list (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    organization_id = SelectField(_l("Organisation"), coerce=optional_id, validators=[Optional()])
    module_id = SelectField(_l("Module"), coerce=optional_id, validators=[Optional()])
    status = SelectField(
        _l("Status"),
        choices=[SelectChoice("", _l("All statuses"))]
        + [SelectChoice(s.value, STATUS_LABELS[s]) for s in RecordStatus],
        validators=[Optional()],
    )

    def __init__(self, organizations, modules, locale: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization_id.choices = [SelectChoice("", _l("All organisations"))] + [
            SelectChoice(o.id, o.name) for o in organizations
        ]
        self.module_id.choices = [SelectChoice("", _l("All modules"))] + [
            SelectChoice(m.id, _module_label(m, locale)) for m in modules
        ]

    def criteria(self) -> dict:
        """The valid filters as keyword arguments for services.records_query."""
        if not self.validate():
            return {}
        return {
            "organization_id": self.organization_id.data,
            "module_id": self.module_id.data,
            "status": RecordStatus(self.status.data) if self.status.data else None,
        }

    def query_args(self) -> dict:
        if not self.validate():
            return {}
        return {
            name: value
            for name in ("organization_id", "module_id", "status")
            if (value := self[name].data) not in (None, "")
        }


class ChooseOrganizationForm(BaseForm):
    """Step one of recording a completion: whose staff (GET, changes nothing)."""

    class Meta:
        csrf = False

    organization_id = SelectField(_l("Organisation"), coerce=optional_id)

    def __init__(self, organizations: list[Organization], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization_id.choices = [SelectChoice(o.id, o.name) for o in organizations]


CANCEL_REASON_MAX = 500


class _CompletionForm(BaseForm):
    user_id = SelectField(_l("Staff member"), coerce=optional_id, validators=[DataRequired()])
    module_id = SelectField(_l("Module"), coerce=optional_id, validators=[DataRequired()])
    completed_on = DateField(
        _l("Completed on"),
        validators=[
            DataRequired(message=_l("Enter a date.")),
            DateRange(EARLIEST, LATEST_DATE),
        ],
    )
    evidence_note = TextAreaField(
        _l("Evidence"),
        validators=[Optional(), Length(max=NOTE_MAX)],
        description=_l(
            "Where the proof is kept (certificate, attendance list, trainer). Nothing about "
            "anyone the organisation serves."
        ),
    )

    def __init__(self, staff: list[User], modules: Sequence[TrainingModule], locale: str, **kwargs):
        super().__init__(**kwargs)
        self.user_id.choices = [SelectChoice(u.id, u.name) for u in staff]
        self.module_id.choices = [SelectChoice(m.id, m.name(locale)) for m in modules]

    def add_error(self, field_name: str | None, message: str) -> None:
        field = self._fields.get(field_name or "", self.module_id)
        field.errors = [*field.errors, message]


class RecordForm(_CompletionForm):
    """An administrator records a completion, confirmed at once."""

    expires_on = DateField(
        _l("Expires on"),
        validators=[Optional(), DateRange(EARLIEST, LATEST_DATE)],
        description=_l("Leave empty to use the module's validity."),
    )


class DeclarationForm(_CompletionForm, UploadForm):
    """Provider staff declare a completion for themselves or a colleague, with its certificate
    if they have one (checked by the uploads package: type from the first bytes, size)."""

    evidence_file = FileField(_l("Certificate or attestation (optional)"))


class CancelSessionForm(BaseForm):
    """An administrator cancels a session that has not begun, saying why."""

    reason = TextAreaField(
        _l("Why the session is cancelled"),
        filters=[strip_spaces],
        validators=[
            DataRequired(message=_l("Say why the session is cancelled.")),
            Length(max=CANCEL_REASON_MAX),
        ],
        description=_l(
            "Shown to the staff who were enrolled or waiting, on the session's page (not in the "
            "e-mail)."
        ),
    )

    def add_error(self, field_name: str | None, message: str) -> None:
        self.reason.errors = [*self.reason.errors, message]


class RejectForm(BaseForm):
    note = TextAreaField(
        _l("Why the declaration cannot be confirmed"),
        validators=[DataRequired(message=_l("Say why.")), Length(max=NOTE_MAX)],
        description=_l("The organisation's staff will read this message."),
    )


# --- Delivered training (issue 17 §2) ----------------------------------------------------------

SECTION_TEXT_MAX = 8000


def _blank_to_none(value):
    if isinstance(value, str):
        return value.strip() or None
    return value


class SessionForm(BaseForm):
    """An administrator plans a session (times are Québec times)."""

    module_id = SelectField(_l("Module"), coerce=optional_id, validators=[DataRequired()])
    day = DateField(
        _l("Date"),
        validators=[
            DataRequired(message=_l("Enter a date.")),
            DateRange(days_from_today(-366), days_from_today(2 * 366)),
        ],
    )
    starts = TimeField(_l("Starts at"), validators=[DataRequired(message=_l("Enter a time."))])
    ends = TimeField(_l("Ends at"), validators=[DataRequired(message=_l("Enter a time."))])
    place = StringField(
        _l("Place"),
        filters=[_blank_to_none],
        validators=[Optional(), Length(max=300)],
        description=_l("An address or a room. Leave empty for a session held online only."),
    )
    online_url = StringField(
        _l("Online link"),
        filters=[_blank_to_none],
        validators=[Optional(), Length(max=500)],
        description=_l("Shown to provider staff. Leave empty for a session held in person only."),
    )
    seats = IntegerField(
        _l("Seats"),
        validators=[
            DataRequired(message=_l("Give a number of seats from 1 to %(max)s.", max=MAX_SEATS)),
            NumberRange(
                min=1,
                max=MAX_SEATS,
                message=_l("Give a number of seats from 1 to %(max)s.", max=MAX_SEATS),
            ),
        ],
    )
    language = SelectField(
        _l("Language"),
        choices=[SelectChoice(lang.value, LANGUAGE_LABELS[lang]) for lang in SessionLanguage],
        default=SessionLanguage.FR.value,
    )

    def __init__(self, modules: Sequence[TrainingModule], locale: str, **kwargs):
        super().__init__(**kwargs)
        self.module_id.choices = [SelectChoice(m.id, m.name(locale)) for m in modules]

    def values(self) -> SessionInput:
        return SessionInput(
            module_id=self.module_id.data,
            day=self.day.data,
            starts=self.starts.data,
            ends=self.ends.data,
            place=self.place.data,
            online_url=self.online_url.data,
            seats=self.seats.data,
            language=SessionLanguage(self.language.data),
        )

    def add_error(self, field_name: str | None, message: str) -> None:
        field = self._fields.get(field_name or "", self.day)
        field.errors = [*field.errors, message]


class EnrolForm(BaseForm):
    """Provider staff enrol themselves or a colleague in a session."""

    user_id = SelectField(_l("Person to enrol"), coerce=optional_id, validators=[DataRequired()])

    def __init__(self, staff: list[User], **kwargs):
        super().__init__(**kwargs)
        self.user_id.choices = [SelectChoice(u.id, u.name) for u in staff]

    def add_error(self, field_name: str | None, message: str) -> None:
        self.user_id.errors = [*self.user_id.errors, message]


class SectionForm(BaseForm):
    """A section of a module's content page."""

    title_fr = StringField(
        _l("Title (French)"), filters=[strip_spaces], validators=[DataRequired(), Length(max=200)]
    )
    title_en = StringField(
        _l("Title (English)"), filters=[strip_spaces], validators=[Optional(), Length(max=200)]
    )
    body_fr = TextAreaField(
        _l("Text (French)"), validators=[DataRequired(), Length(max=SECTION_TEXT_MAX)]
    )
    body_en = TextAreaField(
        _l("Text (English)"), validators=[Optional(), Length(max=SECTION_TEXT_MAX)]
    )
    position = position_field(_l("Position on the page"))

    def values(self) -> dict:
        return {
            name: self[name].data for name in ("title_fr", "title_en", "body_fr", "body_en")
        } | {"position": self.position.data or 0}

    def add_error(self, field_name: str | None, message: str) -> None:
        field = self._fields.get(field_name or "", self.title_fr)
        field.errors = [*field.errors, message]


class PassMarkForm(BaseForm):
    pass_percent = IntegerField(
        _l("Pass mark (%)"),
        validators=[
            Optional(),
            NumberRange(min=50, max=100, message=_l("Give a pass mark from 50 to 100.")),
        ],
        description=_l("Leave empty for a module without a quiz."),
    )

    def add_error(self, field_name: str | None, message: str) -> None:
        self.pass_percent.errors = [*self.pass_percent.errors, message]


class QuestionForm(BaseForm):
    prompt_fr = StringField(
        _l("Question (French)"),
        filters=[strip_spaces],
        validators=[DataRequired(), Length(max=500)],
    )
    prompt_en = StringField(
        _l("Question (English)"), filters=[strip_spaces], validators=[Optional(), Length(max=500)]
    )
    choices_fr = TextAreaField(
        _l("Choices (French), one per line"), validators=[DataRequired(), Length(max=2000)]
    )
    choices_en = TextAreaField(
        _l("Choices (English), one per line, in the same order"),
        validators=[Optional(), Length(max=2000)],
    )
    correct = IntegerField(
        _l("Number of the right choice"),
        validators=[
            DataRequired(message=_l("Give the number of the right choice.")),
            NumberRange(min=1, max=6, message=_l("Give the number of the right choice.")),
        ],
    )
    position = position_field(_l("Position in the quiz"))

    def values(self) -> dict:
        names = ("prompt_fr", "prompt_en", "choices_fr", "choices_en", "correct", "position")
        return {name: self[name].data for name in names}

    def add_error(self, field_name: str | None, message: str) -> None:
        field = self._fields.get(field_name or "", self.prompt_fr)
        field.errors = [*field.errors, message]


def quiz_form(questions: list, locale: str, **kwargs) -> BaseForm:
    """A form with one set of radio buttons per question, named q<id>."""

    class QuizForm(BaseForm):
        def answers(self) -> dict[int, int]:
            return {q.id: self[f"q{q.id}"].data for q in questions}

    for question in questions:
        setattr(
            QuizForm,
            f"q{question.id}",
            RadioField(
                question.prompt(locale),
                choices=[SelectChoice(i, text) for i, text in enumerate(question.choices(locale))],
                coerce=int,
                validators=[InputRequired(message=_l("Choose an answer."))],
            ),
        )
    return QuizForm(**kwargs)


class MaterialForm(UploadForm):
    """A file attached to a module (checked by the uploads package: type, size)."""

    document = FileField(
        _l("File"), validators=[FileRequired(message=_l("Choose a file to attach."))]
    )

    def add_error(self, field_name: str | None, message: str) -> None:
        self.document.errors = [*self.document.errors, message]
