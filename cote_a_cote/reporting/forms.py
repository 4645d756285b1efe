"""The choice of reporting year (a GET form: it changes nothing)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField

from ..forms import BaseForm
from .year import ReportingYear


class YearForm(BaseForm):
    """The year list; services.parse_year decides what is valid and says why not."""

    class Meta:
        csrf = False

    annee = SelectField(_l("Reporting year (April 1 to March 31)"), validate_choice=False)

    def offer(self, years: list[ReportingYear], chosen: ReportingYear | None) -> None:
        self.annee.choices = [(str(y.start_year), y.label) for y in years]
        if chosen is not None:
            self.annee.data = str(chosen.start_year)
