"""The fuzz suite's budget and its count of inputs tried.

FUZZ_EXAMPLES is the number of requests Hypothesis makes per role (and per API test); the normal
`make test` uses the small default, `make fuzz` a large one. The number of requests sent is
printed at the end of the run.
"""

from __future__ import annotations

import os
from collections import Counter

import pytest

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "120"))
TRIED: Counter[str] = Counter()
ANSWERS: Counter[str] = Counter()  # by status class: how deep the inputs went


def pytest_collection_modifyitems(items):
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.fuzz)


def pytest_terminal_summary(terminalreporter):
    if TRIED:
        total = sum(TRIED.values())
        parts = ", ".join(f"{name}: {count}" for name, count in sorted(TRIED.items()))
        answers = ", ".join(f"{name}: {count}" for name, count in sorted(ANSWERS.items()))
        terminalreporter.write_line(f"fuzz: {total} requests tried ({parts}); answers {answers}")


@pytest.fixture(autouse=True)
def _close_the_search_index(app):
    """Fuzzed searches open index readers: close them before the test's folder goes."""
    yield
    app.extensions["search"].reader.close()
