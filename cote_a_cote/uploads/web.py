"""Upload routes' request limits: a larger body than the platform's 1 MB, for them only.

A view marked @accepts_upload may receive UPLOAD_REQUEST_MAX_BYTES (twice the file limit by
default), so that a file a little over UPLOAD_MAX_BYTES reaches the form and is refused there,
on its field, with what was typed kept. Anything larger is refused before it is read, with a
page that says the file is too large. Every other route keeps MAX_CONTENT_LENGTH.
"""

from __future__ import annotations

from flask import Flask, current_app, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge

from ..config import settings
from .services import max_bytes, megabytes

UPLOAD_FLAG = "_accepts_upload"


def accepts_upload(view):
    """Mark a view as an upload route (the larger body limit applies to it)."""
    setattr(view, UPLOAD_FLAG, True)
    return view


def _is_upload_route() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(view is not None and getattr(view, UPLOAD_FLAG, False))


def _raise_limit_for_uploads() -> None:
    # Runs before CSRFProtect's check (registered first), which is the first to read the body.
    if request.method == "POST" and _is_upload_route():
        request.max_content_length = settings().upload_request_max_bytes


def _too_large(error: RequestEntityTooLarge):
    from ..errors import _render

    if not _is_upload_route():
        return _render(413)
    message = _(
        "The file is too large: at most %(limit)s MB is accepted. Go back and choose a smaller "
        "file.",
        limit=megabytes(max_bytes()),
    )
    return render_template(
        "errors/error.html", code=413, title=_("File too large"), message=message
    ), 413


def init_uploads(app: Flask) -> None:
    """Call before CSRFProtect.init_app: the limit must be raised before the body is read."""
    app.before_request(_raise_limit_for_uploads)
    app.register_error_handler(RequestEntityTooLarge, _too_large)
