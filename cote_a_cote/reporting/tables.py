"""The report as tables, the same for the page, the CSV and the PDF: full view and funder view.

A cell holds an int, a float (a rate in % or a number of hours), a str (a name, a label, a date)
or a suppression.Mark. The funder view never holds a name of an organisation: only the totals,
breakdowns and partner counts, with small counts suppressed.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..stats.metrics import Missing
from .services import Figure, Figures
from .shapes import Column, Row, Table
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
    rate, median = figures.acceptance_rate, figures.median_response_hours
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
    per_referrals, per_needs = figures.referrals_per_person, figures.needs_per_person
    if funder and figures.people < MINIMUM:
        # An average over fewer than MINIMUM people would describe someone.
        per_referrals = Mark.TOO_FEW if isinstance(per_referrals, float) else per_referrals
        per_needs = Mark.TOO_FEW if isinstance(per_needs, float) else per_needs
    count = suppress_count if funder else (lambda value: value)
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


def _breakdown(
    key: str,
    title,
    heading: Column,
    figures: list[Figure],
    total: tuple[int, int],
    funder: bool,
    note=None,
    total_label=None,
    overall_total: tuple[int, int] | None = None,
) -> Table:
    activities = [f.activities for f in figures]
    people = [f.people for f in figures]
    total_activities, total_people = total
    if funder:
        # The year's totals are shown in the totals table: hiding them here would protect nothing.
        fixed = overall_total is not None
        activities, total_activities = suppress_column(activities, total_activities, fixed)
        people, total_people = suppress_column(people, total_people, fixed)
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


def _partners(figures: Figures, funder: bool) -> Table:
    count = suppress_count if funder else (lambda value: value)
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
    overall = (figures.activities, figures.people)
    overlap = _l(
        "A referral counts in every row that applies: the rows can add up to more than the total."
    )
    not_completed = next(f for f in figures.by_outcome if f.key == "not_completed")
    tables = [
        _summary(figures, funder),
        _breakdown(
            "region",
            _l("By region"),
            Column(_l("Region"), "region"),
            figures.by_region,
            overall,
            funder,
            overlap,
            overall_total=overall,
        ),
        _breakdown(
            "need",
            _l("By need"),
            Column(_l("Need"), "need"),
            figures.by_need,
            overall,
            funder,
            overlap,
            overall_total=overall,
        ),
        _breakdown(
            "sector",
            _l("By sector"),
            Column(_l("Sector"), "sector"),
            figures.by_sector,
            overall,
            funder,
            overall_total=overall,
        ),
        _breakdown(
            "outcome",
            _l("By outcome"),
            Column(_l("Outcome"), "outcome"),
            figures.by_outcome,
            overall,
            funder,
        ),
        _breakdown(
            "reason",
            _l("Not completed, by reason"),
            Column(_l("Reason"), "outcome"),
            figures.by_reason,
            (not_completed.activities, not_completed.people),
            funder,
            total_label=_l("All referrals not completed"),
        ),
        _partners(figures, funder),
        story_table(figures.story, funder),
        gender_age_table(figures.story, figures.activities),
    ]
    if funder:
        _link(tables[4], tables[5], figures)
        return tables
    return [*tables, _providers(figures), _new_partners(figures)]


def _link(outcome: Table, reason: Table, figures: Figures) -> None:
    """Suppress the outcome and reason tables as one: the reasons add up to "not completed".

    The outcome table's "not completed" cell and the reason table's total are one figure, so
    hiding it in one place hides it in both, and the outcomes must then protect it in turn.
    """
    linked = [f.key for f in figures.by_outcome].index("not_completed")
    overall = (figures.activities, figures.people)
    for column in range(2):
        values = {("outcome", i): _count(f, column) for i, f in enumerate(figures.by_outcome)}
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
        outcome.total.cells[column] = cells["overall"]
        reason.total.cells[column] = cells["outcome", linked]


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
