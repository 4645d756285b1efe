"""make bench-import: time import-hsds, export-hsds and reindex on synthetic HSDS files.

Sizes come from BENCH_IMPORT_SIZES (default "5000,60000"). Each size runs in a temporary
directory with its own SQLite database and index; every command runs as a child process so its
peak resident memory (getrusage of the child) is its own. The load average of the machine is
recorded beside the figures, since other work on the host slows everything. Results are
appended to bench/RESULTS.md.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from .__main__ import _child, _env, _machine
from .hsds_corpus import write_file

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
TARGETS = {"import_s": 90.0, "import_peak_mib": 400, "export_s": 30.0}


def prepare() -> None:
    """Create the schema and the reference data (regions, taxonomy) in an empty database."""
    from cote_a_cote import create_app
    from cote_a_cote.demo.seeding import load_reference_data
    from cote_a_cote.extensions import db

    app = create_app()
    with app.app_context():
        db.create_all()
        load_reference_data()
        db.session.commit()


def run_size(size: int) -> dict:
    print(f"== import {size} services ==", flush=True)
    with tempfile.TemporaryDirectory(prefix=f"bench-import-{size}-") as folder:
        workdir = Path(folder)
        env = _env(workdir)
        python = sys.executable
        flask = [python, "-m", "flask", "--app", "cote_a_cote"]
        source = workdir / "source.json"
        # Written by a child: a child forked from a large parent would carry the parent's
        # resident size into its own peak (Linux keeps ru_maxrss across fork and exec).
        _child([python, "-m", "bench.import_bench", "write", str(source), str(size)], env)
        megabytes = source.stat().st_size / 1e6
        _child([python, "-m", "bench.import_bench", "prepare"], env)
        load_before = os.getloadavg()[0]
        import_s, import_mib, out = _child(
            [*flask, "import-hsds", str(source), "--status", "approved"], env
        )
        written = re.search(r"(?:written in|écrits en) ([0-9.]+) s", out)
        print(f"  import {import_s:.1f} s, peak {import_mib} MiB: {out.strip()[-200:]}", flush=True)
        export_s, export_mib, _out = _child(
            [*flask, "export-hsds", str(workdir / "out.json"), "--scope", "all"], env
        )
        print(f"  export {export_s:.1f} s, peak {export_mib} MiB", flush=True)
        reindex_s, reindex_mib, _out = _child([*flask, "reindex"], env)
        load_after = os.getloadavg()[0]
    result = {
        "size": size,
        "file_mb": megabytes,
        "import_s": import_s,
        "import_write_s": float(written[1]) if written else None,
        "import_peak_mib": import_mib,
        "export_s": export_s,
        "export_peak_mib": export_mib,
        "reindex_s": reindex_s,
        "reindex_peak_mib": reindex_mib,
        "load": (load_before, load_after),
    }
    print(
        f"  import {import_s:.1f} s (checks and writes {result['import_write_s']} s), "
        f"peak {import_mib} MiB; export {export_s:.1f} s, {export_mib} MiB; "
        f"reindex {reindex_s:.1f} s, {reindex_mib} MiB; load {load_before:.1f}/{load_after:.1f}",
        flush=True,
    )
    return result


def _markdown(results: list[dict]) -> str:
    lines = [
        "",
        f"## HSDS import / export ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)",
        "",
        f"Machine: {_machine()}. `make bench-import`; import runs `flask import-hsds --status "
        "approved` end to end (read, check, bulk write, commit, then one index rebuild).",
        "",
        "| Services | File | Import (end to end) | of which read+check+write | Import peak "
        "| Export | Export peak | Reindex alone | Reindex peak | Load avg (1 min) before/after |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        write = f"{r['import_write_s']:.1f} s" if r["import_write_s"] is not None else "?"
        lines.append(
            f"| {r['size']:,} | {r['file_mb']:.0f} MB | {r['import_s']:.1f} s | {write} "
            f"| {r['import_peak_mib']} MiB | {r['export_s']:.1f} s | {r['export_peak_mib']} MiB "
            f"| {r['reindex_s']:.1f} s | {r['reindex_peak_mib']} MiB "
            f"| {r['load'][0]:.1f} / {r['load'][1]:.1f} |"
        )
    for r in results:
        if r["size"] == 60000:
            met = {key: r[key] <= limit for key, limit in TARGETS.items()}
            lines.append("")
            lines.append(
                "Targets at 60,000: import ≤ 90 s "
                f"({'met' if met['import_s'] else 'not met'}), peak ≤ 400 MB "
                f"({'met' if met['import_peak_mib'] else 'not met'}), export ≤ 30 s "
                f"({'met' if met['export_s'] else 'not met'})."
            )
    if len(results) > 1:
        first, last = results[0], results[-1]
        ratio = (last["import_s"] / first["import_s"]) / (last["size"] / first["size"])
        lines.append("")
        lines.append(
            f"Growth: import time per service at {last['size']:,} is {ratio:.2f}× that at "
            f"{first['size']:,} (1.0 = linear)."
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    if sys.argv[1:] == ["prepare"]:
        prepare()
        return
    if sys.argv[1:2] == ["write"]:
        write_file(Path(sys.argv[2]), int(sys.argv[3]))
        return
    sizes = [int(s) for s in os.environ.get("BENCH_IMPORT_SIZES", "5000,60000").split(",")]
    results = [run_size(size) for size in sizes]
    with RESULTS.open("a", encoding="utf-8") as out:
        out.write(_markdown(results))
    print(f"Appended to {RESULTS}")


if __name__ == "__main__":
    main()
