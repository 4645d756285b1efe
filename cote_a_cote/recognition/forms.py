"""Forms of the recognition pages: levels, award decisions, the partner's choice, public filters."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    SearchField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from ..forms import BaseForm, DateRange, days_from_today, optional_id, strip_spaces
from .models import EngagementKind

RATIONALE_MAX = 4000


def _count(label, maximum: int, message):
    return IntegerField(
        label, validators=[Optional(), NumberRange(min=0, max=maximum, message=message)]
    )


class LevelForm(BaseForm):
    name_fr = StringField(
        _l("Name (French)"), filters=[strip_spaces], validators=[DataRequired(), Length(max=120)]
    )
    name_en = StringField(
        _l("Name (English)"), filters=[strip_spaces], validators=[DataRequired(), Length(max=120)]
    )
    description_fr = TextAreaField(
        _l("Description (French)"), validators=[Optional(), Length(max=4000)]
    )
    description_en = TextAreaField(
        _l("Description (English)"), validators=[Optional(), Length(max=4000)]
    )
    rank = IntegerField(
        _l("Rank (higher is a higher level)"),
        default=0,
        validators=[
            Optional(),
            NumberRange(min=0, max=1000, message=_l("Enter a number from 0 to 1000.")),
        ],
    )
    active = BooleanField(_l("Offered (active)"), default=True)
    min_trained_share = _count(
        _l("Minimum share of staff trained (%)"), 100, _l("Enter a percentage from 0 to 100.")
    )
    min_partner_months = _count(
        _l("Minimum months as a partner"), 600, _l("Enter a number of months from 0 to 600.")
    )
    min_referrals_accepted = _count(
        _l("Minimum referrals accepted"), 100000, _l("Enter a number from 0 to 100000.")
    )
    min_referrals_completed = _count(
        _l("Minimum referrals completed"), 100000, _l("Enter a number from 0 to 100000.")
    )
    max_median_response_hours = _count(
        _l("Maximum median time to first response (hours)"),
        10000,
        _l("Enter a number of hours from 0 to 10000."),
    )
    min_average_rating = DecimalField(
        _l("Minimum average welcome rating (1 to 5)"),
        places=1,
        validators=[
            Optional(),
            NumberRange(min=1, max=5, message=_l("Enter a rating from 1 to 5.")),
        ],
    )
    min_reduced_cost_services = _count(
        _l("Minimum services offered free or at reduced cost"),
        1000,
        _l("Enter a number from 0 to 1000."),
    )
    max_months_since_verified = _count(
        _l("Maximum months since the profile was last verified"),
        120,
        _l("Enter a number of months from 0 to 120."),
    )
    max_regional_rank_share = _count(
        _l("Maximum share of its region's partners ahead of it (%; 25 is the top quarter)"),
        100,
        _l("Enter a percentage from 0 to 100."),
    )
    min_accepted_per_thousand_region = _count(
        _l("Minimum referrals accepted per 1,000 referrals of its region"),
        1000,
        _l("Enter a number from 0 to 1000."),
    )
    min_engagement_records = _count(
        _l("Minimum engagement records confirmed over 12 months"),
        1000,
        _l("Enter a number from 0 to 1000."),
    )

    THRESHOLDS = (
        "min_trained_share",
        "min_partner_months",
        "min_referrals_accepted",
        "min_referrals_completed",
        "max_median_response_hours",
        "min_average_rating",
        "min_reduced_cost_services",
        "max_months_since_verified",
        "max_regional_rank_share",
        "min_accepted_per_thousand_region",
        "min_engagement_records",
    )

    def values(self) -> dict:
        values = {
            "name_fr": self.name_fr.data,
            "name_en": self.name_en.data,
            "description_fr": (self.description_fr.data or "").strip() or None,
            "description_en": (self.description_en.data or "").strip() or None,
            "rank": self.rank.data or 0,
            "active": bool(self.active.data),
        }
        for name in self.THRESHOLDS:
            value = self[name].data
            if name == "min_average_rating" and value is not None:
                value = float(value)
            values[name] = value
        return values

    def add_error(self, field_name: str | None, message: str) -> None:
        field = self._fields.get(field_name or "", self.name_fr)
        field.errors = [*field.errors, message]


class NewLevelForm(LevelForm):
    code = StringField(
        _l("Code"),
        filters=[strip_spaces],
        validators=[
            DataRequired(),
            Length(max=40),
            Regexp(
                r"^[a-z0-9][a-z0-9_.-]*$",
                message=_l("Use lowercase letters, digits, dots, dashes and underscores."),
            ),
        ],
    )

    def values(self) -> dict:
        return {**super().values(), "code": self.code.data}


class _DecisionForm(BaseForm):
    rationale = TextAreaField(
        _l("Rationale"),
        filters=[strip_spaces],
        validators=[
            DataRequired(message=_l("Give a rationale.")),
            Length(max=RATIONALE_MAX, message=_l("Keep the rationale under 4000 characters.")),
        ],
    )
    override = BooleanField(_l("Award even though some criteria are not met"))

    def add_error(self, field_name: str | None, message: str) -> None:
        field = self._fields.get(field_name or "", self.rationale)
        field.errors = [*field.errors, message]


class AwardForm(_DecisionForm):
    level_id = SelectField(
        _l("Level"),
        coerce=optional_id,
        validators=[DataRequired(message=_l("Choose a level."))],
    )

    def __init__(self, levels, locale: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.level_id.choices = [SelectChoice("", _l("Choose a level"))] + [
            SelectChoice(level.id, level.name(locale)) for level in levels
        ]


class RenewForm(_DecisionForm):
    pass


class WithdrawForm(BaseForm):
    reason = TextAreaField(
        _l("Reason for the withdrawal"),
        filters=[strip_spaces],
        validators=[
            DataRequired(message=_l("Give a rationale.")),
            Length(max=RATIONALE_MAX, message=_l("Keep the rationale under 4000 characters.")),
        ],
    )

    def add_error(self, field_name: str | None, message: str) -> None:
        self.reason.errors = [*self.reason.errors, message]


class PublicChoiceForm(BaseForm):
    public = BooleanField(_l("Show our recognition publicly"))


class PublicFilterForm(BaseForm):
    """The GET filters of the public page (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    region = SelectField(_l("Region"), validators=[Optional()])
    sector = SelectField(_l("Sector"), coerce=optional_id, validators=[Optional()])

    def __init__(self, regions, sectors, locale: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.region.choices = [SelectChoice("", _l("All regions"))] + [
            SelectChoice(r.code, r.label(locale)) for r in regions
        ]
        self.sector.choices = [SelectChoice("", _l("All sectors"))] + [
            SelectChoice(t.id, t.label(locale)) for t in sectors
        ]

    def criteria(self) -> dict:
        if not self.validate():
            return {"region": None, "sector_id": None}
        return {"region": self.region.data or None, "sector_id": self.sector.data}


AWARD_FILTERS = {
    "current": _l("With a current award"),
    "none": _l("Without a current award"),
}


class PartnerFilterForm(BaseForm):
    """The GET filters of the administrators' list of partners (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    q = SearchField(_l("Name"), validators=[Optional(), Length(max=120)])
    award = SelectField(
        _l("Award"),
        choices=[SelectChoice("", _l("All partners"))]
        + [SelectChoice(value, label) for value, label in AWARD_FILTERS.items()],
        validators=[Optional()],
    )

    def query_args(self) -> dict:
        """The valid filters, to keep in the pages' links."""
        if not self.validate():
            return {}
        return {
            name: value for name, value in (("q", self.q.data), ("award", self.award.data)) if value
        }


ENGAGEMENT_KIND_LABELS = {
    EngagementKind.AWARENESS.value: _l("Awareness activity"),
    EngagementKind.IN_KIND.value: _l("In-kind contribution"),
    EngagementKind.INFORMAL_PARTNERSHIP.value: _l("Informal partnership"),
    EngagementKind.MENTORING.value: _l("Mentoring another partner"),
}


class EngagementForm(BaseForm):
    """What the partner's staff declare; nothing about the people served."""

    kind = SelectField(
        _l("Kind of engagement"),
        choices=[SelectChoice("", _l("Choose a kind"))]
        + [SelectChoice(value, label) for value, label in ENGAGEMENT_KIND_LABELS.items()],
        validators=[DataRequired(message=_l("Choose a kind of engagement."))],
    )
    occurred_on = DateField(
        _l("Date"),
        validators=[
            DataRequired(message=_l("Give the date (for example 2025-03-14).")),
            DateRange(days_from_today(-3 * 365), days_from_today(0)),
        ],
    )
    description = TextAreaField(
        _l("What your organisation did"),
        filters=[strip_spaces],
        validators=[
            DataRequired(message=_l("Describe what your organisation did.")),
            Length(max=1000, message=_l("Keep the description under 1000 characters.")),
        ],
    )

    def add_error(self, field_name: str | None, message: str) -> None:
        field = self._fields.get(field_name or "", self.description)
        field.errors = [*field.errors, message]


class EngagementReviewForm(BaseForm):
    note = StringField(
        _l("Note to the partner (optional)"),
        filters=[strip_spaces],
        validators=[Optional(), Length(max=500, message=_l("Keep the note under 500 characters."))],
    )
