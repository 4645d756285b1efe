"""Input of the prospect list: a suggestion, the coordinators' follow-up, invitation and filters."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional

from ..forms import BaseForm, DateRange, trimmed
from ..portal.closure_forms import EARLIEST, LATEST
from .models import ProspectStatus
from .services import STATUS_LABELS

WHY_MAX = 1000
NOTES_MAX = 5000


def _blank(label):
    return [SelectChoice("", label)]


class SuggestionForm(BaseForm):
    name = StringField(
        _l("Name of the business or organisation"),
        filters=[trimmed],
        validators=[DataRequired(message=_l("Give its name.")), Length(max=200)],
    )
    sector = SelectField(_l("Sector"), validators=[DataRequired(message=_l("Choose a sector."))])
    region = SelectField(_l("Region"), validators=[DataRequired(message=_l("Choose a region."))])
    why = TextAreaField(
        _l("Why it would be a good partner"),
        filters=[trimmed],
        validators=[
            DataRequired(message=_l("Say in a few words why.")),
            Length(max=WHY_MAX, message=_l("Keep it under %(max)d characters.", max=WHY_MAX)),
        ],
        description=_l(
            "What makes it welcoming or useful. Nothing about a person you support: no name, "
            "no story."
        ),
    )
    knows_someone = BooleanField(_l("I know someone there"))

    def __init__(self, sectors, regions, locale: str, **kwargs):
        super().__init__(**kwargs)
        self.sector.choices = _blank(_l("Choose…")) + [
            SelectChoice(t.code, t.label(locale)) for t in sectors
        ]
        self.region.choices = _blank(_l("Choose…")) + [
            SelectChoice(r.code, r.label(locale)) for r in regions
        ]


class StatusForm(BaseForm):
    status = SelectField(_l("New status"), validators=[DataRequired()])

    def __init__(self, moves, **kwargs):
        super().__init__(**kwargs)
        self.status.choices = [SelectChoice(s.value, STATUS_LABELS[s]) for s in moves]


class FollowUpForm(BaseForm):
    notes = TextAreaField(
        _l("Notes"),
        filters=[trimmed],
        validators=[
            Optional(),
            Length(max=NOTES_MAX, message=_l("Keep it under %(max)d characters.", max=NOTES_MAX)),
        ],
    )
    next_step_on = DateField(
        _l("Next step on"), validators=[Optional(), DateRange(EARLIEST, LATEST)]
    )


class InviteForm(BaseForm):
    email = EmailField(
        _l("E-mail address of the business"),
        filters=[trimmed],
        validators=[
            DataRequired(message=_l("Enter an e-mail address.")),
            Length(max=254),
            Email(message=_l("Enter a valid e-mail address.")),
        ],
    )
    locale = SelectField(
        _l("Language of the invitation e-mail"),
        choices=[SelectChoice("fr", "Français"), SelectChoice("en", "English")],
        validators=[DataRequired()],
    )


class LinkForm(BaseForm):
    organization_id = SelectField(
        _l("Application"),
        coerce=lambda v: int(v) if str(v or "").isdigit() and len(str(v)) < 12 else None,
        validators=[DataRequired(message=_l("Choose an application."))],
    )

    def __init__(self, organizations, **kwargs):
        super().__init__(**kwargs)
        self.organization_id.choices = [SelectChoice("", _l("Choose…"))] + [
            SelectChoice(o.id, o.name) for o in organizations
        ]


class FilterForm(BaseForm):
    class Meta:
        csrf = False

    status = SelectField(_l("Status"), validators=[Optional()])
    sector = SelectField(_l("Sector"), validators=[Optional()])
    region = SelectField(_l("Region"), validators=[Optional()])

    def __init__(self, sectors, regions, locale: str, **kwargs):
        super().__init__(**kwargs)
        self.status.choices = _blank(_l("All")) + [
            SelectChoice(s.value, STATUS_LABELS[s]) for s in ProspectStatus
        ]
        self.sector.choices = _blank(_l("All")) + [
            SelectChoice(t.code, t.label(locale)) for t in sectors
        ]
        self.region.choices = _blank(_l("All")) + [
            SelectChoice(r.code, r.label(locale)) for r in regions
        ]
