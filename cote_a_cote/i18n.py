"""Locale choice: French first; the visitor's switch persists in the session and account."""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, session
from flask_babel import get_locale
from flask_login import current_user

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


def init_i18n(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)

    @app.context_processor
    def inject_locale():
        return {"current_locale": current_locale()}
