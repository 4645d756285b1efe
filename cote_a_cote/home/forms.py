"""The language switch posted from every page."""

from __future__ import annotations

from wtforms import HiddenField
from wtforms.validators import AnyOf, DataRequired

from ..forms import BaseForm

LOCALES = ("fr", "en")


class LanguageForm(BaseForm):
    locale = HiddenField(validators=[DataRequired(), AnyOf(LOCALES)])
    next = HiddenField()
