"""Locale choice: French first; the visitor's switch persists in the session and account."""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, session
from flask_babel import format_date, format_datetime, get_locale
from flask_babel.speaklater import LazyString
from flask_login import current_user
from markupsafe import Markup, escape

from .extensions import babel


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands and background work speak the default
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("locale")
    if chosen in languages:
        return chosen
    preferred = current_user.preferred_locale if current_user.is_authenticated else None
    if preferred in languages:
        return preferred
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def current_locale() -> str:
    """'fr' or 'en', for choosing between bilingual columns."""
    return str(get_locale() or "fr")


def _lazy_html(self: LazyString) -> Markup:
    """A lazy translation in a template: its text is ours, the values put into it are escaped.

    Flask-Babel's LazyString.__html__ returns the formatted string as safe HTML, so a value
    someone typed (an organisation's name in %(name)s) would reach the page unescaped. This is
    what Jinja's own gettext does for `_()` in templates."""
    values = {key: escape(value) for key, value in self._kwargs.items()}
    return Markup(self._func(*self._args, **values))  # noqa: S704 - our catalogue, escaped values


LazyString.__html__ = _lazy_html


def _never_raising(formatter):
    """A date filter that shows an extreme stored date (year 1, year 9999) as ISO text rather
    than failing the whole page when the conversion to local time overflows."""

    def format_safely(value, *args, **kwargs):
        try:
            return formatter(value, *args, **kwargs)
        except (OverflowError, ValueError):
            return value.isoformat() if hasattr(value, "isoformat") else str(value)

    return format_safely


# For Python code that formats a stored date or time: the same, never-raising formatters.
safe_format_date = _never_raising(format_date)
safe_format_datetime = _never_raising(format_datetime)


def init_i18n(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters["dateformat"] = safe_format_date
    app.jinja_env.filters["datetimeformat"] = safe_format_datetime

    @app.context_processor
    def inject_locale():
        return {"current_locale": current_locale()}
