"""Bounded integers in URLs and query strings: an id wider than the database's column is a 404.

`BoundedIntConverter` replaces Flask's `int` converter for every route, so `<int:service_id>`
never hands SQLAlchemy a number PostgreSQL cannot bind (Werkzeug's own accepts any length).
For query strings, pass one of the parsers below as the `type` of `request.args.get`: Werkzeug
returns the default when the parser raises ValueError.
"""

from __future__ import annotations

from flask import Flask, request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import IntegerConverter, ValidationError

from .forms import DB_INT_MAX

# Ten digits cover 2**31 - 1; longer strings are refused before int() (which also has a limit).
_MAX_DIGITS = len(str(DB_INT_MAX))
PAGE_MAX = 10_000


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` limited to 0..DB_INT_MAX unless the rule sets its own max."""

    def __init__(self, map, fixed_digits=0, min=None, max=DB_INT_MAX, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)

    def to_python(self, value: str) -> int:
        digits = value.lstrip("-").lstrip("0")
        if len(digits) > _MAX_DIGITS or not value.isascii():
            raise ValidationError()
        return super().to_python(value)


def db_id(raw: str) -> int:
    """A query-string id: a positive whole number the database can hold, else ValueError."""
    text = (raw or "").strip()
    if not text.isascii() or not text.isdigit() or len(text.lstrip("0")) > _MAX_DIGITS:
        raise ValueError(raw)
    value = int(text)
    if not 1 <= value <= DB_INT_MAX:
        raise ValueError(raw)
    return value


def page_number(raw: str) -> int:
    """A page number: anything odd is page 1, anything past PAGE_MAX is PAGE_MAX."""
    text = (raw or "").strip()
    if not text.isascii() or not text.isdigit():
        return 1
    if len(text.lstrip("0")) > len(str(PAGE_MAX)):
        return PAGE_MAX
    return max(1, min(int(text), PAGE_MAX))


def _refuse_pages_beyond_the_last(app: Flask) -> None:
    """db.paginate reads ?page= and ?per_page= itself with int(): a page number past PAGE_MAX
    would reach the database as an OFFSET it cannot hold. Such a number reads as page 1, as
    any other odd value does (the API checks its own paging and answers 400 in JSON)."""

    @app.before_request
    def bounded_paging():
        if request.path.startswith("/api/"):
            return
        for name in ("page", "per_page"):
            raw = request.args.get(name)
            if not raw:
                continue
            try:
                value = int(raw)
            except ValueError:  # not a number (or over Python's digit limit): page 1
                continue
            if abs(value) > PAGE_MAX:
                args = request.args.copy()
                args[name] = "1"
                request.args = ImmutableMultiDict(args)


def init_converters(app: Flask) -> None:
    """Register the bounded converter as `int` (before any blueprint adds its rules)."""
    app.url_map.converters["int"] = BoundedIntConverter
    _refuse_pages_beyond_the_last(app)
