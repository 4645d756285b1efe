"""The report as tables, the same for the page, the CSV and the PDF: full view and funder view.

A cell (shapes.Cell) holds an int, a float (a rate in % or a number of hours), a str (a name, a
label, a date), a suppression.Mark or a stats.metrics.Missing. The funder view never holds a name
of an organisation: only the totals, breakdowns and partner counts, with small counts suppressed.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from flask_babel import lazy_gettext as _l

from ..stats.metrics import Missing
from .services import Figure, Figures
from .shapes import Cell, Column, Row, Table
from .story import gender_age_table, story_table
from .suppression import (
    MINIMUM,
    Line,
    Mark,
    is_small,
    suppress_column,
    suppress_count,
    suppress_lines,
)

FULL = "complet"
FUNDER = "bailleur"
VIEWS = (FULL, FUNDER)


ACTIVITIES = Column(_l("Referrals (activities)"), "activities")
PEOPLE = Column(_l("People"), "people")


def _summary(figures: Figures, funder: bool) -> Table:
    rate: float | Missing | Mark = figures.acceptance_rate
    median: float | Missing | Mark = figures.median_response_hours
    responded = figures.responded
    # A rate shown beside a hidden count would give it back (10 answers at 30 % = 3 accepted).
    accepted, refused = figures.accepted, responded - figures.accepted
    if (
        funder
        and isinstance(rate, float)
        and (responded < MINIMUM or is_small(accepted) or is_small(refused))
    ):
        rate = Mark.TOO_FEW
    if funder and isinstance(median, float) and responded < MINIMUM:
        median = Mark.TOO_FEW
    per_referrals: float | Missing | Mark = figures.referrals_per_person
    per_needs: float | Missing | Mark = figures.needs_per_person
    if funder and figures.people < MINIMUM:
        # An average over fewer than MINIMUM people would describe someone.
        per_referrals = Mark.TOO_FEW if isinstance(per_referrals, float) else per_referrals
        per_needs = Mark.TOO_FEW if isinstance(per_needs, float) else per_needs
    count = suppress_count if funder else _as_is
    rows = [
        Row(_l("Referrals (activities)"), [count(figures.activities)], "activities"),
        Row(_l("People"), [count(figures.people)], "people"),
        Row(_l("Referrals per person (average)"), [per_referrals], "referrals-per-person"),
        Row(_l("Different needs per person (average)"), [per_needs], "needs-per-person"),
        Row(_l("Referrals with a response"), [count(responded)], "responded"),
        Row(_l("Accepted referrals"), [count(figures.accepted)], "accepted"),
        Row(_l("Acceptance rate (%)"), [rate], "acceptance-rate"),
        Row(_l("Median time to first response (hours)"), [median], "response-time"),
    ]
    return Table(
        "totals", _l("Totals for the year"), [Column(_l("Indicator")), Column(_l("Value"))], rows
    )


def _as_is(value: int) -> int | Mark:
    """A count the full view shows as it is."""
    return value


def _breakdown(
    key: str,
    title: object,
    heading: Column,
    figures: list[Figure],
    total: tuple[int, int],
    funder: bool,
    *,
    note: object = None,
    total_label: object = None,
    total_fixed: bool = False,
) -> Table:
    """Activities and people per row, and their total; total_fixed: the total is shown elsewhere."""
    activities: Sequence[Cell] = [f.activities for f in figures]
    people: Sequence[Cell] = [f.people for f in figures]
    total_activities: Cell = total[0]
    total_people: Cell = total[1]
    if funder:
        activities, total_activities = suppress_column(
            [f.activities for f in figures], total[0], total_fixed
        )
        people, total_people = suppress_column([f.people for f in figures], total[1], total_fixed)
    rows = [Row(f.label, [a, p]) for f, a, p in zip(figures, activities, people, strict=True)]
    return Table(
        key,
        title,
        [heading, ACTIVITIES, PEOPLE],
        rows,
        Row(total_label or _l("All referrals of the year"), [total_activities, total_people]),
        note=note,
        term=heading.term,
    )


def _year_breakdowns(figures: Figures, funder: bool) -> list[Table]:
    """By region, need and sector: rows of the year's referrals, whose totals the totals table
    shows (hiding them here would protect nothing)."""
    overall = (figures.activities, figures.people)
    overlap = _l(
        "A referral counts in every row that applies: the rows can add up to more than the total."
    )
    return [
        _breakdown(
            "region",
            _l("By region"),
            Column(_l("Region"), "region"),
            figures.by_region,
            overall,
            funder,
            note=overlap,
            total_fixed=True,
        ),
        _breakdown(
            "need",
            _l("By need"),
            Column(_l("Need"), "need"),
            figures.by_need,
            overall,
            funder,
            note=overlap,
            total_fixed=True,
        ),
        _breakdown(
            "sector",
            _l("By sector"),
            Column(_l("Sector"), "sector"),
            figures.by_sector,
            overall,
            funder,
            total_fixed=True,
        ),
    ]


def _partners(figures: Figures, funder: bool) -> Table:
    count = suppress_count if funder else _as_is
    rows = [
        Row(
            _l("Approved partners at the end of the year"),
            [count(figures.approved_partners)],
            "approved-partners",
        ),
        Row(_l("Trained partners"), [count(figures.trained_partners)], "trained-partners"),
        Row(_l("New partners during the year"), [count(figures.new_partners)], "new-partners"),
    ]
    return Table("partners", _l("Partners"), [Column(_l("Indicator")), Column(_l("Value"))], rows)


def report_tables(figures: Figures, view: str) -> list[Table]:
    """The tables of one view, in the order every format shows them."""
    funder = view == FUNDER
    tables = [
        _summary(figures, funder),
        *_year_breakdowns(figures, funder),
        *_outcome_tables(figures, funder),
        _partners(figures, funder),
        story_table(figures.story, funder),
        gender_age_table(figures.story, figures.activities),
    ]
    if funder:
        return tables
    return [*tables, _providers(figures), _new_partners(figures)]


def _outcome_tables(figures: Figures, funder: bool) -> list[Table]:
    """By outcome, then the referrals not completed by reason (suppressed as one in the funder
    view)."""
    not_completed = next(f for f in figures.by_outcome if f.key == "not_completed")
    outcome = _breakdown(
        "outcome",
        _l("By outcome"),
        Column(_l("Outcome"), "outcome"),
        figures.by_outcome,
        (figures.activities, figures.people),
        funder,
    )
    reason = _breakdown(
        "reason",
        _l("Not completed, by reason"),
        Column(_l("Reason"), "outcome"),
        figures.by_reason,
        (not_completed.activities, not_completed.people),
        funder,
        total_label=_l("All referrals not completed"),
    )
    if funder:
        _link(outcome, reason, figures)
    return [outcome, reason]


def _link(outcome: Table, reason: Table, figures: Figures) -> None:
    """Suppress the outcome and reason tables as one: the reasons add up to "not completed".

    The outcome table's "not completed" cell and the reason table's total are one figure, so
    hiding it in one place hides it in both, and the outcomes must then protect it in turn.
    """
    linked = [f.key for f in figures.by_outcome].index("not_completed")
    overall = (figures.activities, figures.people)
    outcome_total, reason_total = outcome.total, reason.total
    assert outcome_total is not None and reason_total is not None  # _breakdown gives totals
    for column in range(2):
        values: dict[Hashable, int] = {
            ("outcome", i): _count(f, column) for i, f in enumerate(figures.by_outcome)
        }
        values |= {("reason", i): _count(f, column) for i, f in enumerate(figures.by_reason)}
        values["overall"] = overall[column]
        lines = [
            Line([("outcome", i) for i in range(len(figures.by_outcome))], "overall"),
            Line([("reason", i) for i in range(len(figures.by_reason))], ("outcome", linked)),
        ]
        cells = suppress_lines(values, lines, fixed={"overall"})
        for (table, index), row in [
            *((("outcome", i), row) for i, row in enumerate(outcome.rows)),
            *((("reason", i), row) for i, row in enumerate(reason.rows)),
        ]:
            row.cells[column] = cells[table, index]
        outcome_total.cells[column] = cells["overall"]
        reason_total.cells[column] = cells["outcome", linked]


def _count(figure: Figure, column: int) -> int:
    return figure.activities if column == 0 else figure.people


def _providers(figures: Figures) -> Table:
    rows = [
        Row(
            p.name,
            [
                p.sector or _l("No sector recorded"),
                p.activities,
                p.people,
                p.responded,
                p.accepted,
                p.acceptance_rate,
            ],
        )
        for p in figures.by_provider
    ]
    columns = [
        Column(_l("Organisation")),
        Column(_l("Sector"), "sector"),
        ACTIVITIES,
        PEOPLE,
        Column(_l("Referrals with a response"), "responded"),
        Column(_l("Accepted referrals"), "accepted"),
        Column(_l("Acceptance rate (%)"), "acceptance-rate"),
    ]
    return Table(
        "providers",
        _l("By provider organisation"),
        columns,
        rows,
        note=_l("Coordinating team only: the funder view never lists an organisation."),
    )


def _new_partners(figures: Figures) -> Table:
    rows = [
        Row(p.name, [p.sector or _l("No sector recorded"), p.partner_since.isoformat()])
        for p in figures.new_partner_list
    ]
    columns = [
        Column(_l("Organisation")),
        Column(_l("Sector"), "sector"),
        Column(_l("Partner since"), "new-partners"),
    ]
    return Table("new-partners", _l("New partners during the year"), columns, rows)


MARK_LABELS = {
    Mark.SUPPRESSED: _l("< 5"),
    Mark.HIDDEN: _l("x"),
    Mark.TOO_FEW: _l("Not shown (fewer than 5)"),
    Missing.NOT_APPLICABLE: _l("Not applicable"),
    Missing.NO_DATA: _l("No data"),
}


def mark_label(mark: Mark | Missing) -> str:
    """How a mark, or a figure without a number, reads in every format."""
    return MARK_LABELS[mark]
