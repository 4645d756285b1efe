"""Browser tests: Playwright driving the system Chromium against a live server.

They skip with a message where Chromium is missing, except when REQUIRE_BROWSER_TESTS=1 (CI),
where a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from werkzeug.serving import make_server

# The access matrix's world (one object of each kind), for the audits of every page it lists.
from tests.test_access_matrix import matrix_world  # noqa: F401 - a fixture

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
REQUIRED = os.environ.get("REQUIRE_BROWSER_TESTS") == "1"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    # V8 stops at its baseline compiler (Sparkplug): the tests' scripts, axe-core above all, run
    # a few hundred milliseconds in each new page, too short for the optimising compilers to pay
    # back what they cost on the other core, which the suite keeps busy. The three administrator
    # audit parts, run alone and in turn with and without: 57-60 s of CPU instead of 64-67 s,
    # Chromium's share 45-48 s instead of 53-56 s (issue 16 section 8). Scripts behave the same
    # in every tier; alone on an idle machine the run is no faster, as the other core was free.
    "--js-flags=--max-opt=1",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


class _NeutralPage(BaseHTTPRequestHandler):
    """Stands in for the neutral site of the quick exit (no internet in tests)."""

    def do_GET(self):  # noqa: N802 - http.server API
        body = b"<!doctype html><title>Meteo</title><h1>Meteo du jour</h1>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def neutral_site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _NeutralPage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def app_config(neutral_site):
    return {"WTF_CSRF_ENABLED": True, "QUICK_EXIT_URL": neutral_site}


@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="fr-CA")
    # Generous: a CI machine running other work can take seconds to answer; a test that fails
    # still fails, only later.
    context.set_default_timeout(30_000)
    page = context.new_page()
    yield page
    context.close()
