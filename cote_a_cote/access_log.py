"""Gunicorn's access log with every logged value escaped.

A request path is logged after URL-decoding, so `%0A` would start a forged log line and `%1B[`
would send ANSI escapes to whoever reads the log in a terminal. Every control character, the
double quote and the backslash are written as \\xNN instead: one request, one line, plain text.
"""

from __future__ import annotations

import re

from gunicorn.glogging import Logger

_UNSAFE = re.compile(r'[\x00-\x1f\x7f-\x9f"\\]')


def escape_for_log(value: str) -> str:
    return _UNSAFE.sub(lambda match: f"\\x{ord(match.group()):02x}", value)


class EscapingLogger(Logger):
    """gunicorn's Logger whose access-log atoms (path, query, headers…) are escaped."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: escape_for_log(value) if isinstance(value, str) else value
            for key, value in atoms.items()
        }
