"""The full search page through gunicorn (2 workers): latency, throughput, memory, freshness."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

from . import queries
from .measures import percentiles

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2
THROUGHPUT_SECONDS = 15
THROUGHPUT_CLIENTS = 8
EDITS = 10


def page_url(base: str, query: queries.BenchQuery) -> str:
    params: list[tuple[str, str]] = [("q", query.q)] if query.q else []
    params += [("region", r) for r in query.regions]
    params += [("need", n) for n in query.needs]
    params += [("lang", code) for code in query.languages]
    params += [("access", a) for a in query.access]
    if query.accepting_only:
        params.append(("accepting", "y"))
    if query.trained_only:
        params.append(("trained", "y"))
    if query.near:
        params.append(("near", query.near[0]))
        if query.radius_km:
            params.append(("radius", str(int(query.radius_km))))
    params.append(("sort", query.sort))
    return f"{base}/recherche?{urlencode(params)}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - our own server
        if response.status != 200:
            raise RuntimeError(f"{url} answered {response.status}")
        return response.read()


def _worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def _peak_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _throughput(urls: list[str]) -> float:
    stop = time.perf_counter() + THROUGHPUT_SECONDS
    counts = [0] * THROUGHPUT_CLIENTS

    def client(number: int) -> None:
        index = number
        while time.perf_counter() < stop:
            _get(urls[index % len(urls)])
            counts[number] += 1
            index += THROUGHPUT_CLIENTS

    threads = [threading.Thread(target=client, args=(n,)) for n in range(THROUGHPUT_CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.perf_counter() - started)


def _edit_visible(env: dict[str, str], base: str) -> dict[str, float]:
    """Commit a rename in this process; time until a gunicorn worker's page shows it."""
    os.environ.update(env)
    from sqlalchemy import select

    from cote_a_cote import create_app
    from cote_a_cote.catalogue.models import Service
    from cote_a_cote.extensions import db

    app = create_app()
    timings = []
    with app.app_context():
        ids = db.session.scalars(select(Service.id).order_by(Service.id.desc()).limit(EDITS)).all()
        for number, service_id in enumerate(ids):
            marker = f"zzpage{number}qq"
            service = db.session.get(Service, service_id)
            service.name_fr = f"{service.name_fr} {marker}"
            started = time.perf_counter()
            db.session.commit()
            url = f"{base}/recherche?{urlencode({'q': marker})}"
            while marker.encode() not in _get(url):
                if time.perf_counter() - started > 30:
                    raise RuntimeError("edit not visible on the page after 30 s")
                time.sleep(0.01)
            timings.append((time.perf_counter() - started) * 1000)
        db.engine.dispose()
    return percentiles(timings)


def measure_http(env: dict[str, str], size: int) -> dict:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and app
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "gunicorn.conf.py",  # as `make run` and the README's production command
            "--access-logfile",
            os.devnull,
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "cote_a_cote:create_app()",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        for _ in range(300):
            try:
                _get(f"{base}/")
                break
            except OSError:
                time.sleep(0.1)
        mix = queries.replayed()
        urls = [page_url(base, query) for query in mix]
        for url in urls[:50]:
            _get(url)
        timings = []
        for url in urls:
            started = time.perf_counter()
            _get(url)
            timings.append((time.perf_counter() - started) * 1000)
        rps = _throughput(urls)
        freshness = _edit_visible(env, base)
        memory = [_peak_mib(pid) for pid in _worker_pids(server.pid)]
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {
        "page": percentiles(timings),
        "rps": rps,
        "worker_peak_mib": max(memory) if memory else 0.0,
        "edit_visible_page_ms": freshness,
    }
