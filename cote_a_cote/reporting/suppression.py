"""Small-count suppression for the funder view, written once and documented in the glossary.

Primary: every count from 1 to 4 is replaced by SUPPRESSED ("< 5"). A true zero stays 0: it
describes no one. Secondary: within one column of one table, when exactly one count is
suppressed and the table's total is shown, the total minus the shown counts would give it back,
so the smallest shown count above zero is hidden too (HIDDEN, "x"). Rates and medians are shown
only when they rest on at least MINIMUM values.
"""

from __future__ import annotations

import enum

MINIMUM = 5


class Mark(enum.Enum):
    """A cell that is not a plain number."""

    SUPPRESSED = "suppressed"  # a count from 1 to 4
    HIDDEN = "hidden"  # a larger count hidden so a suppressed one cannot be recovered
    NOT_APPLICABLE = "not_applicable"  # no denominator (e.g. a rate with no response)
    NO_DATA = "no_data"  # nothing to compute from (no referral at all)
    TOO_FEW = "too_few"  # a rate or median resting on fewer than MINIMUM values


def is_small(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < MINIMUM


def suppress_count(value):
    """One count on its own (no table to subtract from)."""
    return Mark.SUPPRESSED if is_small(value) else value


def suppress_column(values: list, total=None) -> tuple[list, object]:
    """(cells, total cell) for one column of a table whose rows are summarised by total.

    Rows may overlap (a referral in two regions); the rule is applied all the same, which can
    only hide more than necessary.
    """
    cells = [suppress_count(v) for v in values]
    total_cell = suppress_count(total)
    primary = sum(1 for cell in cells if cell is Mark.SUPPRESSED)
    if primary == 1 and total is not None and total_cell is not Mark.SUPPRESSED:
        shown = [
            (value, index)
            for index, (value, cell) in enumerate(zip(values, cells, strict=True))
            if isinstance(cell, int) and cell > 0
        ]
        if shown:
            _, index = min(shown)
            cells[index] = Mark.HIDDEN
        else:
            # Nothing else to hide in the rows: the total alone would give the count back.
            total_cell = Mark.HIDDEN
    return cells, total_cell
