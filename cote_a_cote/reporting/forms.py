"""The choice of reporting year (a GET form: it changes nothing)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, TextAreaField
from wtforms.validators import Length, Optional

from ..forms import BaseForm
from .story import HIGHLIGHT_MAX, QUARTER_LABELS
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


def _highlight(quarter: int) -> TextAreaField:
    return TextAreaField(
        QUARTER_LABELS[quarter],
        validators=[
            Optional(),
            Length(max=HIGHLIGHT_MAX, message=_l("Keep each highlight under 1500 characters.")),
        ],
    )


class HighlightsForm(BaseForm):
    """A short text per quarter of the reporting year (an empty one is left out)."""

    q1 = _highlight(1)
    q2 = _highlight(2)
    q3 = _highlight(3)
    q4 = _highlight(4)

    def fill(self, texts: dict[int, str]) -> None:
        for quarter in QUARTER_LABELS:
            self[f"q{quarter}"].data = texts.get(quarter, "")

    def texts(self) -> dict[int, str | None]:
        return {quarter: self[f"q{quarter}"].data for quarter in QUARTER_LABELS}
