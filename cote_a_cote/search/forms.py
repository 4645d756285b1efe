"""The search page's query string (GET, no CSRF): read leniently, an odd value never gives a 500."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    SearchField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import Length, Optional

from ..forms import BaseForm
from .query import RADIUS_CHOICES

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
    radius = SelectField(
        _l("Within"),
        choices=[SelectChoice("", _l("Any distance"))]
        + [SelectChoice(str(r), f"{r} km") for r in RADIUS_CHOICES],
        default="",
    )
    sort = SelectField(
        _l("Sort by"),
        choices=[
            SelectChoice("relevance", _l("Relevance")),
            SelectChoice("distance", _l("Distance")),
            SelectChoice("name", _l("Name")),
        ],
        default="relevance",
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

    def radius_km(self) -> int | None:
        value = self.radius.data if not self.radius.errors else ""
        return int(value) if value else None

    def sort_order(self) -> str:
        return self.sort.data if not self.sort.errors and self.sort.data in SORTS else "relevance"


def page_number(raw: str | None) -> int:
    """The page asked for; anything odd is page 1."""
    try:
        return max(1, min(int(raw or 1), 10_000))
    except ValueError:
        return 1
