"""The shapes every view and format of the report is drawn from: tables of rows of cells.

Here, apart from tables.py, so that the story's tables and the figures' tables are built alike
without the two modules importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..stats.metrics import Missing
from .suppression import Mark

# A cell: a count, a rate in % or a number of hours, a text (a name, a label, a date, or a lazy
# string), a suppression mark, or why a figure has no number.
Cell = int | float | str | Mark | Missing


@dataclass(frozen=True)
class Column:
    label: object  # a lazy string
    term: str | None = None  # the glossary entry that defines it


@dataclass
class Row:
    label: object
    cells: list[Cell]
    term: str | None = None  # the glossary entry that defines the row's indicator


@dataclass
class Table:
    key: str  # used for element ids and CSV sections
    title: object
    columns: list[Column]  # the first one heads the row labels
    rows: list[Row]
    total: Row | None = None
    note: object | None = None
    term: str | None = None  # the glossary entry that defines the breakdown
