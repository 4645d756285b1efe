"""The search page's query string (GET, no CSRF): read leniently, an odd value never gives a 500."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FloatField,
    IntegerField,
    SearchField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ..config import settings
from ..forms import BaseForm
from .query import RADIUS_CHOICES

ANY_DISTANCE = "any"
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
SORTS = ("relevance", "distance", "name")
# Query-string name of each multi-valued filter -> SearchParams field.
GROUP_PARAMS = {
    "region": "regions",
    "need": "needs",
    "sector": "sectors",
    "lang": "languages",
    "population": "populations",
    "exploitation": "exploitation",
    "access": "access",
}


class SearchForm(BaseForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    q = SearchField(_l("What are you looking for?"), validators=[Optional(), Length(max=200)])
    any = BooleanField(_l("Any of these words (instead of all)"))
    near = StringField(_l("Near (municipality)"), validators=[Optional(), Length(max=120)])
    near_org = BooleanField(_l("Near my organisation"))
    radius = SelectField(_l("Within"), default="")  # choices: see __init__ (they name a setting)
    sort = SelectField(
        _l("Sort by"),
        choices=[
            SelectChoice("", _l("Automatic: nearest first near a place, else relevance")),
            SelectChoice("relevance", _l("Relevance")),
            SelectChoice("distance", _l("Distance")),
            SelectChoice("name", _l("Name")),
        ],
        default="",
    )
    region = SelectMultipleField(_l("Region"), validate_choice=False)
    need = SelectMultipleField(_l("Need"), validate_choice=False)
    sector = SelectMultipleField(_l("Sector"), validate_choice=False)
    lang = SelectMultipleField(_l("Language of service"), validate_choice=False)
    population = SelectMultipleField(_l("Population served"), validate_choice=False)
    exploitation = SelectMultipleField(_l("Form of exploitation"), validate_choice=False)
    access = SelectMultipleField(_l("Access"), validate_choice=False)
    accepting = BooleanField(_l("Accepting referrals now"))
    trained = BooleanField(_l("Trained providers only"))
    open = BooleanField(_l("Open now"))
    remote = BooleanField(_l("Include remote services"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.radius.choices = [
            SelectChoice(
                "",
                _l(
                    "Automatic: %(km)s km, widened if there are too few results",
                    km=default_radius(),
                ),
            ),
            SelectChoice(ANY_DISTANCE, _l("Any distance")),
            *(SelectChoice(str(r), f"{r} km") for r in RADIUS_CHOICES),
        ]

    def selected(self, known: dict[str, set[str]]) -> dict[str, list[str]]:
        """Chosen values of each filter group, keeping only codes that exist (known by group)."""
        chosen = {}
        for name in GROUP_PARAMS:
            values = getattr(self, name).data or []
            if name == "lang":
                keep = [v for v in values if LANGUAGE_CODE.match(v)]
            else:
                keep = [v for v in values if v in known.get(name, set())]
            chosen[name] = list(dict.fromkeys(keep))
        return chosen

    def radius_choice(self) -> str:
        """ "" (automatic, the default), ANY_DISTANCE, or a number of kilometres."""
        return (self.radius.data or "") if not self.radius.errors else ""

    def radius_km(self) -> int | None:
        """The radius the person chose, None for automatic or any distance."""
        value = self.radius_choice()
        return int(value) if value.isdigit() else None

    def sort_order(self) -> str:
        """The order asked for; "" when left automatic (distance near a place, else relevance)."""
        return self.sort.data if not self.sort.errors and self.sort.data in SORTS else ""


class PersonForm(BaseForm):
    """Who the person is, to see which services would turn them away. Posted, never in a URL,
    never stored or logged: it lives only in the page it answers."""

    person_age = IntegerField(
        _l("Age of the person"),
        validators=[
            Optional(),
            NumberRange(min=0, max=120, message=_l("Enter an age from 0 to 120 years.")),
        ],
    )
    person_population = SelectField(_l("Gender or population of the person"), default="")
    hide_turned_away = BooleanField(_l("Hide the services that would turn the person away"))

    def set_populations(self, choices: list[tuple[str, str]]) -> None:
        self.person_population.choices = [SelectChoice("", _l("Not given"))] + [
            SelectChoice(code, label) for code, label in choices
        ]

    def person(self) -> tuple[int | None, list[str], bool]:
        """(age, population codes, hide) from what was posted and is valid."""
        age = self.person_age.data if not self.person_age.errors else None
        chosen = self.person_population.data if not self.person_population.errors else ""
        return age, [chosen] if chosen else [], bool(self.hide_turned_away.data)


class PositionForm(BaseForm):
    """The device's position for "Use my position": posted, turned into the nearest
    municipality's name at once, and never stored, logged or put in a link."""

    latitude = FloatField(
        _l("Latitude"),
        validators=[
            InputRequired(message=_l("Your device did not give a position.")),
            NumberRange(min=-90, max=90, message=_l("Your device did not give a position.")),
        ],
    )
    longitude = FloatField(
        _l("Longitude"),
        validators=[
            InputRequired(message=_l("Your device did not give a position.")),
            NumberRange(min=-180, max=180, message=_l("Your device did not give a position.")),
        ],
    )


def default_radius() -> int:
    """SEARCH_DEFAULT_RADIUS_KM: how far 'near' reaches before it widens by itself."""
    return settings().search_default_radius_km


def page_number(raw: str | None) -> int:
    """The page asked for; anything odd is page 1."""
    try:
        return max(1, min(int(raw or 1), 10_000))
    except ValueError:
        return 1
