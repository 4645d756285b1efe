"""The report form on a service page, the coordinators' status form and the queue's filter.

The report form asks for no name, e-mail or phone: only the kind of problem and a short note.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from .labels import ACTION_LABELS, KIND_LABELS, STATUS_LABELS
from .models import ReportKind, ReportStatus
from .services import NOTE_MAX, has_control_characters


def _text(value) -> str:
    """Trimmed text; anything else (a file posted in place of the note) reads as nothing typed."""
    return value.strip() if isinstance(value, str) else ""


def _no_control_characters(form, field) -> None:
    if isinstance(field.data, str) and has_control_characters(field.data):
        raise ValidationError(
            _l("The note contains invisible control characters; remove them and try again.")
        )


_NOTE_LENGTH = Length(
    max=NOTE_MAX, message=_l("Keep the note to %(max)d characters or fewer.", max=NOTE_MAX)
)


class ReportForm(FlaskForm):
    kind = RadioField(
        _l("What is the problem?"),
        choices=[SelectChoice(kind.value, label) for kind, label in KIND_LABELS.items()],
        validate_choice=False,
        validators=[
            InputRequired(message=_l("Choose what kind of problem it is.")),
            AnyOf(
                [kind.value for kind in ReportKind],
                message=_l("Choose one of the problems listed."),
            ),
        ],
    )
    note = TextAreaField(
        _l("What should the coordinating team know?"),
        filters=[_text],
        validators=[
            DataRequired(message=_l("Describe the problem in a few words.")),
            _NOTE_LENGTH,
            _no_control_characters,
        ],
    )

    @property
    def kind_value(self) -> ReportKind:
        return ReportKind(self.kind.data)


class StatusForm(FlaskForm):
    """Move a report to one of the statuses allowed from where it is, with a note."""

    status = RadioField(
        _l("New status"),
        validate_choice=False,
        validators=[InputRequired(message=_l("Choose the report's new status."))],
    )
    note = TextAreaField(
        _l("Note for the coordinating team"),
        filters=[_text],
        validators=[Optional(), _NOTE_LENGTH, _no_control_characters],
    )

    def __init__(self, allowed: list[ReportStatus], *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.status.choices = [SelectChoice(s.value, ACTION_LABELS[s]) for s in allowed]
        self._allowed = {s.value for s in allowed}

    def validate_status(self, field) -> None:
        if field.data not in self._allowed:
            raise ValidationError(_l("This report cannot move to that status from where it is."))

    @property
    def target(self) -> ReportStatus:
        return ReportStatus(self.status.data)


class QueueFilterForm(FlaskForm):
    """The queue's filter, read from the address (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    status = SelectField(
        _l("Status"),
        choices=[SelectChoice("", _l("All statuses"))]
        + [SelectChoice(s.value, label) for s, label in STATUS_LABELS.items()],
        default="",
        validate_choice=False,
        validators=[
            Optional(),
            AnyOf([s.value for s in ReportStatus], message=_l("Choose one of the statuses.")),
        ],
    )

    def chosen(self) -> ReportStatus | None:
        """The status to show, or None for all (also when the address held an unknown one)."""
        if self.status.data and not self.status.errors:
            try:
                return ReportStatus(self.status.data)
            except ValueError:
                return None
        return None
