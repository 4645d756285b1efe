"""The language switch posted from every page."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import AnyOf, DataRequired

LOCALES = ("fr", "en")


class LanguageForm(FlaskForm):
    locale = HiddenField(validators=[DataRequired(), AnyOf(LOCALES)])
    next = HiddenField()
