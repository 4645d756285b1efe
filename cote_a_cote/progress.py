"""A progress line for long commands (import-hsds, export-hsds, reindex) on a terminal.

On a terminal the line is redrawn in place at most twice a second; when the output is a file or a
pipe nothing is drawn and the command prints a single summary line at the end instead.
"""

from __future__ import annotations

import sys
import time

import click
from flask_babel import gettext as _


def on_terminal() -> bool:
    """Whether a person watches: the progress line goes to standard error."""
    return sys.stderr.isatty()


class Progress:
    """A progress line on a terminal (redrawn at most twice a second); silent otherwise."""

    def __init__(self, label: str, started: float | None = None):
        self.label = label
        self.started = time.monotonic() if started is None else started
        self.shown = 0.0
        self.on_terminal = on_terminal()

    def elapsed(self) -> float:
        return max(time.monotonic() - self.started, 1e-6)

    def _due(self) -> bool:
        if not self.on_terminal or time.monotonic() - self.shown < 0.5:
            return False
        self.shown = time.monotonic()
        return True

    def _left(self, fraction: float | None) -> str:
        if not fraction:
            return ""
        elapsed = self.elapsed()
        return _("about %(seconds)d s left", seconds=elapsed * (1 - fraction) / fraction)

    def show(self, read: int, written: int, fraction: float | None) -> None:
        """Records read and written, the rate, and the time left from fraction (0..1) done."""
        if not self._due():
            return
        line = _(
            "%(label)s: %(read)d read, %(written)d written, %(rate)d/s %(left)s",
            label=self.label,
            read=read,
            written=written,
            rate=read / self.elapsed(),
            left=self._left(fraction),
        )
        self._draw(line)

    def show_count(self, done: int, total: int) -> None:
        """done of total, the rate, and the time left."""
        if not self._due():
            return
        line = _(
            "%(label)s: %(done)d of %(total)d, %(rate)d/s %(left)s",
            label=self.label,
            done=done,
            total=total,
            rate=done / self.elapsed(),
            left=self._left(done / total if total else None),
        )
        self._draw(line)

    def _draw(self, line: str) -> None:
        click.echo("\r" + line.ljust(78), nl=False, err=True)

    def done(self) -> None:
        if self.on_terminal and self.shown:
            click.echo("", err=True)
