"""bench/RESULTS.md from the measurements, with each target marked met or not.

A new run goes on top, under the title; earlier runs stay below it, so figures measured on
other days (and the HSDS import section) are kept for comparison.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

TARGET_SIZE = 60000
TITLE = "# Search benchmark"
EARLIER = "## Earlier runs"
MIB_PER_MB = 1.048576


def _row(label: str, values: list[str]) -> str:
    return f"| {label} | " + " | ".join(values) + " |"


def _header(results: list[dict]) -> list[str]:
    sizes = [f"{r['size']:,}".replace(",", " ") for r in results]
    return ["| Measure | " + " | ".join(sizes) + " |", "|---|" + "---|" * len(results)]


def _ms(results: list[dict], key: str, sub: str, digits: int = 1) -> list[str]:
    return [f"{r[key][sub]:.{digits}f} ms" for r in results]


def _common_rows(results: list[dict], baseline: str, name: str) -> list[str]:
    return [
        _row("Index build (flask reindex)", [f"{r['index_build_s']:.1f} s" for r in results]),
        _row("Index build peak memory", [f"{r['index_build_peak_mib']} MiB" for r in results]),
        _row("Engine p50 (with facets)", _ms(results, "engine", "p50")),
        _row("Engine p95 (with facets)", _ms(results, "engine", "p95")),
        _row("Engine p99 (with facets)", _ms(results, "engine", "p99")),
        _row("Engine p95 (results only)", _ms(results, "engine_no_facets", "p95")),
        _row(f"{name} baseline build", [f"{r[baseline]['build_s']:.1f} s" for r in results]),
        _row(f"{name} baseline p50", _ms(results, baseline, "p50", 2)),
        _row(f"{name} baseline p95", _ms(results, baseline, "p95", 2)),
        _row(
            f"Engine p95 / {name} p95",
            [f"{r['engine']['p95'] / max(r[baseline]['p95'], 1e-6):.1f}×" for r in results],
        ),
        _row("Search page p50", [f"{r['http']['page']['p50']:.1f} ms" for r in results]),
        _row("Search page p95", [f"{r['http']['page']['p95']:.1f} ms" for r in results]),
        _row("Search page p99", [f"{r['http']['page']['p99']:.1f} ms" for r in results]),
        _row("Requests per second (2 workers)", [f"{r['http']['rps']:.0f}" for r in results]),
        _row("Edit → visible, same process (p95)", _ms(results, "edit_visible_ms", "p95")),
        _row(
            "Edit → visible on the page, other process (p95)",
            [f"{r['http']['edit_visible_page_ms']['p95']:.0f} ms" for r in results],
        ),
        _row(
            "Peak memory of a worker", [f"{r['http']['worker_peak_mib']:.0f} MiB" for r in results]
        ),
        _row(
            "Peak memory of the engine process",
            [f"{r['engine_process_peak_mib']} MiB" for r in results],
        ),
        _row("Load average (1, 5, 15 min) after the size", [r["loadavg"] for r in results]),
    ]


def _edit_check(target: dict) -> tuple[str, bool, str]:
    visible = target["http"]["edit_visible_page_ms"]["p95"]
    return ("Edit visible ≤ 1 s (other process, p95)", visible <= 1000, f"{visible:.0f} ms")


def _whoosh_checks(target: dict) -> list[tuple[str, bool, str]]:
    engine, fts5 = target["engine"]["p95"], target["fts5"]["p95"]
    page = target["http"]["page"]["p95"]
    return [
        ("Engine p95 ≤ 30 ms", engine <= 30, f"{engine:.1f} ms"),
        ("Engine p95 ≤ 1.5 × FTS5 p95", engine <= 1.5 * fts5, f"{engine / fts5:.1f}×"),
        ("Search page p95 ≤ 100 ms", page <= 100, f"{page:.1f} ms"),
        ("Rebuild ≤ 30 s", target["index_build_s"] <= 30, f"{target['index_build_s']:.1f} s"),
        _edit_check(target),
        (
            "No worker above 150 MB",
            target["http"]["worker_peak_mib"] <= 150 / MIB_PER_MB,
            f"{target['http']['worker_peak_mib']:.0f} MiB",
        ),
    ]


def _postgresql_checks(target: dict) -> list[tuple[str, bool, str]]:
    engine, raw = target["engine"]["p95"], target["raw_pg"]["p95"]
    page = target["http"]["page"]["p95"]
    return [
        ("Engine p95 with facets ≤ 30 ms", engine <= 30, f"{engine:.1f} ms"),
        (
            "Engine p95 ≤ 1.5 × raw PostgreSQL p95",
            engine <= 1.5 * raw,
            f"{engine / max(raw, 1e-6):.1f}×",
        ),
        ("Search page p95 ≤ 60 ms", page <= 60, f"{page:.1f} ms"),
        _edit_check(target),
    ]


def _checks_table(title: str, checks: list[tuple[str, bool, str]]) -> list[str]:
    lines = ["", title, "", "| Target | Measured | Met |", "|---|---|---|"]
    return lines + [f"| {n} | {value} | {'yes' if ok else '**no**'} |" for n, ok, value in checks]


SECTIONS = {
    # backend -> (heading, baseline key, baseline name, checks)
    "whoosh": ("### Whoosh backend (SQLite), beside SQLite FTS5", "fts5", "FTS5", _whoosh_checks),
    "postgresql": (
        "### PostgreSQL backend, beside raw PostgreSQL full text",
        "raw_pg",
        "Raw PostgreSQL",
        _postgresql_checks,
    ),
}


def _queries(results: dict[str, list[dict]]) -> int:
    return next(rows[0]["engine"]["n"] for rows in results.values() if rows)


def run_section(
    results: dict[str, list[dict]], machine: str, when: datetime, loadavg: tuple[str, str]
) -> list[str]:
    lines = [
        f"## Run of {when:%Y-%m-%d %H:%M} UTC",
        "",
        f"`make bench`. Machine: {machine}. Load average (1, 5, 15 min) at the start "
        f"{loadavg[0]}, at the end {loadavg[1]}.",
        "Corpus: synthetic HSDS-shaped services (bench/corpus.py, fixed seed), bilingual",
        f"descriptions of 80–150 words; {_queries(results):,} replayed queries (bench/queries.py,"
        " BENCH_QUERIES): common French",
        "needs, English terms, missing accents, stem variants, 3–4-word phrases, typos,",
        "filter-only browsing, rare and zero-result terms; ~60 % with filters, 50 % sorted by",
        "distance. Engine times include facet counts (as the page needs them); the page is",
        "fetched through gunicorn with 2 workers. The baselines answer the same queries with the",
        "same filters, without facets, typo tolerance or synonyms.",
    ]
    for backend, rows in results.items():
        heading, baseline, name, checks = SECTIONS[backend]
        lines += ["", heading, "", *_header(rows), *_common_rows(rows, baseline, name)]
        target = next((r for r in rows if r["size"] == TARGET_SIZE), None)
        if target:
            lines += _checks_table(f"Targets at 60 000 services ({backend})", checks(target))
    return lines


def earlier_runs(path: Path) -> str:
    """What path holds below its title, older sections moved under one heading (once)."""
    earlier = path.read_text(encoding="utf-8") if path.exists() else ""
    if earlier.startswith(TITLE):
        earlier = earlier[len(TITLE) :].lstrip("\n")
    if earlier and EARLIER not in earlier:
        earlier = "\n".join(
            ("#" + line if line.startswith("## ") else line) for line in earlier.splitlines()
        )
        earlier = f"{EARLIER}\n\n{earlier}\n"
    return earlier


def write_report(
    path: Path,
    results: dict[str, list[dict]],
    machine: str,
    when: datetime,
    loadavg: tuple[str, str],
    earlier: str,
) -> None:
    """This run on top of path, earlier (from earlier_runs) below it."""
    lines = [TITLE, "", *run_section(results, machine, when, loadavg), ""]
    if earlier:
        lines += ["", earlier.rstrip("\n")]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
