"""SVG charts drawn on the server: no script, no style attribute (the CSP forbids inline styles).

Each chart is an <svg role="img"> named by its <title> and <desc> (aria-labelledby) and is always
shown beside a table of the same figures, which is the accessible and exact version. Only
presentation attributes are used; colours meet WCAG AA on white (text ≥ 4.5:1, shapes ≥ 3:1),
and the two series of a grouped chart differ by fill (solid / outlined), not by colour alone.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

TEXT = "#1c1b22"  # 16:1 on white
AXIS = "#6b6880"  # 5:1 on white
PRIMARY = "#5b2a86"  # 9:1 on white: the first series, solid
SECONDARY = "#00695c"  # 6.4:1 on white: the second series, outlined
BACKGROUND = "#ffffff"

WIDTH = 640
FONT = 'font-family="system-ui, sans-serif"'
LABEL_CHARS = 30


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its value (None: nothing to draw) and the text shown beside it."""

    label: str
    value: float | None
    text: str


@dataclass(frozen=True)
class Series:
    """One series of a grouped chart: its name and one value per group."""

    name: str
    values: Sequence[float]


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10ⁿ at least value (1 for 0): a readable axis end."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


def _short(label: str, limit: int = LABEL_CHARS) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _number(value: float) -> str:
    return f"{value:g}"


def _open(chart_id: str, title: str, description: str, height: int) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" id="{chart_id}">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="{BACKGROUND}"/>'
    )


def bar_chart(
    chart_id: str, title: str, description: str, bars: Sequence[Bar], maximum: float | None = None
) -> Markup:
    """Horizontal bars, one a row, labelled on the left, their value written at their end."""
    row, label_width, value_room = 26, 230, 90
    plot = WIDTH - label_width - value_room
    height = max(row * len(bars), row) + 12
    top = max((b.value for b in bars if b.value is not None), default=0)
    scale = plot / (maximum if maximum else nice_ceiling(top))
    parts = [_open(chart_id, title, description, height)]
    parts.append(
        f'<line x1="{label_width}" y1="4" x2="{label_width}" y2="{height - 4}" '
        f'stroke="{AXIS}" stroke-width="1"/>'
    )
    for index, bar in enumerate(bars):
        y = 6 + index * row
        length = round((bar.value or 0) * scale, 1)
        parts.append(f"<g><title>{escape(bar.label)} — {escape(bar.text)}</title>")
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 14}" text-anchor="end" font-size="13" '
            f'fill="{TEXT}" {FONT}>{escape(_short(bar.label))}</text>'
        )
        if bar.value:
            parts.append(
                f'<rect x="{label_width}" y="{y + 2}" width="{length}" height="16" '
                f'fill="{PRIMARY}"/>'
            )
        parts.append(
            f'<text x="{label_width + length + 6}" y="{y + 14}" font-size="13" '
            f'fill="{TEXT}" {FONT}>{escape(bar.text)}</text></g>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above is escaped


@dataclass(frozen=True)
class _Plot:
    """Where a grouped column chart draws: its area, the value at its top and each group's slot."""

    height: int = 260
    left: int = 48
    right: int = 12
    top_pad: int = 36
    bottom: int = 40
    top: float = 1
    slot: float = 1
    width: float = 1

    @property
    def plot_height(self) -> int:
        return self.height - self.top_pad - self.bottom

    @property
    def base(self) -> int:
        return self.top_pad + self.plot_height


def grouped_column_chart(
    chart_id: str,
    title: str,
    description: str,
    groups: Sequence[str],
    series: Sequence[Series],
) -> Markup:
    """Vertical columns, one group per label (months), one column per series, with a legend."""
    plot_w = WIDTH - _Plot.left - _Plot.right
    slot = plot_w / max(len(groups), 1)
    plot = _Plot(
        top=nice_ceiling(max((v for s in series for v in s.values), default=0)),
        slot=slot,
        width=max(min((slot - 4) / max(len(series), 1), 24), 1),
    )
    every = max(1, math.ceil(len(groups) / 6))  # room for about six labels
    parts = [_open(chart_id, title, description, plot.height)]
    parts += _legend(series)
    parts += _value_axis(plot)
    for g, label in enumerate(groups):
        parts += _group(plot, g, label, series)
        if g % every == 0:
            parts.append(
                f'<text x="{round(plot.left + g * slot + slot / 2, 1)}" y="{plot.base + 18}" '
                f'text-anchor="middle" font-size="12" fill="{TEXT}" {FONT}>'
                f"{escape(label)}</text>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text in parts is escaped


def _legend(series: Sequence[Series]) -> list[str]:
    """A solid square, then an outlined square, each followed by its series' name."""
    parts = []
    for i, s in enumerate(series[:2]):
        x = _Plot.left + i * 220
        parts.append(_swatch(i, x, 8, 14))
        parts.append(
            f'<text x="{x + 20}" y="20" font-size="13" fill="{TEXT}" {FONT}>{escape(s.name)}</text>'
        )
    return parts


def _value_axis(plot: _Plot) -> list[str]:
    """Lines at 0, half and the top of the scale, each with its value."""
    parts = []
    for fraction in (0, 0.5, 1):
        y = round(plot.base - fraction * plot.plot_height, 1)
        parts.append(
            f'<line x1="{plot.left}" y1="{y}" x2="{WIDTH - plot.right}" y2="{y}" '
            f'stroke="{AXIS}" stroke-width="{1 if fraction == 0 else 0.5}"/>'
        )
        parts.append(
            f'<text x="{plot.left - 6}" y="{y + 4}" text-anchor="end" font-size="12" '
            f'fill="{TEXT}" {FONT}>{_number(plot.top * fraction)}</text>'
        )
    return parts


def _group(plot: _Plot, g: int, label: str, series: Sequence[Series]) -> list[str]:
    """One group's columns, titled with its label and every series' value."""
    x0 = plot.left + g * plot.slot + (plot.slot - plot.width * len(series)) / 2
    parts = [f"<g><title>{escape(label)} — "]
    parts.append(escape(", ".join(f"{s.name} {_number(s.values[g])}" for s in series)))
    parts.append("</title>")
    for i, s in enumerate(series[:2]):
        h = round(s.values[g] / plot.top * plot.plot_height, 1)
        if h > 0:
            x = round(x0 + i * plot.width, 1)
            parts.append(_column(i, x, round(plot.base - h, 1), plot.width, h))
    parts.append("</g>")
    return parts


def _swatch(index: int, x: float, y: float, size: float) -> str:
    return _column(index, x, y, size, size)


def _column(index: int, x: float, y: float, width: float, height: float) -> str:
    if index == 0:
        return (
            f'<rect x="{x}" y="{y}" width="{round(width, 1)}" height="{height}" fill="{PRIMARY}"/>'
        )
    # The second series is outlined: told apart from the first without seeing colour.
    inset = 1
    return (
        f'<rect x="{x + inset}" y="{y + inset}" width="{round(max(width - 2 * inset, 0.5), 1)}" '
        f'height="{round(max(height - inset, 0.5), 1)}" fill="{BACKGROUND}" '
        f'stroke="{SECONDARY}" stroke-width="2"/>'
    )
