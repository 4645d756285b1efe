"""Locale choice: French first; the visitor's switch persists in the session and account."""

from __future__ import annotations

import numbers
from typing import Final

from babel.dates import get_datetime_format
from flask import Flask, current_app, has_request_context, session
from flask_babel import format_date, format_time, get_locale
from flask_babel.speaklater import LazyString
from flask_login import current_user
from markupsafe import Markup, escape

from .extensions import babel


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands and background work speak the default
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("locale")
    if isinstance(chosen, str) and chosen in languages:
        return chosen
    preferred = current_user.preferred_locale if current_user.is_authenticated else None
    if isinstance(preferred, str) and preferred in languages:
        return preferred
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def current_locale() -> str:
    """'fr' or 'en', for choosing between bilingual columns."""
    return str(get_locale() or "fr")


def _escaped(value):
    """A value for a translated message shown as HTML: text escaped; a number kept a number, so
    that %(max)d still formats (a number holds no markup)."""
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        return value
    return escape(value)


def _lazy_html(self: LazyString) -> Markup:
    """A lazy translation in a template: its text is ours, the values put into it are escaped.

    Flask-Babel's LazyString.__html__ returns the formatted string as safe HTML, so a value
    someone typed (an organisation's name in %(name)s) would reach the page unescaped. This is
    what Jinja's own gettext does for `_()` in templates."""
    values = {key: _escaped(value) for key, value in self._kwargs.items()}
    return Markup(self._func(*self._args, **values))  # noqa: S704 - our catalogue, escaped values


LazyString.__html__ = _lazy_html


# One date format per language, everywhere (3 déc. 2026 / Dec 3, 2026), and one for a moment.
DATE_FORMAT: Final = "medium"
TIME_FORMAT: Final = "short"


def _day(value) -> str:
    return format_date(value, DATE_FORMAT)


def _moment(value) -> str:
    """The day as everywhere, then the time, joined the way the locale joins them
    (3 déc. 2026, 14 h 05 / Dec 3, 2026, 2:05 PM), in the user's time zone."""
    # Babel's locale data holds the joining pattern as text ("{1}, {0}"); str() says so to mypy.
    pattern = str(get_datetime_format(DATE_FORMAT, locale=get_locale()))
    return pattern.replace("{1}", format_date(value, DATE_FORMAT)).replace(
        "{0}", format_time(value, TIME_FORMAT)
    )


def _never_raising(formatter):
    """A date formatter that shows an extreme stored date (year 1, year 9999) as ISO text rather
    than failing the whole page when the conversion to local time overflows."""

    def format_safely(value):
        try:
            return formatter(value)
        except (OverflowError, ValueError):
            return value.isoformat() if hasattr(value, "isoformat") else str(value)

    return format_safely


# The formatters for templates (filters `dateformat`, `datetimeformat`) and for Python code.
safe_format_date = _never_raising(_day)
safe_format_datetime = _never_raising(_moment)


def init_i18n(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters["dateformat"] = safe_format_date
    app.jinja_env.filters["datetimeformat"] = safe_format_datetime

    @app.context_processor
    def inject_locale():
        return {"current_locale": current_locale()}
