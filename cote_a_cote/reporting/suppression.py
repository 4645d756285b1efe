"""Small-count suppression for the funder view, written once and documented in the glossary.

Primary: every count from 1 to 4 is replaced by SUPPRESSED ("< 5"). A true zero stays 0: it
describes no one. Complementary: a table is a set of lines (a column and the total it adds up
to, or a row and its total); whoever reads the view knows every shown count, that a "< 5" is
1 to 4 and that an "x" is 5 or more. Cells are hidden (HIDDEN, "x"), the smallest shown count of
the line first, then its total, until no hidden cell of any line can be worked out from the
shown ones: each hidden cell can take at least two values. Known limit: a line of fewer than 5
in all (its total "< 5") is all "< 5" and 0, and four "< 5" under a "< 5" total can only be 1
each; zeros are never hidden, so that case is left as it is. Rates and medians are shown only
when they rest on at least MINIMUM values.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import overload

MINIMUM = 5


class Mark(enum.Enum):
    """A count or figure the funder view does not show (a figure with no number at all is a
    stats.metrics.Missing)."""

    SUPPRESSED = "suppressed"  # a count from 1 to 4
    HIDDEN = "hidden"  # a larger count hidden so a suppressed one cannot be recovered
    TOO_FEW = "too_few"  # a rate or median resting on fewer than MINIMUM values


def is_small(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < MINIMUM


def suppress_count(value: int) -> int | Mark:
    """One count on its own (no table to subtract from)."""
    return Mark.SUPPRESSED if is_small(value) else value


@dataclass(frozen=True)
class Line:
    """Cells that add up to a total (total None: nothing to subtract from)."""

    cells: Sequence[Hashable]
    total: Hashable | None = None


# What a reader knows of a hidden cell.
KNOWN_RANGE = {Mark.SUPPRESSED: (1, MINIMUM - 1), Mark.HIDDEN: (MINIMUM, math.inf)}


def suppress_lines(
    values: Mapping[Hashable, int], lines: Iterable[Line], fixed: Iterable[Hashable] = ()
) -> dict[Hashable, int | Mark]:
    """{key: value or Mark} for the cells of values, no hidden one recoverable through lines.

    fixed: keys shown elsewhere, which hiding here would not protect (never hidden unless small).
    """
    lines, fixed = list(lines), set(fixed)
    cells = {key: suppress_count(value) for key, value in values.items()}
    while True:
        ranges = known_ranges(cells, lines)
        exposed = {key for key, (low, high) in ranges.items() if low == high}
        line = next(
            (
                line
                for line in lines
                if _alone_or_exposed(line, cells, exposed)
                and _next_to_hide(line, cells, fixed) is not None
            ),
            None,
        )
        if line is None:
            return cells
        cells[_next_to_hide(line, cells, fixed)] = Mark.HIDDEN


def _members(line: Line) -> list:
    return [*line.cells, line.total] if line.total is not None else []


def _alone_or_exposed(line: Line, cells: dict, exposed: set) -> bool:
    hidden = [key for key in _members(line) if isinstance(cells[key], Mark)]
    return len(hidden) == 1 or any(key in exposed for key in hidden)


def _next_to_hide(line: Line, cells: dict, fixed: set):
    """The smallest shown count above zero of the line, else its total, else None."""
    shown = [
        (cells[key], index)
        for index, key in enumerate(line.cells)
        if key not in fixed and not isinstance(cells[key], Mark) and cells[key] > 0
    ]
    if shown:
        return line.cells[min(shown)[1]]
    total = line.total
    if total is not None and total not in fixed and not isinstance(cells[total], Mark):
        return total if cells[total] > 0 else None
    return None


def known_ranges(cells: dict, lines: list[Line]) -> dict:
    """{hidden key: (lowest, highest)} a reader can narrow it to from the shown cells.

    Each line says: sum of its cells - its total = 0. Bounds are tightened line by line until
    nothing changes; for one line (or lines sharing no hidden cell) the result is exact.
    """
    ranges = {key: KNOWN_RANGE[cell] for key, cell in cells.items() if cell in KNOWN_RANGE}
    equations = [
        [(key, 1) for key in line.cells] + [(line.total, -1)]
        for line in lines
        if line.total is not None
    ]
    changed = True
    while changed:
        changed = False
        for terms in equations:
            constant = sum(sign * cells[key] for key, sign in terms if key not in ranges)
            hidden = [(key, sign) for key, sign in terms if key in ranges]
            for key, sign in hidden:
                # sign * x = -constant - (the other hidden terms)
                others = [_signed(ranges[k], s) for k, s in hidden if k != key]
                low = -constant - sum(high for _, high in others)
                high = -constant - sum(low for low, _ in others)
                low, high = (low, high) if sign == 1 else (-high, -low)
                old = ranges[key]
                new = (max(old[0], low), min(old[1], high))
                if new != old and new[0] <= new[1]:
                    ranges[key] = new
                    changed = True
    return ranges


def _signed(bounds: tuple, sign: int) -> tuple:
    low, high = bounds
    return (low, high) if sign == 1 else (-high, -low)


@overload
def suppress_column(
    values: Sequence[int], total: int, total_fixed: bool = False
) -> tuple[list[int | Mark], int | Mark]: ...


@overload
def suppress_column(
    values: Sequence[int], total: None = None, total_fixed: bool = False
) -> tuple[list[int | Mark], None]: ...


def suppress_column(
    values: Sequence[int], total: int | None = None, total_fixed: bool = False
) -> tuple[list[int | Mark], int | Mark | None]:
    """(cells, total cell) for one column of a table whose rows are summarised by total.

    Rows may overlap (a referral in two regions); the rule is applied all the same, which can
    only hide more than necessary.
    """
    keys = list(range(len(values)))
    counts: dict[Hashable, int] = dict(zip(keys, values, strict=True))
    if total is not None:
        counts["total"] = total
    cells = suppress_lines(
        counts,
        [Line(keys, "total" if total is not None else None)],
        {"total"} if total_fixed else (),
    )
    return [cells[key] for key in keys], cells.get("total")
