"""Gunicorn settings used by `make run` and the production command in the README.

Settings given on the command line (--workers, --bind) override these.
"""

# The access log: method, path (without the query string), status, size, duration; each value
# escaped by EscapingLogger so a request cannot forge or colour a log line.
accesslog = "-"
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
logger_class = "cote_a_cote.access_log.EscapingLogger"
