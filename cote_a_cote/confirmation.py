"""A confirmation step before a destructive action, without JavaScript.

The first POST changes nothing: it answers with a page that asks the question and carries the
same fields again (CSRF token included) in a second form with `confirmed=1`, and a "Cancel" link
back. Only that second POST runs the action. Use `@confirm_first(...)` on a route, or, where the
route must first check the form or the object's state itself, `if not confirmed(): return ask(...)`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import render_template, request, url_for

CONFIRMED_FIELD = "confirmed"


def confirmed() -> bool:
    """True on the second POST, the one sent from the confirmation page."""
    return request.form.get(CONFIRMED_FIELD) == "1"


def ask(question: str, *, button: str, cancel_url: str, explanation: str | None = None) -> str:
    """The confirmation page: the question, the same fields posted again with confirmed=1."""
    fields = [
        (name, value)
        for name, value in request.form.items(multi=True)
        if name != CONFIRMED_FIELD and len(value) <= 5000
    ]
    return render_template(
        "confirmation/confirm.html",
        question=question,
        explanation=explanation,
        button=button,
        cancel_url=cancel_url,
        action=request.full_path.rstrip("?") if request.query_string else request.path,
        fields=fields,
    )


def confirm_first(
    question: str | Callable,
    *,
    button: str,
    cancel: str | Callable[..., str],
    explanation: str | None = None,
    load: Callable | None = None,
):
    """Ask before running the view. `cancel` is an endpoint or a function of the view's arguments;
    `load(**view_args)` finds the object first (so another organisation's id still answers 404)
    and, when `question` is a function, the question is built from that object."""

    def decorate(view):
        @wraps(view)
        def wrapper(**view_args):
            if confirmed():
                return view(**view_args)
            subject = load(**view_args) if load else None
            text = question(subject) if callable(question) else question
            cancel_url = cancel(**view_args) if callable(cancel) else url_for(cancel)
            return ask(str(text), button=str(button), cancel_url=cancel_url,
                       explanation=str(explanation) if explanation else None)  # fmt: skip

        return wrapper

    return decorate
