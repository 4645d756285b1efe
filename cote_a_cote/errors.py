"""Error pages in both languages; JSON for the API; never a debug page. And the one way a route
shows a refusal of the rules: services raise a UserError, routes call them through attempt()."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from flask import Flask, Response, flash, render_template, request
from flask.globals import request_ctx
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from .extensions import db

T = TypeVar("T")


class UserError(Exception):
    """A request the platform's rules refuse. str(error) is the translated message for the user;
    field, when set, names the form field it is about. Every feature's refusals derive from it."""

    def __init__(self, message, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass
class Outcome(Generic[T]):
    """What attempt() gives back: true when the work was done, with its result in value."""

    value: T | None = None
    refused: UserError | None = None

    def __bool__(self) -> bool:
        return self.refused is None


def attempt(work: Callable[[], T], form=None, field: str | None = None) -> Outcome[T]:
    """Do work (a service call) for a route. When a rule refuses it (UserError), the request's
    changes are rolled back and the refusal is shown — on the form when one is given (on the
    field the error names, else on field), otherwise as a flash message — and the route
    re-renders or redirects."""
    try:
        return Outcome(value=work())
    except UserError as error:
        db.session.rollback()
        show_refusal(error, form, field)
        return Outcome(refused=error)


def show_refusal(error: UserError, form=None, field: str | None = None) -> None:
    name = error.field or field
    if form is not None and hasattr(form, "add_error"):
        form.add_error(name, str(error))
    elif form is not None and name in form:
        form[name].errors = [*form[name].errors, str(error)]
    else:
        flash(str(error), "error")


MESSAGES = {
    400: (
        _l("Bad request"),
        _l("The request could not be understood. Please go back and try again."),
    ),
    403: (_l("Access refused"), _l("Your account does not give access to this page.")),
    404: (_l("Page not found"), _l("This page does not exist or is not available to you.")),
    405: (_l("Method not allowed"), _l("This address does not accept that kind of request.")),
    413: (
        _l("Too much sent at once"),
        _l(
            "What you sent is larger than this page accepts. Shorten the text, go back and try "
            "again."
        ),
    ),
    429: (
        _l("Too many attempts"),
        _l("Too many attempts in a short time. Please wait a few minutes and try again."),
    ),
    500: (
        _l("Something went wrong"),
        _l("An unexpected error occurred. Nothing you saved was lost; please try again."),
    ),
}


def _render(code: int):
    title, message = MESSAGES.get(code, MESSAGES[500])
    if request_ctx.url_adapter is None:
        # The Host header was refused (TRUSTED_HOSTS): no link can be built, so plain text.
        return Response(f"{code} {title}\n{message}\n", status=code, mimetype="text/plain")
    if request.path.startswith("/api/"):
        return {"error": {"status": code, "message": str(message)}}, code
    return render_template("errors/error.html", code=code, title=title, message=message), code


def init_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _render(400)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        if code not in MESSAGES:
            return error
        return _render(code)

    @app.errorhandler(InternalServerError)
    def internal_error(error):
        db.session.rollback()
        return _render(500)
