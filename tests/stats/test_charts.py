"""The SVG charts: accessible names, no style attribute, escaped labels, bars to scale."""

from __future__ import annotations

import re
from xml.etree import ElementTree

from cote_a_cote.stats.charts import Bar, Series, bar_chart, grouped_column_chart, nice_ceiling

SVG = "{http://www.w3.org/2000/svg}"


def test_bar_chart_is_named_and_escapes_its_labels():
    svg = bar_chart(
        "chart-x",
        "Titre <b>",
        "Description & suite",
        [Bar("Santé <script>", 4, "4"), Bar("Logement", 2, "2"), Bar("Rien", 0, "0")],
    )
    root = ElementTree.fromstring(str(svg))  # noqa: S314 - our own SVG; well-formed XML
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-x-title chart-x-desc"
    assert root.find(f"{SVG}title").text == "Titre <b>"
    assert root.find(f"{SVG}desc").text == "Description & suite"
    assert "<script>" not in str(svg)
    assert "style=" not in str(svg)
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("height") == "16"]
    assert len(bars) == 2  # nothing is drawn for 0
    widths = [float(r.get("width")) for r in bars]
    assert widths[0] == 2 * widths[1]  # to scale
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts.count("0") == 1  # the zero is still written


def test_grouped_chart_tells_series_apart_by_fill_not_only_colour():
    svg = str(
        grouped_column_chart(
            "chart-m",
            "Par mois",
            "Références et personnes",
            ["janv. 2026", "févr. 2026"],
            [Series("Références", [2, 3]), Series("Personnes", [2, 1])],
        )
    )
    root = ElementTree.fromstring(svg)  # noqa: S314 - our own SVG
    assert root.get("role") == "img"
    solid = [r for r in root.iter(f"{SVG}rect") if r.get("fill") == "#5b2a86"]
    outlined = [r for r in root.iter(f"{SVG}rect") if r.get("stroke") == "#00695c"]
    assert len(solid) == 3 and len(outlined) == 3  # two columns each, plus the legend
    assert all(r.get("fill") == "#ffffff" for r in outlined)
    assert "janv. 2026" in svg and "Personnes" in svg
    assert not re.search(r"\sstyle=", svg)


def test_nice_ceiling():
    assert [nice_ceiling(v) for v in (0, 1, 3, 7, 12, 26, 99)] == [1, 1, 5, 10, 20, 50, 100]
