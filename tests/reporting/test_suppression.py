"""Complementary suppression: no hidden cell can be worked out from what the funder view shows.

The check is a brute force independent of the rule's own reasoning: every way of filling the
hidden cells that a reader would accept ("< 5" is 1 to 4, "x" is 5 or more) and that agrees with
every shown total is enumerated, and each hidden cell must take at least two values.
"""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cote_a_cote.reporting.suppression import Line, Mark, suppress_column, suppress_lines

S, H = Mark.SUPPRESSED, Mark.HIDDEN
COUNTS = st.sampled_from([0, 0, 1, 2, 3, 4, 5, 6, 7, 9, 12])


def readings(cells: dict, lines: list[Line], ceiling: int) -> dict:
    """{hidden key: set of values it takes} over every filling consistent with the shown cells.

    Stops early once every hidden cell has shown two values (nothing more to learn).
    """
    hidden = [key for key, cell in cells.items() if isinstance(cell, Mark)]
    domain = {key: range(1, 5) if cells[key] is S else range(5, ceiling + 1) for key in hidden}
    equations = [[(k, 1) for k in line.cells] + [(line.total, -1)] for line in lines]
    seen: dict = {key: set() for key in hidden}

    def value(key, filled):
        return filled[key] if key in filled else cells[key]

    def search(filled: dict) -> bool:  # True: every hidden cell has two values, stop
        for terms in equations:
            missing = [(k, s) for k, s in terms if k in domain and k not in filled]
            if len(missing) == 1:
                (key, sign), rest = missing[0], [(k, s) for k, s in terms if k != missing[0][0]]
                forced = -sign * sum(s * value(k, filled) for k, s in rest)
                return forced in domain[key] and search({**filled, key: forced})
            if not missing and sum(s * value(k, filled) for k, s in terms) != 0:
                return False
        free = [key for key in hidden if key not in filled]
        if not free:
            for key, number in filled.items():
                seen[key].add(number)
            return all(len(values) >= 2 for values in seen.values())
        return any(search({**filled, free[0]: number}) for number in domain[free[0]])

    search({})
    return seen


def assert_nothing_recoverable(cells: dict, lines: list[Line], ceiling: int) -> None:
    for key, values in readings(cells, lines, ceiling).items():
        assert len(values) >= 2, f"{key} can only be {values}: {cells}"


@settings(max_examples=200, deadline=None)
@given(st.lists(COUNTS, min_size=1, max_size=7))
def test_no_hidden_count_of_a_column_can_be_recovered(values):
    total = sum(values)
    cells, total_cell = suppress_column(values, total)
    keys = list(range(len(values)))
    shown = {**dict(zip(keys, cells, strict=True)), "total": total_cell}
    assert all(c is S for v, c in zip(values, cells, strict=True) if 0 < v < 5)
    if total < 5:
        # The whole column is fewer than 5: it is all "< 5" and 0, and the known limit (see
        # the module's docstring) applies: four "< 5" under a "< 5" total can only be 1 each.
        assert total_cell in (S, 0) and all(c in (S, 0) for c in cells)
        return
    assert_nothing_recoverable(shown, [Line(keys, "total")], total + 5)


def tables():
    return st.integers(1, 2).flatmap(
        lambda rows: st.lists(
            st.lists(COUNTS, min_size=2, max_size=3).map(tuple), min_size=rows, max_size=rows
        ).filter(lambda m: len({len(r) for r in m}) == 1)
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(tables())
def test_no_hidden_cell_of_a_table_with_row_and_column_totals_can_be_recovered(matrix):
    width = len(matrix[0])
    values = {(i, j): v for i, row in enumerate(matrix) for j, v in enumerate(row)}
    lines = [Line([(i, j) for j in range(width)], ("row", i)) for i in range(len(matrix))]
    lines += [Line([(i, j) for i in range(len(matrix))], ("col", j)) for j in range(width)]
    lines += [
        Line([("row", i) for i in range(len(matrix))], "all"),
        Line([("col", j) for j in range(width)], "all"),
    ]
    for i, row in enumerate(matrix):
        values["row", i] = sum(row)
    for j in range(width):
        values["col", j] = sum(row[j] for row in matrix)
    values["all"] = sum(map(sum, matrix))
    # Lines of fewer than 5 in all: the known limit of the module's docstring.
    totals = [v for k, v in values.items() if k == "all" or k[0] in ("row", "col")]
    assume(all(v == 0 or v >= 5 for v in totals))
    cells = suppress_lines(values, lines)
    for key, value in values.items():
        assert cells[key] in (value, S, H) and (cells[key] is S) == (0 < value < 5)
    assert_nothing_recoverable(cells, lines, values["all"] + 5)


def test_two_small_counts_that_give_each_other_away_take_a_third_cell():
    # 1 + 1 = 2 hidden under a total of 12: both could only be 1. The 10 goes too.
    assert suppress_column([1, 1, 10, 20], 32) == ([S, S, H, 20], 32)


def test_a_small_and_a_hidden_count_that_leave_one_filling_take_another():
    # "< 5" + "x" = 6 can only be 1 + 5: the next smallest count is hidden as well.
    assert suppress_column([1, 5, 8, 30], 44) == ([S, H, H, 30], 44)


def test_a_total_shown_elsewhere_is_never_hidden():
    assert suppress_column([2, 0], 9, total_fixed=True) == ([S, 0], 9)
    assert suppress_column([2, 0], 9) == ([S, 0], H)
