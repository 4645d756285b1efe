"""How the dashboard's figures read: numbers in the UI language, charts, and missing values.

"Not applicable" and "no data" are written out in words (never a blank, never 0).
"""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import format_decimal, format_percent, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from ..catalogue.models import CapacityStatus
from . import charts
from .metrics import Missing
from .services import Dashboard, Row, SectorRow

CAPACITY_LABELS = {
    CapacityStatus.ACCEPTING: _l("Accepting referrals"),
    CapacityStatus.WAITLIST: _l("Waiting list"),
    CapacityStatus.PAUSED: _l("Not accepting referrals for now"),
}
MISSING_LABELS = {
    Missing.NOT_APPLICABLE: _l("Not applicable"),
    Missing.NO_DATA: _l("No data"),
}


def missing(value: Missing) -> Markup:
    return Markup('<span class="figure-missing" data-missing="{}">{}</span>').format(
        value.value, MISSING_LABELS[value]
    )


def _percent_text(value: float) -> str:
    """The locale's percent pattern with one optional decimal: '66,7 %' (fr), '66.7%' (en)."""
    pattern = get_locale().percent_formats[None].pattern.replace("0", "0.#", 1)
    return format_percent(value, pattern)


def percent(value: float | Missing) -> Markup:
    if isinstance(value, Missing):
        return missing(value)
    return escape(_percent_text(value))


def hours(value: float | Missing) -> Markup:
    if isinstance(value, Missing):
        return missing(value)
    return escape(_("%(hours)s h", hours=format_decimal(value, "#,##0.#")))


def number(value: int) -> str:
    return format_decimal(value)


def average(value: float | Missing) -> Markup:
    """An average with one decimal: '1,4' (fr), '1.4' (en)."""
    if isinstance(value, Missing):
        return missing(value)
    return escape(format_decimal(value, "#,##0.0"))


HELPERS = {
    "percent": percent,
    "hours": hours,
    "number": number,
    "missing": missing,
    "average": average,
}


def dashboard_charts(board: Dashboard) -> dict[str, Markup]:
    """The SVG of each chart, by name; each is shown above its table."""
    activity = board.activity
    if activity is None:
        return {}
    return {
        "months": _month_chart(activity.by_month),
        "status": _count_chart(
            "chart-status",
            _("Referrals by current status"),
            _("Referrals sent, by current status. The table after the chart gives the figures."),
            activity.by_status,
        ),
        "region": _count_chart(
            "chart-region",
            _("Referrals by region"),
            _(
                "Referrals sent, by region of the service; only regions with referrals are "
                "drawn. The table after the chart lists every region."
            ),
            [row for row in activity.by_region if row.count.activities],
        ),
        "need": _count_chart(
            "chart-need",
            _("Referrals by need"),
            _(
                "Referrals sent, by need; only needs with referrals are drawn. "
                "The table after the chart lists every need."
            ),
            [row for row in activity.by_need if row.count.activities],
        ),
        "sector": _sector_chart(activity.by_sector),
    }


def _month_chart(months: Sequence[Row]) -> Markup:
    return charts.grouped_column_chart(
        "chart-months",
        _("Referrals and people by month"),
        _(
            "Referrals sent (solid columns) and people referred (outlined columns) each month. "
            "The table after the chart gives the figures."
        ),
        [row.label for row in months],
        [
            charts.Series(_("Referrals"), [row.count.activities for row in months]),
            charts.Series(_("People"), [row.count.people for row in months]),
        ],
    )


def _sector_chart(sectors: Sequence[SectorRow]) -> Markup:
    """Only the sectors that have an acceptance rate (answered referrals) are drawn."""
    bars = []
    for row in sectors:
        value = row.figures.acceptance_rate
        if not isinstance(value, Missing):
            bars.append(charts.Bar(row.label, value * 100, _percent_text(value)))
    return charts.bar_chart(
        "chart-sector",
        _("Acceptance rate by sector"),
        _(
            "Share of answered referrals the provider accepted, by sector; only sectors with "
            "answers are drawn. The table after the chart lists every sector."
        ),
        bars,
        maximum=100,
    )


def _count_chart(chart_id: str, title: str, description: str, rows: Sequence[Row]) -> Markup:
    return charts.bar_chart(
        chart_id,
        title,
        description,
        [charts.Bar(row.label, row.count.activities, number(row.count.activities)) for row in rows],
    )
