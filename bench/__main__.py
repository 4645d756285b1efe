"""make bench: synthetic catalogues; time each search backend, its page, its baseline; RESULTS.md.

Sizes come from BENCH_SIZES (default "5000,60000,250000"), backends from BENCH_BACKENDS (default
"whoosh,postgresql"). Whoosh runs on SQLite beside the FTS5 baseline; the PostgreSQL backend
runs in a private database created on BENCH_DATABASE_URL's server (default the local test
server) and dropped afterwards, beside a raw PostgreSQL full-text baseline. Everything else runs
under a temporary directory; nothing touches instance/.
"""

from __future__ import annotations

import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from . import corpus, fts5, postgresql, queries
from .http import measure_http
from .measures import percentiles

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def _env(workdir: Path, database_url: str | None = None) -> dict[str, str]:
    """Settings of the app's processes: SQLite and Whoosh, or database_url and its backend."""
    env = dict(os.environ)
    env.update(
        INSTANCE_PATH=str(workdir / "instance"),
        DATABASE_URL=database_url or f"sqlite:///{workdir / 'bench.sqlite3'}",
        SEARCH_BACKEND="postgresql" if database_url else "whoosh",
        SEARCH_INDEX_DIR=str(workdir / "index"),
        SECRET_KEY="bench-only-secret",
        MAIL_BACKEND="memory",
    )
    return env


def _child(args: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    """Run a command; (seconds, peak resident memory in MiB, output)."""
    started = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        args, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{args} failed:\n{output}")
    return elapsed, usage.ru_maxrss // 1024, output


def _measure_app(size: int, env: dict[str, str]) -> dict:
    """Load the corpus, build the search projection, time the engine and the page."""
    python = sys.executable
    # 1. Corpus into the database (bulk inserts), in a child so its memory is not counted later.
    seconds, _mib, _out = _child([python, "-m", "bench.engine", "load", str(size)], env)
    print(f"  loaded in {seconds:.1f} s", flush=True)
    # 2. Index build by the real command, with its peak memory.
    build_s, build_mib, _out = _child(
        [python, "-m", "flask", "--app", "cote_a_cote", "reindex"], env
    )
    print(f"  index built in {build_s:.1f} s, peak {build_mib} MiB", flush=True)
    # 3. Engine latencies, edit-to-visible, in one child (its peak memory is a reader's).
    _s, engine_mib, out = _child([python, "-m", "bench.engine", "query", str(size)], env)
    engine = json.loads(out.strip().splitlines()[-1])
    print(f"  engine p95 {engine['engine']['p95']:.1f} ms", flush=True)
    return {
        "index_build_s": build_s,
        "index_build_peak_mib": build_mib,
        "engine": engine["engine"],
        "engine_no_facets": engine["engine_no_facets"],
        "edit_visible_ms": engine["edit_visible_ms"],
        "engine_process_peak_mib": engine_mib,
    }


def _page(env: dict[str, str], size: int) -> dict:
    """The full search page through gunicorn with 2 workers."""
    http = measure_http(env, size)
    print(f"  page p95 {http['page']['p95']:.1f} ms, {http['rps']:.0f} req/s", flush=True)
    return http


def run_whoosh(size: int) -> dict:
    print(f"== whoosh, {size} services ==", flush=True)
    with tempfile.TemporaryDirectory(prefix=f"bench-{size}-") as folder:
        workdir = Path(folder)
        env = _env(workdir)
        result = _measure_app(size, env)
        # 4. The FTS5 baseline on the same corpus and queries.
        result["fts5"] = _fts5(size, workdir)
        print(f"  FTS5 p95 {result['fts5']['p95']:.2f} ms", flush=True)
        result["http"] = _page(env, size)
    return {"size": size, "loadavg": _loadavg(), **result}


def run_postgresql(size: int) -> dict:
    print(f"== postgresql, {size} services ==", flush=True)
    with (
        tempfile.TemporaryDirectory(prefix=f"bench-pg-{size}-") as folder,
        postgresql.private_database(size) as database_url,
    ):
        env = _env(Path(folder), database_url)
        result = _measure_app(size, env)
        # 4. The raw PostgreSQL full-text baseline, in the same database.
        result["raw_pg"] = _raw_postgresql(size, database_url)
        print(f"  raw PostgreSQL p95 {result['raw_pg']['p95']:.2f} ms", flush=True)
        result["http"] = _page(env, size)
    return {"size": size, "loadavg": _loadavg(), **result}


def _loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def _labels() -> dict[str, str]:
    taxonomy = json.loads((corpus.SEEDS / "taxonomy.json").read_text())["taxonomies"]
    return {t["code"]: f"{t['name_fr']} {t['name_en']}" for tx in taxonomy for t in tx["terms"]}


def _raw_postgresql(size: int, database_url: str) -> dict:
    services = corpus.generate(size)
    with postgresql.connect(database_url) as conn:
        started = time.perf_counter()
        postgresql.build(conn, services, _labels())
        build_s = time.perf_counter() - started
        mix = queries.replayed()
        for query in mix[:50]:
            postgresql.run(conn, query)
        timings = []
        for query in mix:
            started = time.perf_counter()
            postgresql.run(conn, query)
            timings.append((time.perf_counter() - started) * 1000)
    return {"build_s": build_s, **percentiles(timings)}


def _fts5(size: int, workdir: Path) -> dict:
    services = corpus.generate(size)
    started = time.perf_counter()
    conn = fts5.build(workdir / "fts5.sqlite3", services, _labels())
    build_s = time.perf_counter() - started
    timings = []
    for query in queries.replayed():
        started = time.perf_counter()
        fts5.run(conn, query)
        timings.append((time.perf_counter() - started) * 1000)
    conn.close()
    return {"build_s": build_s, **percentiles(timings)}


def _machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores{memory}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; SQLite {__import__('sqlite3').sqlite_version}"
    )


def main() -> None:
    # A stopped run still drops its private PostgreSQL database (the finally blocks run).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sizes = [int(s) for s in os.environ.get("BENCH_SIZES", "5000,60000,250000").split(",")]
    backends = [b.strip() for b in os.environ.get("BENCH_BACKENDS", "whoosh,postgresql").split(",")]
    runners = {"whoosh": run_whoosh, "postgresql": run_postgresql}
    started = datetime.now(UTC)
    loadavg_before = _loadavg()
    machine = _machine()
    if "postgresql" in backends:
        with postgresql.connect(postgresql.server_url()) as conn:
            machine += f"; PostgreSQL {conn.execute('SHOW server_version').fetchone()[0]}"
    from .report import earlier_runs, write_report

    earlier = earlier_runs(RESULTS)
    results: dict[str, list[dict]] = {}
    for backend in filter(None, backends):
        for size in sizes:
            results.setdefault(backend, []).append(runners[backend](size))
            # Written after every size, so a run stopped later keeps what it measured.
            loadavg = (loadavg_before, _loadavg())
            write_report(RESULTS, results, machine, started, loadavg, earlier)
            (RESULTS.parent / "results.json").write_text(json.dumps(results, indent=2))
    print(f"Wrote {RESULTS}")


if __name__ == "__main__":
    main()
