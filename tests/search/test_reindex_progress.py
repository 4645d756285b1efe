"""flask reindex: a progress line on a terminal, one summary line otherwise."""

from __future__ import annotations

import re

import pytest

from cote_a_cote import progress


@pytest.fixture
def app_config(search_backend):
    """The commands speak the default locale: English here, to read the messages."""
    return {"SEARCH_BACKEND": search_backend, "BABEL_DEFAULT_LOCALE": "en"}


SUMMARY = re.compile(r"^Search index rebuilt: 8 services in [0-9.]+ s \([0-9]+/s\)\.$")


def test_without_a_terminal_reindex_prints_one_summary_line(runner, catalogue):
    result = runner.invoke(args=["reindex"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 1, result.output
    assert SUMMARY.match(lines[0]), lines[0]
    assert "\r" not in result.output


def test_on_a_terminal_reindex_shows_done_rate_and_time_left(runner, catalogue, monkeypatch):
    monkeypatch.setattr(progress, "on_terminal", lambda: True)
    result = runner.invoke(args=["reindex"])
    assert result.exit_code == 0, result.output
    drawn = [part.strip() for part in result.output.split("\r") if part.strip()]
    # The first service drawn at once (later ones wait half a second), then the summary.
    assert re.match(r"^Indexing services: 1 of 8, [0-9]+/s about [0-9]+ s left", drawn[0]), drawn
    assert SUMMARY.match(result.output.splitlines()[-1]), result.output
