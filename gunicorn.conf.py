"""Gunicorn settings used by `make run` and the production command in the README.

Settings given on the command line (--workers, --bind) override these.
"""

import sys

from cote_a_cote.config import ConfigError, load_settings

# The access log: method, path (without the query string), status, size, duration; each value
# escaped by EscapingLogger so a request cannot forge or colour a log line.
accesslog = "-"
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
logger_class = "cote_a_cote.access_log.EscapingLogger"


def on_starting(server):
    """Check every setting before any worker starts: a bad value stops gunicorn at once with
    the list of them (each worker would otherwise fail to boot with a traceback, again and
    again)."""
    try:
        load_settings()
    except ConfigError as error:
        print(f"Error: {error.format_message()}", file=sys.stderr)
        raise SystemExit(1) from None
