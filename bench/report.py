"""bench/RESULTS.md from the measurements, with each target marked met or not."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

TARGET_SIZE = 60000


def _row(label: str, values: list[str]) -> str:
    return f"| {label} | " + " | ".join(values) + " |"


def write_report(path: Path, results: list[dict], machine: str, when: datetime) -> None:
    sizes = [f"{r['size']:,}".replace(",", " ") for r in results]
    lines = [
        "# Search benchmark",
        "",
        f"Run with `make bench` on {when:%Y-%m-%d %H:%M} UTC. Machine: {machine}.",
        "Corpus: synthetic HSDS-shaped services (bench/corpus.py, fixed seed), bilingual",
        "descriptions of 80–150 words; 1,000 replayed queries (bench/queries.py): common French",
        "needs, English terms, missing accents, stem variants, 3–4-word phrases, typos,",
        "filter-only browsing, rare and zero-result terms; ~60 % with filters, 50 % sorted by",
        "distance. Engine times include facet counts (as the page needs them); the page is",
        "fetched through gunicorn with 2 workers.",
        "",
        "| Measure | " + " | ".join(sizes) + " |",
        "|---|" + "---|" * len(results),
    ]

    def ms(key, sub):
        return [f"{r[key][sub]:.1f} ms" for r in results]

    lines += [
        _row("Index build (flask reindex)", [f"{r['index_build_s']:.1f} s" for r in results]),
        _row("Index build peak memory", [f"{r['index_build_peak_mib']} MiB" for r in results]),
        _row("Engine p50 (with facets)", ms("engine", "p50")),
        _row("Engine p95 (with facets)", ms("engine", "p95")),
        _row("Engine p99 (with facets)", ms("engine", "p99")),
        _row("Engine p95 (results only)", ms("engine_no_facets", "p95")),
        _row("FTS5 baseline p50", [f"{r['fts5']['p50']:.2f} ms" for r in results]),
        _row("FTS5 baseline p95", [f"{r['fts5']['p95']:.2f} ms" for r in results]),
        _row(
            "Engine p95 / FTS5 p95",
            [f"{r['engine']['p95'] / max(r['fts5']['p95'], 1e-6):.1f}×" for r in results],
        ),
        _row("Search page p50", [f"{r['http']['page']['p50']:.1f} ms" for r in results]),
        _row("Search page p95", [f"{r['http']['page']['p95']:.1f} ms" for r in results]),
        _row("Search page p99", [f"{r['http']['page']['p99']:.1f} ms" for r in results]),
        _row("Requests per second (2 workers)", [f"{r['http']['rps']:.0f}" for r in results]),
        _row("Edit → visible, same process (p95)", ms("edit_visible_ms", "p95")),
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
    ]
    target = next((r for r in results if r["size"] == TARGET_SIZE), None)
    if target:
        checks = [
            (
                "Engine p95 ≤ 30 ms",
                target["engine"]["p95"] <= 30,
                f"{target['engine']['p95']:.1f} ms",
            ),
            (
                "Engine p95 ≤ 1.5 × FTS5 p95",
                target["engine"]["p95"] <= 1.5 * target["fts5"]["p95"],
                f"{target['engine']['p95'] / target['fts5']['p95']:.1f}×",
            ),
            (
                "Search page p95 ≤ 100 ms",
                target["http"]["page"]["p95"] <= 100,
                f"{target['http']['page']['p95']:.1f} ms",
            ),
            ("Rebuild ≤ 30 s", target["index_build_s"] <= 30, f"{target['index_build_s']:.1f} s"),
            (
                "Edit visible ≤ 1 s (other process, p95)",
                target["http"]["edit_visible_page_ms"]["p95"] <= 1000,
                f"{target['http']['edit_visible_page_ms']['p95']:.0f} ms",
            ),
            (
                "No worker above 150 MB",
                target["http"]["worker_peak_mib"] <= 150 / 1.048576,
                f"{target['http']['worker_peak_mib']:.0f} MiB",
            ),
        ]
        lines += [
            "",
            "## Targets at 60 000 services",
            "",
            "| Target | Measured | Met |",
            "|---|---|---|",
        ]
        lines += [
            f"| {name} | {value} | {'yes' if ok else '**no**'} |" for name, ok, value in checks
        ]
    path.write_text("\n".join(lines) + "\n")
