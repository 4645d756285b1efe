"""Administrators' forms: a help line, and a referring organisation's public listing."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import URL, DataRequired, Length, Optional, Regexp

from ..forms import BaseForm, plain_text, position_field

_PHONE = Regexp(
    r"^[0-9 +().\-]{3,40}$",
    message=_l("Enter a phone number with digits, spaces, dashes or parentheses only."),
)


def _text(label, maximum: int, required: bool = False, area: bool = False):
    field = TextAreaField if area else StringField
    first = DataRequired() if required else Optional()
    return field(
        label,
        filters=[plain_text],
        validators=[
            first,
            Length(max=maximum, message=_l("At most %(max)d characters.", max=maximum)),
        ],
    )


class HelplineForm(BaseForm):
    name_fr = _text(_l("Name (French)"), 150, required=True)
    name_en = _text(_l("Name (English)"), 150, required=True)
    description_fr = _text(_l("Description (French)"), 500, area=True)
    description_en = _text(_l("Description (English)"), 500, area=True)
    phone = StringField(
        _l("Phone number"), filters=[plain_text], validators=[DataRequired(), _PHONE]
    )
    hours_fr = _text(_l("Hours (French)"), 120)
    hours_en = _text(_l("Hours (English)"), 120)
    source_url = StringField(
        _l("Public source of the number"),
        filters=[plain_text],
        validators=[
            DataRequired(message=_l("Give the public page where the number is published.")),
            Length(max=300),
            URL(require_tld=True, message=_l("Enter a web address starting with https://.")),
        ],
    )
    position = position_field(_l("Order on the page (smaller first)"))
    active = BooleanField(_l("Shown on the help page"), default=True)

    def values(self) -> dict:
        data = {name: self[name].data for name in self._fields if name != "csrf_token"}
        data["position"] = data["position"] or 0
        return data


class ListingForm(BaseForm):
    listed = BooleanField(_l("The organisation agreed to be listed on the help page"))
    region_code = SelectField(_l("Region shown"), validate_choice=True)
    how_to_reach_fr = _text(_l("How to reach it (French)"), 300, area=True)
    how_to_reach_en = _text(_l("How to reach it (English)"), 300, area=True)

    def set_choices(self, regions: list[tuple[str, str]]) -> None:
        self.region_code.choices = [SelectChoice("", _l("Province-wide"))] + [
            SelectChoice(code, label) for code, label in regions
        ]

    def values(self) -> dict:
        return {
            "listed": self.listed.data,
            "region_code": self.region_code.data or None,
            "how_to_reach_fr": self.how_to_reach_fr.data,
            "how_to_reach_en": self.how_to_reach_en.data,
        }
