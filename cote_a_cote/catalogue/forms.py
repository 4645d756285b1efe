"""The catalogue listing's filters, read from the query string (GET, no CSRF)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SearchField, SelectField
from wtforms.validators import Length, Optional

from ..forms import BaseForm


class ListingFilterForm(BaseForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    q = SearchField(_l("Name contains"), validators=[Optional(), Length(max=100)])
    region = SelectField(_l("Region"), default="", validators=[Optional()])
    need = SelectField(_l("Need"), default="", validators=[Optional()])

    def set_choices(self, regions: list[tuple[str, str]], needs: list[tuple[str, str]]) -> None:
        self.region.choices = [("", _l("All regions")), *regions]
        self.need.choices = [("", _l("All needs")), *needs]

    def active_filters(self) -> dict[str, str]:
        """Filled-in, valid filters; an invalid one is ignored (and shown as an error)."""
        active = {}
        for field in (self.q, self.region, self.need):
            value = (field.data or "").strip()
            if value and not field.errors:
                active[field.name] = value
        return active
