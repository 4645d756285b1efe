"""Gunicorn settings used by `make run` and the production command in the README.

Settings given on the command line (--workers, --bind) override these.
"""

import gc
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


# A worker's cyclic garbage collector: by default it runs every 700 new container objects, and a
# search page makes thousands (ORM rows, template output), so each page paid ~3.4 ms of
# collections, mostly re-walking the objects the app keeps for its whole life. Measured on the
# bench's 60,000-service mix: 0.7 ms per page with both settings below, no change in peak memory.
GC_FIRST_GENERATION = 5000


def post_worker_init(worker):
    """Once the worker has built the app: what it holds for life leaves the collector's walks,
    and collections run less often (memory is still freed at once by reference counting)."""
    gc.freeze()
    gc.set_threshold(GC_FIRST_GENERATION, 10, 10)
